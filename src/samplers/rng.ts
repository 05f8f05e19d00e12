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
  /** The four state words (a typed array: updating them allocates nothing). */
  private readonly s = new Uint32Array(4);

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
    const s = this.s;
    s[0] = next();
    s[1] = next();
    s[2] = next();
    s[3] = next();
    if (((s[0] as number) | (s[1] as number) | (s[2] as number) | (s[3] as number)) === 0) s[0] = 1;
  }

  /** The next 32-bit unsigned integer of the xoshiro128** stream. */
  nextUint32(): number {
    return this.next(0);
  }

  /**
   * The next output shifted right by `shift` (unsigned): with shift ≥ 2 the result is a small
   * integer, which V8 returns without boxing (an output above 2^30 would be a heap number).
   */
  private next(shift: number): number {
    const s = this.s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = (s[2] as number) ^ s0;
    const s3 = (s[3] as number) ^ s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> shift;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** A double uniform on [0, 1) with 53 random bits (two 32-bit outputs). */
  nextFloat(): number {
    const a = this.next(5);
    const b = this.next(6);
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal variate (Box–Muller on two `nextFloat()` draws, cosine branch). */
  nextGaussian(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A generator in the same state, which then runs on its own. */
  clone(): Rng {
    const copy = new Rng(0);
    copy.s.set(this.s);
    return copy;
  }

  /** The four state words, for saving and restoring a stream. */
  state(): [number, number, number, number] {
    return [this.s[0] as number, this.s[1] as number, this.s[2] as number, this.s[3] as number];
  }

  /**
   * Puts the generator back in a state saved with `state()`.
   *
   * @example
   * const saved = rng.state(); rng.nextFloat(); rng.restore(saved); // the same draw comes again
   */
  restore(state: readonly number[]): void {
    for (let i = 0; i < 4; i++) this.s[i] = (state[i] as number) >>> 0;
  }
}
