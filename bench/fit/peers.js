// The implementations of mini-batch training that are measured, and how to start each
// one. A peer whose runtime or package is missing is skipped with a note saying what
// to install; it is never replaced by something else.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import * as blasprop from '../../dist/index.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const nodePeer = here('./node/peer.js');
const pythonPeer = here('./python/peer.py');
const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * The blasprop models whose fit is measured: `module` in node/ builds the model (see
 * node/blasprop-fit.js), `needs` are the exports it uses. Every model is measured in
 * every mode of blasprop-fit.js.
 */
const BLASPROP_MODELS = [
  { id: 'regressor', label: 'TwoLayerRegressor.fit', module: 'blasprop-regressor', needs: ['TwoLayerRegressor'] },
  {
    id: 'model',
    label: 'Model.fit',
    module: 'blasprop-model',
    needs: ['Model', 'Sequential', 'Linear', 'ReLU', 'MSELoss', 'SGD'],
  },
  {
    id: 'regressor-f32',
    label: "TwoLayerRegressor.fit, dtype: 'float32'",
    module: 'blasprop-regressor-f32',
    needs: ['TwoLayerRegressor', 'sgemm'],
    precision: 'f32',
  },
];

const BLASPROP_MODES = [
  { mode: 'worker', label: 'background worker (the default)' },
  { mode: 'worker-batches', label: 'background worker, with onBatchEnd' },
  { mode: 'thread', label: 'background: false' },
];

/**
 * id: stable key; label: for tables; precision: 'f64' | 'f32'; form: which way of
 * writing the loop this is where a library offers more than one ('fastest': the
 * fastest correct loop found, 'idiomatic': as its documentation teaches); c: the C
 * epoch loop's build of that precision, `fused` for its --fused 1 step.
 */
export const PEERS = [
  ...['f64', 'f32'].flatMap((precision) => {
    const suffix = precision === 'f32' ? '-f32' : '';
    return [
      { id: `c-loop${suffix}`, label: 'C epoch loop over OpenBLAS', precision, c: { fused: false } },
      { id: `c-fused${suffix}`, label: 'C epoch loop, SGD folded into the GEMMs', precision, c: { fused: true } },
    ];
  }),
  ...BLASPROP_MODELS.flatMap((model) =>
    BLASPROP_MODES.map(({ mode, label }) => ({
      id: `blasprop-${model.id}-${mode}`,
      label: `blasprop ${model.label}, ${label}`,
      precision: model.precision ?? 'f64',
      blasprop: { model, mode },
    })),
  ),
  ...['f64', 'f32'].flatMap((precision) => [
    {
      id: `torch-fastest${precision === 'f32' ? '-f32' : ''}`,
      label: 'PyTorch, randperm and index_select into preallocated batches',
      precision,
      form: 'fastest',
      torch: 'fastest',
    },
    {
      id: `torch-dataloader${precision === 'f32' ? '-f32' : ''}`,
      label: 'PyTorch, DataLoader(TensorDataset, shuffle=True)',
      precision,
      form: 'idiomatic',
      torch: 'dataloader',
    },
  ]),
];

function hasTorch(interpreter) {
  return spawnSync(interpreter, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

/**
 * How to start each peer on this machine: { command, args } or { skip: reason }.
 * `cBinaries` holds the compiled C loop of each precision, { f64, f32 } (each an
 * Error if it could not be built).
 */
export function locatePeers(cBinaries) {
  const torchPython = ['python3', SYSTEM_PYTHON].find(hasTorch);
  const located = {};
  for (const peer of PEERS) {
    if (peer.c) {
      const binary = cBinaries[peer.precision];
      located[peer.id] =
        binary instanceof Error
          ? { skip: `could not compile: ${binary.message}` }
          : { command: binary, args: peer.c.fused ? ['--fused', '1'] : [] };
    } else if (peer.blasprop) {
      const { model, mode } = peer.blasprop;
      const missing = model.needs.filter((name) => !(name in blasprop));
      located[peer.id] = missing.length
        ? { skip: `dist/index.js does not export ${missing.join(', ')}` }
        : { command: process.execPath, args: [nodePeer, '--impl', model.module, '--mode', mode] };
    } else if (peer.torch) {
      const dtype = peer.precision === 'f32' ? 'float32' : 'float64';
      located[peer.id] = torchPython
        ? { command: torchPython, args: [pythonPeer, '--form', peer.torch, '--dtype', dtype] }
        : { skip: 'PyTorch not installed (Debian: apt-get install -y python3-torch)' };
    }
  }
  return located;
}
