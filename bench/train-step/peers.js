// The implementations of the training step that are measured, and how to start each
// one. A peer whose runtime or package is missing is skipped with a note saying what
// to install; it is never replaced by something else.

import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as blasprop from '../../dist/index.js';
import { packageVersion } from '../lib/packages.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const nodePeer = here('./node/peer.js');
const pythonPeer = here('./python/peer.py');

/**
 * TensorFlow.js runs a large JavaScript library per op: at XS its steps take a thousand
 * or so calls, a few seconds, to reach their steady pace, which a long fit would.
 */
const TFJS_WARMUP_MS = 3000;

/**
 * id: stable key; label: for tables; precision: 'f64' | 'f32'; form: which way of
 * writing the step this is, where a library offers more than one ('fastest': the
 * fastest correct formulation found for it, 'idiomatic': as its documentation teaches);
 * threaded: whether it runs BLAS threads (measured at every thread count) or a single
 * thread only; slow: seconds per step beyond S (no tuned GEMM, or one the formulation
 * does not reach), measured with fewer steps and not at every size; warmupMs: the
 * warm-up a peer needs at least before its pace is steady, where that is longer than
 * the size's; c: the C loop's build of that precision, `fused` for its --fused 1 step.
 */
export const PEERS = [
  ...['f64', 'f32'].flatMap((precision) => {
    const suffix = precision === 'f32' ? '-f32' : '';
    return [
      { id: `c-loop${suffix}`, label: 'C loop over OpenBLAS', precision, threaded: true, c: { fused: false } },
      {
        id: `c-fused${suffix}`,
        label: 'C loop, SGD folded into the GEMMs',
        precision,
        threaded: true,
        c: { fused: true },
      },
    ];
  }),
  { id: 'blasprop-regressor', label: 'blasprop TwoLayerRegressor.trainStep', precision: 'f64', threaded: true },
  { id: 'blasprop-sequential', label: 'blasprop Sequential + MSELoss + SGD', precision: 'f64', threaded: true },
  { id: 'blasprop-model', label: 'blasprop Model.trainStep', precision: 'f64', threaded: true },
  {
    id: 'blasprop-regressor-f32',
    label: "blasprop TwoLayerRegressor.trainStep, dtype: 'float32'",
    precision: 'f32',
    threaded: true,
  },
  {
    id: 'blasprop-sequential-f32',
    label: "blasprop Sequential + MSELoss + SGD, dtype: 'float32'",
    precision: 'f32',
    threaded: true,
  },
  {
    id: 'numpy-preallocated',
    label: 'NumPy, buffers allocated once',
    precision: 'f64',
    form: 'fastest',
    threaded: true,
  },
  { id: 'numpy', label: 'NumPy, one expression per line', precision: 'f64', form: 'idiomatic', threaded: true },
  {
    id: 'numpy-system',
    label: 'NumPy (Debian package), one expression per line',
    precision: 'f64',
    form: 'idiomatic',
    threaded: true,
  },
  { id: 'torch-manual', label: 'PyTorch, tensor ops by hand', precision: 'f64', form: 'fastest', threaded: true },
  {
    id: 'torch-nn',
    label: 'PyTorch nn.Linear + autograd + SGD',
    precision: 'f64',
    form: 'idiomatic',
    threaded: true,
  },
  {
    id: 'torch-nn-f32',
    label: 'PyTorch nn.Linear + autograd + SGD',
    precision: 'f32',
    form: 'idiomatic',
    threaded: true,
  },
  {
    id: 'tfjs-wasm',
    label: 'TensorFlow.js, WebAssembly backend, gradients by hand',
    precision: 'f32',
    form: 'fastest',
    threaded: false,
    warmupMs: TFJS_WARMUP_MS,
  },
  {
    id: 'tfjs-wasm-minimize',
    label: 'TensorFlow.js, WebAssembly backend, optimizer.minimize',
    precision: 'f32',
    form: 'idiomatic',
    threaded: false,
    slow: true,
    warmupMs: TFJS_WARMUP_MS,
  },
  {
    id: 'tfjs-cpu',
    label: 'TensorFlow.js, JavaScript CPU backend, gradients by hand',
    precision: 'f32',
    form: 'fastest',
    threaded: false,
    slow: true,
    warmupMs: TFJS_WARMUP_MS,
  },
  {
    id: 'tfjs-cpu-minimize',
    label: 'TensorFlow.js, JavaScript CPU backend, optimizer.minimize',
    precision: 'f32',
    form: 'idiomatic',
    threaded: false,
    slow: true,
    warmupMs: TFJS_WARMUP_MS,
  },
  { id: 'ml-matrix', label: 'ml-matrix', precision: 'f64', threaded: false, slow: true },
  { id: 'naive-js', label: 'plain JavaScript loops', precision: 'f64', threaded: false, slow: true },
];

/** What a Python interpreter has: its real path and the versions of `modules`, or undefined. */
function probePython(interpreter, modules) {
  const code = `import sys, json\n${modules.map((m) => `import ${m}`).join('\n')}\nprint(json.dumps({"exe": sys.executable, ${modules.map((m) => `"${m}": ${m}.__file__`).join(', ')}}))`;
  const run = spawnSync(interpreter, ['-c', code], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    return undefined;
  }
}

function realpath(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

const SYSTEM_PYTHON = '/usr/bin/python3';

const missingBlaspropExports = (names) => names.filter((name) => !(name in blasprop));

/**
 * How to start each peer on this machine: { command, args } or { skip: reason }.
 * `cBinaries` holds the compiled C loop of each precision, { f64, f32 } (each an
 * Error if it could not be built).
 */
export function locatePeers(cBinaries) {
  const python = probePython('python3', ['numpy']);
  const systemPython = probePython(SYSTEM_PYTHON, ['numpy']);
  const torchPython = ['python3', SYSTEM_PYTHON].find((interpreter) => probePython(interpreter, ['torch']));
  const cPeer = ({ precision, c }) => {
    const binary = cBinaries[precision];
    if (binary instanceof Error) return { skip: `could not compile: ${binary.message}` };
    return { command: binary, args: c.fused ? ['--fused', '1'] : [] };
  };
  const node = (impl, extra = []) => ({ command: process.execPath, args: [nodePeer, '--impl', impl, ...extra] });
  const py = (interpreter, impl) => ({ command: interpreter, args: [pythonPeer, '--impl', impl] });
  const needsExports = (impl, names) => {
    const missing = missingBlaspropExports(names);
    return missing.length ? { skip: `dist/index.js does not export ${missing.join(', ')} yet` } : node(impl);
  };
  /** The same peer, told which dtype to run in (its --form). */
  const withForm = (located, form) =>
    located.skip ? located : { ...located, args: [...located.args, '--form', form] };
  const needsPackages = (names, impl, extra) => {
    const missing = names.find((name) => !packageVersion(name));
    return missing
      ? { skip: `npm package ${missing} is not installed (npm install --save-dev ${missing})` }
      : node(impl, extra);
  };
  const tfjsWasm = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];
  const noTorch = { skip: 'PyTorch not installed (Debian: apt-get install -y python3-torch)' };
  const noNumpy = { skip: 'python3 with numpy not found (apt-get install -y python3-numpy)' };

  return {
    ...Object.fromEntries(PEERS.filter((peer) => peer.c).map((peer) => [peer.id, cPeer(peer)])),
    'blasprop-regressor': needsExports('blasprop-regressor', ['TwoLayerRegressor', 'Matrix']),
    'blasprop-sequential': needsExports('blasprop-sequential', ['Sequential', 'Linear', 'ReLU', 'MSELoss', 'SGD']),
    'blasprop-model': needsExports('blasprop-model', ['Model', 'Sequential', 'Linear', 'ReLU', 'MSELoss', 'SGD']),
    'blasprop-regressor-f32': withForm(needsExports('blasprop-regressor', ['TwoLayerRegressor', 'sgemm']), 'float32'),
    'blasprop-sequential-f32': withForm(needsExports('blasprop-sequential', ['Sequential', 'sgemm']), 'float32'),
    'numpy-preallocated': python ? py('python3', 'numpy-preallocated') : noNumpy,
    numpy: python ? py('python3', 'numpy') : noNumpy,
    // Debian's NumPy calls the system OpenBLAS, the one the addon uses; measured when it
    // is a different NumPy from the one `python3` runs (e.g. a pip wheel with its own).
    'numpy-system':
      systemPython === undefined
        ? { skip: `${SYSTEM_PYTHON} has no numpy (apt-get install -y python3-numpy)` }
        : python && realpath(python.numpy) === realpath(systemPython.numpy)
          ? { skip: 'the same NumPy as the row above' }
          : py(SYSTEM_PYTHON, 'numpy'),
    'torch-manual': torchPython ? py(torchPython, 'torch-manual') : noTorch,
    'torch-nn': torchPython ? py(torchPython, 'torch-nn') : noTorch,
    'torch-nn-f32': torchPython ? py(torchPython, 'torch-nn-f32') : noTorch,
    'tfjs-wasm': needsPackages(tfjsWasm, 'tfjs-wasm', ['--form', 'by-hand']),
    'tfjs-wasm-minimize': needsPackages(tfjsWasm, 'tfjs-wasm', ['--form', 'minimize']),
    'tfjs-cpu': needsPackages(['@tensorflow/tfjs'], 'tfjs-cpu', ['--form', 'by-hand']),
    'tfjs-cpu-minimize': needsPackages(['@tensorflow/tfjs'], 'tfjs-cpu', ['--form', 'minimize']),
    'ml-matrix': needsPackages(['ml-matrix'], 'ml-matrix'),
    'naive-js': node('naive-js'),
  };
}
