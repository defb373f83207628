/**
 * Seeded randomness for request picks and think time, so a run can be
 * replayed: the same seed and plan give the same choices per VU (closed
 * models) or per arrival order (open models).
 */

/** splitmix32: spreads (seed, stream) into well-mixed state words. */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** sfc32: small, fast, good enough for load shaping (not for cryptography). */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** One independent stream per (seed, stream), e.g. stream = global VU index. */
  constructor(seed: number, stream: number) {
    this.#a = mix(seed);
    this.#b = mix(this.#a ^ stream);
    this.#c = mix(this.#b + stream);
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}
