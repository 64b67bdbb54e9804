// Turns the collected train-step measurements into Markdown tables, the chart, and
// the target verdicts.

import { duration, markdownTable, sig } from '../lib/markdown.mjs';
import { median, pairedRatio, summarize } from '../lib/stats.mjs';
import { describeSize, stepFlops } from './sizes.js';

/** How far a peer's check-step losses may stray from the C loop's, relatively. */
export const LOSS_TOLERANCE = { f64: 1e-9, f32: 1e-3 };

/** The targets blasprop is held to (reported, not asserted). */
export const TARGETS = { smallOneThread: 1.1, largeBestThreads: 1.03 };

const BLASPROP_PEERS = ['blasprop-regressor', 'blasprop-sequential'];

export const keyOf = (size, threads, peerId) => `${size.name}|${threads}|${peerId}`;

/** The largest relative difference between a peer's check losses and the reference's. */
export function lossDeviation(losses, reference) {
  let worst = 0;
  for (let i = 0; i < Math.min(losses.length, reference.length); i++) {
    worst = Math.max(worst, Math.abs(losses[i] - reference[i]) / Math.abs(reference[i]));
  }
  return losses.length === reference.length ? worst : Number.POSITIVE_INFINITY;
}

export class TrainStepReport {
  constructor({ results, peers, sizes, threadCounts }) {
    this.results = results;
    this.peers = peers;
    this.sizes = sizes;
    this.threadCounts = threadCounts;
  }

  /** The C loop's check losses at `size` (any thread count): the reference for the cross-check. */
  referenceLosses(size) {
    for (const threads of this.threadCounts) {
      const run = this.results.first(keyOf(size, threads, 'c-loop'));
      if (run) return run.checkLosses;
    }
    return undefined;
  }

  /** Per (size, threads, peer): whether every run's losses agreed with the reference. */
  lossCheck(size, threads, peer) {
    const reference = this.referenceLosses(size);
    const runs = this.results.runs(keyOf(size, threads, peer.id));
    if (!reference || runs.length === 0) return { ok: true, text: 'n/a' };
    const deviation = Math.max(...runs.map((r) => lossDeviation(r.checkLosses, reference)));
    const ok = deviation <= LOSS_TOLERANCE[peer.precision];
    return { ok, deviation, text: `${ok ? '✓' : '✗'} ${deviation === 0 ? '0' : deviation.toExponential(0)}` };
  }

  ratio(size, threads, peerId, baselineId) {
    const peer = this.results.rounds(keyOf(size, threads, peerId));
    const baseline = this.results.rounds(keyOf(size, threads, baselineId));
    if (peer.flat().length === 0 || baseline.flat().length === 0) return undefined;
    return pairedRatio(peer, baseline);
  }

  rows(size) {
    const rows = [];
    for (const peer of this.peers) {
      for (const threads of this.threadCounts) {
        const key = keyOf(size, threads, peer.id);
        const samples = this.results.all(key);
        if (samples.length === 0) continue;
        const s = summarize(samples);
        rows.push({
          peer,
          threads,
          summary: s,
          gflops: stepFlops(size) / (s.median * 1e3),
          vsC: this.ratio(size, threads, peer.id, 'c-loop'),
          vsNumpy: this.ratio(size, threads, peer.id, 'numpy'),
          peakRssMiB: Math.max(...this.results.runs(key).map((r) => r.peakRssKb)) / 1024,
          check: this.lossCheck(size, threads, peer),
        });
      }
    }
    return rows;
  }

  sizeTable(size) {
    const fmtRatio = (r) => (r === undefined ? '—' : `${r.ratio.toFixed(2)}×`);
    const table = markdownTable(
      ['implementation', 'threads', 'time / step', 'GFLOPS', 'vs C loop', 'vs NumPy', 'peak RSS', 'loss check'],
      this.rows(size).map((row) => [
        `${row.peer.label}${row.peer.precision === 'f32' ? ' **(float32)**' : ''}`,
        String(row.threads),
        `${duration(row.summary.median)} ±${sig(row.summary.spreadPct, 2)}%`,
        sig(row.gflops),
        row.peer.id === 'c-loop' ? '1 (floor)' : fmtRatio(row.vsC),
        row.peer.id === 'numpy' ? '1' : fmtRatio(row.vsNumpy),
        `${Math.round(row.peakRssMiB)} MiB`,
        row.check.text,
      ]),
    );
    return `### ${describeSize(size)}: ${sig(stepFlops(size) / 1e6)} MFLOP per step\n\n${table}`;
  }

  /** blasprop against the C loop on the stated targets. */
  targets() {
    const lines = [];
    const medianOf = (size, threads, id) => median(this.results.all(keyOf(size, threads, id)));
    for (const size of this.sizes) {
      for (const id of BLASPROP_PEERS) {
        const label = this.peers.find((p) => p.id === id)?.label ?? id;
        if (size.name === 'S' && this.threadCounts.includes(1)) {
          const r = this.ratio(size, 1, id, 'c-loop');
          if (r) lines.push(verdict(`${label}, S, 1 thread`, r.ratio, TARGETS.smallOneThread));
        } else if (size.name !== 'S') {
          const best = (peerId) => {
            const times = this.threadCounts.map((t) => ({ t, us: medianOf(size, t, peerId) }));
            return times.filter((x) => Number.isFinite(x.us)).sort((a, b) => a.us - b.us)[0];
          };
          const mine = best(id);
          const floor = best('c-loop');
          if (mine && floor) {
            lines.push(
              verdict(
                `${label}, ${size.name}, best thread count (${mine.t} vs C loop's ${floor.t})`,
                mine.us / floor.us,
                TARGETS.largeBestThreads,
              ),
            );
          }
        }
      }
    }
    return lines;
  }

  /** What each peer said about the BLAS it ran on and its versions. */
  software() {
    const lines = [];
    for (const peer of this.peers) {
      const runs = this.sizes.flatMap((size) =>
        this.threadCounts.flatMap((t) => this.results.runs(keyOf(size, t, peer.id)).map((run) => ({ t, run }))),
      );
      if (runs.length === 0) continue;
      const { run } = runs[0];
      const versions = Object.entries(run.versions ?? {})
        .filter(([k]) => k !== 'executable')
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const threadReport = [...new Set(runs.map(({ t, run: r }) => `${t}→${blasThreads(r) ?? '?'}`))].join(', ');
      const blas = blasDescription(run);
      lines.push(
        `- ${peer.label}: ${versions || 'n/a'}${blas ? `; BLAS: ${blas}; BLAS threads (asked→reported): ${threadReport}` : ''}`,
      );
    }
    return lines;
  }

  chartSpec() {
    return chartSpec(this.data(), this.peers);
  }

  /** Everything measured, for results/train-step.json. */
  data() {
    return this.sizes.map((size) => ({
      size,
      flopsPerStep: stepFlops(size),
      rows: this.rows(size).map((row) => ({
        peer: row.peer.id,
        threads: row.threads,
        medianUs: row.summary.median,
        spreadPct: row.summary.spreadPct,
        samples: row.summary.samples,
        gflops: row.gflops,
        vsCLoop: row.vsC?.ratio,
        vsNumpy: row.vsNumpy?.ratio,
        peakRssMiB: row.peakRssMiB,
        lossDeviation: row.check.deviation,
        lossOk: row.check.ok,
      })),
    }));
  }

  allLossesAgree() {
    return this.sizes.every((size) => this.rows(size).every((row) => row.check.ok));
  }
}

/**
 * The bar chart of GFLOPS per implementation, one panel per size, built from the saved
 * data (results/train-step.json) so that it can be redrawn without measuring again.
 */
export function chartSpec(sizesData, peers) {
  const byId = new Map(peers.map((p) => [p.id, p]));
  const values = sizesData.flatMap(({ size, rows }) =>
    rows
      .filter((row) => byId.has(row.peer))
      .map((row) => ({
        size: describeSize(size),
        implementation: chartLabel(byId.get(row.peer)),
        threads: `${row.threads} thread${row.threads === 1 ? '' : 's'}`,
        gflops: row.gflops,
      })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'One training step of the two-layer network: GFLOPS (higher is better)',
    data: { values },
    facet: {
      row: { field: 'size', type: 'nominal', title: null, sort: sizesData.map(({ size }) => describeSize(size)) },
    },
    spec: {
      width: 420,
      mark: 'bar',
      encoding: {
        y: {
          field: 'implementation',
          type: 'nominal',
          sort: peers.map(chartLabel),
          title: null,
          axis: { labelLimit: 400 },
        },
        yOffset: { field: 'threads' },
        x: { field: 'gflops', type: 'quantitative', title: 'GFLOPS' },
        color: { field: 'threads', type: 'nominal', title: null },
        tooltip: [{ field: 'gflops', format: '.2f' }],
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}

function chartLabel(peer) {
  return `${peer.label}${peer.precision === 'f32' ? ' (float32)' : ''}`;
}

function verdict(what, ratio, target) {
  return `- ${what}: ${ratio.toFixed(3)}× the C loop (target ≤ ${target}: ${ratio <= target ? 'met' : 'missed'})`;
}

function blasThreads(run) {
  if (run.blas?.threads !== undefined) return run.blas.threads;
  const reported = (run.blasLibraries ?? []).map((l) => l.threads).filter((t) => t !== undefined && t !== null);
  return reported.length ? [...new Set(reported)].join('/') : undefined;
}

function blasDescription(run) {
  if (run.blas?.config) {
    const linkage = run.blas.linkage ? `, ${run.blas.linkage}` : '';
    return `${run.blas.config.replace(/\s+/g, ' ')} (core ${run.blas.corename}${linkage})`;
  }
  const libraries = (run.blasLibraries ?? []).filter((l) => l.config);
  if (libraries.length === 0) return run.blasLibraries ? 'none loaded' : undefined;
  const configs = [...new Set(libraries.map((l) => `${l.config.replace(/\s+/g, ' ')} (core ${l.corename})`))];
  return `${configs.join('; ')}, loaded from ${libraries.map((l) => l.path).join(', ')}`;
}
