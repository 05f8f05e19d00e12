/**
 * A float32 running sum that adds the same float32 value `q` many times — what llama.cpp's
 * top-p does over a group of tokens tied in value — computed without one addition per token.
 *
 * Within one binade of the sum (ulp u), `fl32(s + q)` adds a fixed multiple of u: q = a·u + r
 * rounds to a·u (r < u/2) or (a+1)·u (r > u/2); at r = u/2 exactly the first addition makes
 * s/u even and every later one then adds the even one of a·u, (a+1)·u. So after one explicit
 * step the increment is constant until the sum leaves the binade, and the steps are taken in
 * bulk. Once the increment is 0 the sum has stopped growing (q < u/2: a float32 sum no longer
 * sees the small probabilities it adds).
 *
 * @example
 * const run = new Float32Run();
 * run.start(0);
 * run.addUntil(0.1, 20, 1.5); // 0: 20 additions of fl32(0.1) stay below 1.5
 * run.sum; // the float32 sum after 20 additions, as a loop would give
 */
export class Float32Run {
  /** The running sum (a float32 value; a non-integer start keeps the field float64 in V8). */
  sum = 0.5;

  start(sum: number): void {
    this.sum = Math.fround(sum);
  }

  /**
   * Adds `q` (a float32) up to `count` times, stopping at the first addition after which the
   * sum is ≥ `target`; returns how many additions that took (1..count), or 0 when the target
   * was not reached (all `count` were added).
   */
  addUntil(q: number, count: number, target: number): number {
    let s = this.sum;
    let done = 0;
    while (done < count) {
      // One explicit step (it settles the parity in the tie case).
      s = Math.fround(s + q);
      done++;
      if (s >= target) {
        this.sum = s;
        return done;
      }
      const step = Math.fround(s + q) - s;
      if (step === 0) {
        // The sum no longer grows: the remaining additions change nothing.
        this.sum = s;
        return 0;
      }
      const limit = binadeEnd(s);
      // Bulk steps need the same increment at s and at s + step, inside one binade.
      if (!(step > 0) || s + step >= limit || Math.fround(s + step + q) - (s + step) !== step) continue;
      // k more steps: the largest k with s + k·step < limit, at most what is left.
      let k = Math.floor((limit - s) / step);
      while (k > 0 && s + k * step >= limit) k--;
      while (s + (k + 1) * step < limit) k++;
      k = Math.min(k, count - done);
      if (k <= 0) continue;
      if (s + k * step >= target) {
        // The target is reached within these k steps (k < 2^24: exact arithmetic): the
        // smallest j with s + j·step ≥ target.
        let j = Math.max(1, Math.ceil((target - s) / step));
        while (j > 1 && s + (j - 1) * step >= target) j--;
        while (s + j * step < target) j++;
        this.sum = s + j * step;
        return done + j;
      }
      s += k * step; // exact: a multiple of the binade's ulp below its end
      done += k;
    }
    this.sum = s;
    return 0;
  }
}

/** The smallest power of two above the float32 value s ≥ 0 (where its ulp doubles). */
function binadeEnd(s: number): number {
  if (s < 2 ** -126) return 2 ** -126; // subnormal: the ulp is fixed up to the normal range
  F32[0] = s;
  const exponent = ((U32[0] as number) >>> 23) & 0xff;
  return 2 ** (exponent - 126);
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
