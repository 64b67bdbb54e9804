// Turns the collected fit measurements into Markdown tables, the chart, and the
// target verdicts. Every peer times whole fits of the same epochs, so samples per
// second is rows per epoch × epochs per call ÷ time per call.

import { lossAgreement } from '../lib/agreement.mjs';
import { floorOf, isFloor } from '../lib/floors.mjs';
import { duration, markdownTable, PRECISION_NAMES, peerName, rate, sig } from '../lib/markdown.mjs';
import { softwareLines } from '../lib/software.mjs';
import { pairedRatio, summarize } from '../lib/stats.mjs';
import { batchesPerEpoch, describeConfig, samplesPerCall, TRAINING } from './configs.js';

/**
 * blasprop's fit against the C epoch loop of its precision (reported, not asserted):
 * samples/s at least `at` times the loop's, and at worst `limit` times.
 */
export const TARGETS = { CLI: { at: 0.9, limit: 0.7 }, S: { at: 0.9, limit: 0.7 } };

/**
 * The blasprop rows the targets are stated for: the default fit, and fit on the
 * calling thread, in float64 and in float32 (each against its own precision's loop).
 */
const TARGET_PEERS = [
  'blasprop-regressor-worker',
  'blasprop-regressor-thread',
  'blasprop-regressor-f32-worker',
  'blasprop-regressor-f32-thread',
];

export const keyOf = (config, peerId) => `${config.name}|${peerId}`;

export class FitReport {
  constructor({ results, peers, configs }) {
    this.results = results;
    this.peers = peers;
    this.configs = configs;
  }

  /** The C loop's check-epoch losses at `config`: the reference for the cross-check. */
  referenceLosses(config) {
    return this.results.first(keyOf(config, 'c-loop'))?.checkLosses;
  }

  rows(config) {
    const rows = [];
    for (const peer of this.peers) {
      const key = keyOf(config, peer.id);
      const samples = this.results.all(key);
      if (samples.length === 0) continue;
      const perCall = summarize(samples);
      const runs = this.results.runs(key);
      // Throughput relative to the C loop of the peer's precision: that loop's time per
      // call over this peer's, per round.
      const floor = floorOf(peer);
      const cRounds = this.results.rounds(keyOf(config, floor));
      const vsC = cRounds.flat().length > 0 ? pairedRatio(cRounds, this.results.rounds(key)) : undefined;
      rows.push({
        peer,
        floor,
        perCall,
        samplesPerSecond: samplesPerCall(config) / (perCall.median * 1e-6),
        usPerBatch: perCall.median / (batchesPerEpoch(config) * TRAINING.epochsPerCall),
        vsC,
        peakRssMiB: Math.max(...runs.map((r) => r.peakRssKb)) / 1024,
        check: lossAgreement(runs, this.referenceLosses(config), peer.precision),
      });
    }
    return rows;
  }

  configTable(config) {
    const table = markdownTable(
      [
        'implementation',
        'form',
        'samples/s',
        'time / batch',
        'samples/s ÷ C loop',
        'per-round range',
        'peak RSS',
        'loss check',
      ],
      this.rows(config).map((row) => [
        peerName(row.peer, { form: false }),
        row.peer.form ?? '',
        `${rate(row.samplesPerSecond)} ±${sig(row.perCall.spreadPct, 2)}%`,
        duration(row.usPerBatch),
        isFloor(row.peer.id) ? '1 (floor)' : row.vsC ? `${row.vsC.ratio.toFixed(2)}×` : '—',
        row.vsC && !isFloor(row.peer.id) ? `${row.vsC.low.toFixed(2)}–${row.vsC.high.toFixed(2)}` : '',
        `${Math.round(row.peakRssMiB)} MiB`,
        row.check.text,
      ]),
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    );
    return `### ${describeConfig(config)}, batch ${TRAINING.batchSize}: ${batchesPerEpoch(config)} batches per epoch\n\n${table}`;
  }

  targets() {
    const lines = [];
    for (const config of this.configs) {
      const target = TARGETS[config.name];
      if (!target) continue;
      for (const id of TARGET_PEERS) {
        const peer = this.peers.find((p) => p.id === id);
        const row = peer && this.rows(config).find((r) => r.peer.id === id);
        if (!row?.vsC) continue;
        const r = row.vsC.ratio;
        const met =
          r >= target.at ? 'met' : r >= target.limit ? `missed, within the limit of ${target.limit}` : 'missed';
        lines.push(
          `- ${peer.label}, ${config.name}: ${r.toFixed(3)}× the ${PRECISION_NAMES[peer.precision]} C loop's samples/s (target ≥ ${target.at}, at worst ${target.limit}: ${met})`,
        );
      }
    }
    return lines;
  }

  software() {
    return softwareLines(this.peers, (peer) =>
      this.configs.flatMap((config) => this.results.runs(keyOf(config, peer.id)).map((run) => ({ threads: 1, run }))),
    );
  }

  /** Everything measured, for results/fit.json. */
  data() {
    return this.configs.map((config) => ({
      config,
      samplesPerCall: samplesPerCall(config),
      batchesPerEpoch: batchesPerEpoch(config),
      rows: this.rows(config).map((row) => ({
        peer: row.peer.id,
        precision: row.peer.precision,
        form: row.peer.form,
        medianUsPerCall: row.perCall.median,
        spreadPct: row.perCall.spreadPct,
        samples: row.perCall.samples,
        samplesPerSecond: row.samplesPerSecond,
        usPerBatch: row.usPerBatch,
        floor: row.floor,
        vsCLoop: row.vsC?.ratio,
        vsCLoopRange: row.vsC ? [row.vsC.low, row.vsC.high] : undefined,
        peakRssMiB: row.peakRssMiB,
        lossDeviation: row.check.deviation,
        lossOk: row.check.ok,
      })),
    }));
  }

  allLossesAgree() {
    return this.configs.every((config) => this.rows(config).every((row) => row.check.ok));
  }
}

/** Bars of samples/s per implementation, one panel per configuration, from the saved data (results/fit.json). */
export function chartSpec(configsData, peers) {
  const byId = new Map(peers.map((p) => [p.id, p]));
  const values = configsData.flatMap(({ config, rows }) =>
    rows
      .filter((row) => byId.has(row.peer))
      .map((row) => ({
        config: describeConfig(config),
        implementation: peerName(byId.get(row.peer), { bold: false }),
        samplesPerSecond: row.samplesPerSecond,
      })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Mini-batch training, batch ${TRAINING.batchSize}, one thread: samples per second (higher is better)`,
    data: { values },
    facet: {
      row: {
        field: 'config',
        type: 'nominal',
        title: null,
        sort: configsData.map(({ config }) => describeConfig(config)),
        // Each panel's title above it, read left to right: the descriptions are long.
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold' },
      },
    },
    spec: {
      width: 420,
      mark: 'bar',
      encoding: {
        y: {
          field: 'implementation',
          type: 'nominal',
          sort: peers.map((p) => peerName(p, { bold: false })),
          title: null,
          axis: { labelLimit: 800 },
        },
        x: { field: 'samplesPerSecond', type: 'quantitative', title: 'samples/s' },
        tooltip: [{ field: 'samplesPerSecond', format: '.3s' }],
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
