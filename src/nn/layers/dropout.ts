import { checkDropProbability, dropoutBackward, dropoutForward } from '../../kernels/dropout.js';
import { derivedSeed, RANDOM_STATE_WORDS, Random, seedRandomState } from '../../random/prng.js';
import { checkInteger, typeError } from '../../util/check.js';
import type { DType } from '../../util/dtype.js';
import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import type { AnyMatrix } from '../matrix.js';
import { type LayerConfig, Module } from '../module.js';
import type { BuildContext } from './build-context.js';

/** Options of {@link Dropout}; every one is optional. */
export interface DropoutOptions {
  /** The probability of zeroing an element while training, in [0, 1) (default 0.5, PyTorch's). */
  p?: number;
  /** Seed of the mask generator (default 0); ignored when `random` is given. */
  seed?: number;
  /** A generator to draw the mask generator's seed from, shared by several layers (as Linear's weights). */
  random?: Random;
  /** The element type of the input and the output (default 'float64'). */
  dtype?: DType;
}

/**
 * Inverted dropout, as PyTorch's nn.Dropout: in training mode each element is zeroed
 * with probability p and the others are scaled by 1/(1 − p), so that evaluation mode
 * (which passes the input through and draws nothing) needs no rescaling.
 *
 * The masks come from the layer's own xoshiro128** generator. `fit` reseeds it at the
 * start of every epoch from the fit's seed, the epoch and the layer's place in the
 * network, so that the same seed gives the same masks in the foreground and the
 * background, after a resume and when the divergence guard replays steps.
 *
 * @throws TypeError or RangeError when `p` is not a number in [0, 1), `seed` is not a
 *   32-bit integer or `random` is not a {@link Random}.
 */
export class Dropout extends Module {
  /** The name of this layer type in configurations: `{ type: 'Dropout', … }`. */
  static readonly type = 'Dropout';
  /** The probability of zeroing an element while training, in [0, 1). */
  readonly p: number;
  /**
   * The mask generator's state, advanced by every forward pass in training mode.
   * @internal
   */
  readonly randomState = new Uint32Array(RANDOM_STATE_WORDS);
  private outputs: BufferCache | undefined;
  private masks: BufferCache | undefined;
  private inputGrads: BufferCache | undefined;
  private cols = -1;
  /** The forward pass's input, and its mask or null when it passed the input through. */
  private input: AnyMatrix | undefined;
  private mask: AnyMatrix | null = null;

  constructor(options: DropoutOptions = {}) {
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object { p }', options);
    super(options.dtype);
    const { p = 0.5, seed = 0, random } = options;
    this.p = checkDropProbability('p', p);
    if (random !== undefined && !(random instanceof Random)) throw typeError('random', 'a Random', random);
    const stream = random === undefined ? checkInteger('seed', seed, -(2 ** 31), 2 ** 32 - 1) : random.nextUint32();
    seedRandomState(this.randomState, stream);
  }

  /** Rebuilds a Dropout from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(config: LayerConfig, context: BuildContext): Dropout {
    return new Dropout({ p: config.p as number | undefined, random: context.random, dtype: context.dtype });
  }

  override toConfig(): LayerConfig {
    return { type: Dropout.type, p: this.p };
  }

  override describe(): string {
    return `Dropout(${this.p})`;
  }

  /**
   * Restarts the mask generator from a seed that depends only on (seed, epoch, position).
   * @internal
   */
  reseed(seed: number, epoch: number, position: number): void {
    seedRandomState(this.randomState, derivedSeed(seed, epoch, position));
  }

  forward(x: AnyMatrix): AnyMatrix {
    checkMatrix('x', x, { dtype: this.dtype });
    this.input = x;
    if (!this.training || this.p === 0) {
      this.mask = null;
      return x;
    }
    if (x.cols !== this.cols) {
      this.cols = x.cols;
      this.outputs = new BufferCache(x.cols, 0, 4, this.dtype);
      this.masks = new BufferCache(x.cols, 0, 4, this.dtype);
      this.inputGrads = new BufferCache(x.cols, 0, 4, this.dtype);
    }
    const out = this.outputs!.get(x.rows);
    const mask = this.masks!.get(x.rows);
    dropoutForward(x.data.length, this.p, this.randomState, x.data, out.data, mask.data);
    this.mask = mask;
    return out;
  }

  backward(gradOutput: AnyMatrix): AnyMatrix {
    const { input, mask } = this;
    if (input === undefined) throw new Error('Dropout.backward() called before forward()');
    checkMatrix('gradOutput', gradOutput, { rows: input.rows, cols: input.cols, dtype: this.dtype });
    if (mask === null) return gradOutput;
    const grad = this.inputGrads!.get(mask.rows);
    dropoutBackward(mask.data.length, mask.data, gradOutput.data, grad.data);
    return grad;
  }
}

/** The Dropout layers of a network, in the order of its modules (their `position` for reseeding). */
export function dropoutLayersOf(network: Module): Dropout[] {
  const found: Dropout[] = [];
  const visit = (m: Module) => {
    if (m instanceof Dropout) found.push(m);
    for (const [, child] of m.children()) visit(child);
  };
  visit(network);
  return found;
}
