// A small, fast, seedable PRNG so that initialisation, shuffling, dropout masks and
// synthetic data are reproducible across runs, threads and machines: xoshiro128**
// (Blackman & Vigna), seeded by SplitMix32 from a single integer. All arithmetic is
// 32-bit integer, so results are bit-identical everywhere. The state is four 32-bit
// words in a Uint32Array, so that a native kernel (native/src/kernels/dropout.cc,
// the same algorithm) can draw from it and advance it in place.

/** Words of a generator state. */
export const RANDOM_STATE_WORDS = 4;

function splitMix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Fills `state` (RANDOM_STATE_WORDS words) from `seed`: any integer, of which only the low 32 bits matter. */
export function seedRandomState(state: Uint32Array, seed: number): Uint32Array {
  const next = splitMix32(seed);
  for (let i = 0; i < RANDOM_STATE_WORDS; i++) state[i] = next();
  return state;
}

/** The next uniformly distributed 32-bit unsigned integer of the generator in `state`, advancing it. */
export function nextUint32(state: Uint32Array): number {
  const s0 = state[0];
  const s1 = state[1];
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  const s2 = state[2] ^ s0;
  const s3 = state[3] ^ s1;
  state[1] = s1 ^ s2;
  state[0] = s0 ^ s3;
  state[2] = s2 ^ t;
  state[3] = rotl(s3, 11);
  return result;
}

/**
 * The seed of a stream that depends only on (seed, a, b): distinct pairs give
 * unrelated streams, as the epoch order does for (seed, epoch).
 */
export function derivedSeed(seed: number, a: number, b: number): number {
  return (seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 0;
}

/**
 * A seedable random number generator, xoshiro128**: the one behind blasprop's
 * initial weights and shuffling. Pass one to several layers (`new Linear(…, { random })`)
 * so that they draw their weights from one stream; the same seed gives the same
 * numbers on every machine and thread.
 */
export class Random {
  private readonly state = new Uint32Array(RANDOM_STATE_WORDS);

  /** `seed` is any integer (only its low 32 bits matter) — the same seed, the same stream. */
  constructor(seed: number) {
    seedRandomState(this.state, seed);
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    return nextUint32(this.state);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A standard normal deviate (Box–Muller; one uniform pair per value, no hidden state). */
  normal(): number {
    // 1 - uniform() lies in (0, 1], so the logarithm is finite.
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniform in [0, n), without modulo bias. */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Fills `out` with standard normal deviates times `scale`; a Float32Array holds each
   * rounded to float32, so a float32 network starts from its float64 twin's weights, rounded.
   */
  fillNormal<A extends Float32Array | Float64Array>(out: A, scale = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = this.normal() * scale;
    return out;
  }

  /** Shuffles `items` in place (Fisher–Yates). */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
