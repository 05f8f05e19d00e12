import { InvalidParameterError } from '../core/errors.js';

/**
 * A seeded pseudo-random generator with a fixed integer algorithm, so that one seed gives
 * the same draws on every machine, in Node and in the browser: **xoshiro128\*\*** (Blackman
 * and Vigna, 2018) on four 32-bit words, seeded by **splitmix32**.
 *
 * Seeding, exactly: the seed is an integer in [0, 2^53). Let `lo = seed mod 2^32` and
 * `hi = floor(seed / 2^32)`. A splitmix32 stream starts at `x = lo ^ Math.imul(hi, 0x9e3779b9)`;
 * each output adds `0x9e3779b9` to x, then mixes `z = x; z = (z ^ z>>>16)·0x21f0aaad;
 * z = (z ^ z>>>15)·0x735a2d97; z ^= z>>>15` (32-bit wrap-around). The first four outputs
 * are the state words (an all-zero state cannot occur in practice; it is replaced by 1).
 *
 * `nextFloat()` is `(a>>>5 · 2^26 + b>>>6) / 2^53` from two consecutive 32-bit outputs:
 * a double uniform on [0, 1) with 53 random bits.
 *
 * @example
 * const rng = new Rng(42);
 * rng.nextUint32(); // the same number on every machine
 * rng.nextFloat();  // in [0, 1)
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** Re-seeds the generator; the same seed restarts the same stream. */
  seed(seed: number): void {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
      throw new InvalidParameterError('seed', seed, `an integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
    }
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let x = (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit unsigned integer of the xoshiro128** stream. */
  nextUint32(): number {
    const s1 = this.s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** A double uniform on [0, 1) with 53 random bits (two 32-bit outputs). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal variate (Box–Muller on two `nextFloat()` draws, cosine branch). */
  nextGaussian(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** The four state words, for saving and restoring a stream. */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}
