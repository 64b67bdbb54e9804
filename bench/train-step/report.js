// Turns the collected train-step measurements into Markdown tables, the chart, and
// the target verdicts.

import { lossAgreement } from '../lib/agreement.mjs';
import { floorOf, isFloor } from '../lib/floors.mjs';
import { duration, markdownTable, PRECISION_NAMES, peerName, sig } from '../lib/markdown.mjs';
import { softwareLines } from '../lib/software.mjs';
import { median, pairedRatio, summarize } from '../lib/stats.mjs';
import { describeSize, stepFlops } from './sizes.js';

/**
 * The targets blasprop's step is held to against the C loop of its precision (reported,
 * not asserted): time ratio `at` most, and at worst `limit`, at one thread where a step
 * is too small for a second, at the best thread count of each where it is not.
 */
export const TARGETS = {
  XS: { threads: 1, at: 1.2, limit: 1.5 },
  S: { threads: 1, at: 1.0 },
  M: { threads: 'best', at: 1.03 },
  L: { threads: 'best', at: 1.03 },
};

/** The blasprop rows the targets are stated for, float64 and float32. */
const BLASPROP_PEERS = [
  'blasprop-regressor',
  'blasprop-sequential',
  'blasprop-model',
  'blasprop-regressor-f32',
  'blasprop-sequential-f32',
];

/** The "vs NumPy" column's NumPy: its fastest form. */
const NUMPY_BASELINE = 'numpy-preallocated';

export const keyOf = (size, threads, peerId) => `${size.name}|${threads}|${peerId}`;

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
    return lossAgreement(this.results.runs(keyOf(size, threads, peer.id)), this.referenceLosses(size), peer.precision);
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
        // Against the C loop of the peer's precision.
        const floor = floorOf(peer);
        rows.push({
          peer,
          threads,
          floor,
          summary: s,
          gflops: stepFlops(size) / (s.median * 1e3),
          vsC: this.ratio(size, threads, peer.id, floor),
          vsNumpy: this.ratio(size, threads, peer.id, NUMPY_BASELINE),
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
      [
        'implementation',
        'threads',
        'time / step',
        'GFLOPS',
        'vs C loop',
        'vs NumPy (fastest)',
        'peak RSS',
        'loss check',
      ],
      this.rows(size).map((row) => [
        peerName(row.peer),
        String(row.threads),
        `${duration(row.summary.median)} ±${sig(row.summary.spreadPct, 2)}%`,
        sig(row.gflops),
        isFloor(row.peer.id) ? '1 (floor)' : fmtRatio(row.vsC),
        row.peer.id === NUMPY_BASELINE ? '1' : fmtRatio(row.vsNumpy),
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
    /** The thread count at which `peerId` was fastest at `size`, and its time. */
    const best = (size, peerId) =>
      this.threadCounts
        .map((t) => ({ t, us: medianOf(size, t, peerId) }))
        .filter((x) => Number.isFinite(x.us))
        .sort((a, b) => a.us - b.us)[0];
    for (const size of this.sizes) {
      const target = TARGETS[size.name];
      if (!target) continue;
      for (const id of BLASPROP_PEERS) {
        const peer = this.peers.find((p) => p.id === id);
        if (!peer) continue;
        const floorId = floorOf(peer);
        const floorName = `${PRECISION_NAMES[peer.precision]} C loop`;
        if (target.threads === 'best') {
          const mine = best(size, id);
          const floor = best(size, floorId);
          if (mine && floor) {
            lines.push(
              verdict(
                `${peer.label}, ${size.name}, best thread count (${mine.t} vs the ${floorName}'s ${floor.t})`,
                mine.us / floor.us,
                floorName,
                target,
              ),
            );
          }
        } else if (this.threadCounts.includes(target.threads)) {
          const r = this.ratio(size, target.threads, id, floorId);
          if (r)
            lines.push(verdict(`${peer.label}, ${size.name}, ${target.threads} thread`, r.ratio, floorName, target));
        }
      }
    }
    return lines;
  }

  /** What each peer said about the BLAS it ran on and its versions. */
  software() {
    return softwareLines(this.peers, (peer) =>
      this.sizes.flatMap((size) =>
        this.threadCounts.flatMap((threads) =>
          this.results.runs(keyOf(size, threads, peer.id)).map((run) => ({ threads, run })),
        ),
      ),
    );
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
        precision: row.peer.precision,
        threads: row.threads,
        medianUs: row.summary.median,
        spreadPct: row.summary.spreadPct,
        samples: row.summary.samples,
        gflops: row.gflops,
        floor: row.floor,
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
          axis: { labelLimit: 800 },
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
  return peerName(peer, { bold: false });
}

function verdict(what, ratio, floorName, { at, limit }) {
  const met =
    ratio <= at ? 'met' : limit !== undefined && ratio <= limit ? `missed, within the limit of ${limit}` : 'missed';
  return `- ${what}: ${ratio.toFixed(3)}× the ${floorName}'s time (target ≤ ${at}${limit ? `, at worst ${limit}` : ''}: ${met})`;
}
