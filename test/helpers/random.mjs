// Seeded pseudo-random numbers (the mulberry32 generator), so that every generated
// case can be replayed from the seed printed next to a failure. Plain ESM with JSDoc
// rather than TypeScript: worker fixtures run outside vitest, without a TypeScript
// loader, and import it too.

export class Random {
  /** @param {number} seed any integer; the same seed gives the same sequence */
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** @returns {number} uniform in [0, 1) */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** @returns {number} an integer in [min, max] */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** @returns {boolean} true with probability p */
  chance(p) {
    return this.next() < p;
  }

  /**
   * @template T
   * @param {readonly T[]} items
   * @returns {T}
   */
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** @returns {Float64Array} `length` values uniform in [-1, 1) */
  values(length) {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = 2 * this.next() - 1;
    return out;
  }
}
