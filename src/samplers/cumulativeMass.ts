import { ExactSum } from '../core/exactSum.js';

/**
 * The `knobs` profile's cumulative-mass rule, the one definition that top-p and typical-p
 * (reference and fast forms) apply: with every live token's weight `w = exp32(l − max)` (a
 * float32), tokens are taken in the sampler's rank order and the kept prefix is the
 * smallest whose exact mass Σw reaches `p` times the exact total (the crossing token is
 * kept; p is the float64 given). Sums are exact (`ExactSum`), so the result does not depend
 * on summation order, and a token with weight 0 still counts as a token.
 *
 * Tokens are fed in rank order, one at a time or in runs of equal weight (a tie group): the
 * runs of a fast path and the single tokens of a reference sampler give the same cut.
 *
 * @example
 * const cut = new MassCut();
 * cut.reset(total, 0.9);            // total: an ExactSum of every live weight
 * cut.feed(w0, 1); cut.feed(w1, 3); // 0 while the prefix stays below 0.9·total, else how many of the run it takes
 */
export class MassCut {
  /** Exact mass of the tokens fed so far, up to the run that crosses. */
  readonly prefix = new ExactSum();
  private total: ExactSum | null = null;
  // Float fields start as non-integers: V8 then stores them as float64 from the first write.
  private p = 0.5;
  /** float64 running approximation of `prefix`, and a bound on its error. */
  private approx = 0.5;
  private approxError = 0.5;
  /** Approximation of p·total, and a bound on its error. */
  private target = 0.5;
  private targetError = 0.5;
  private started = false;
  private readonly one = new Float64Array(1);
  private readonly args = new Float64Array(2);

  /** Starts a new cut of `p` of `total` (the exact sum of every live weight). */
  reset(total: ExactSum, p: number): void {
    this.total = total;
    this.p = p;
    this.prefix.clear();
    this.approx = 0;
    this.approxError = 0;
    total.approximate();
    const s = total.hi + total.lo;
    this.target = p * s;
    this.targetError = p * (total.error + Math.abs(total.lo) * U + Math.abs(s) * 2 * U) + Math.abs(this.target) * U;
    this.started = false;
  }

  /**
   * Starts the prefix at `mass` (a float64) plus `exact` (when given): the mass of tokens that
   * rank before the first one fed (the fast path's "everything above the bracket").
   */
  seed(mass: number, exact: ExactSum | null = null): void {
    const one = this.one;
    one[0] = mass;
    this.seedAt(one, 0, exact);
  }

  /** `seed(values[i], exact)`, boxing nothing (see `feedAt`). */
  seedAt(values: Float64Array, i: number, exact: ExactSum | null): void {
    const mass = values[i] as number;
    if (exact !== null) {
      this.prefix.addSum(exact);
      exact.approximate();
      this.approx += exact.hi + exact.lo;
      this.approxError += exact.error + 2 * U * Math.abs(this.approx);
    }
    this.add(mass);
    this.started = true;
  }

  /**
   * Feeds the next `count` tokens in rank order, each of weight `w` (≥ 0, a float32). Returns
   * how many of them the kept prefix takes (1..count) when it reaches p·total among them,
   * else 0 (all were added to the prefix). `p = 0` takes the first token.
   */
  feed(w: number, count: number): number {
    const one = this.one;
    one[0] = w;
    return this.feedAt(one, 0, count);
  }

  /**
   * `feed(weights[i], count)`. Hot loops call this form: a double passed to a call that V8
   * does not inline is boxed (one heap number per call), an index and an array are not.
   */
  feedAt(weights: Float64Array, i: number, count: number): number {
    if (count <= 0) return 0;
    if (!this.started) {
      this.started = true;
      if (this.p <= 0) return 1; // the empty prefix reaches 0: at least one token is kept
    }
    const w = weights[i] as number;
    const run = count * w; // exact: count < 2^29 and w a float32
    // Clearly below the target even with the whole run: add it and go on.
    if (this.approx + run + this.approxError + 2 * U * (this.approx + run) < this.target - this.targetError) {
      this.add(run);
      return 0;
    }
    if (w === 0 || this.below(run)) {
      this.add(run);
      return 0;
    }
    // The crossing is in this run: the smallest j with prefix + j·w ≥ p·total.
    let j = Math.min(count, Math.max(1, Math.ceil((this.target - this.approx) / w)));
    while (j < count && this.below(j * w)) j++;
    while (j > 1 && !this.below((j - 1) * w)) j--;
    return j;
  }

  /** Whether prefix + extra < p·total, exactly (the arguments go through a typed array: nothing is boxed). */
  private below(extra: number): boolean {
    const args = this.args;
    args[0] = extra;
    args[1] = this.p;
    return this.prefix.compareAt(args, this.total as ExactSum) < 0;
  }

  private add(run: number): void {
    if (run === 0) return;
    const args = this.args;
    args[0] = run;
    this.prefix.addAt(args, 0);
    this.approx += run;
    this.approxError += U * this.approx + U * run;
  }
}

/** Unit roundoff of float64. */
const U = 2 ** -53;

/**
 * The float32 (or with `float64`, the float64) nearest to the exact ratio
 * `numerator / denominator` of two exact sums (the denominator positive), ties to even.
 * Typical-p's centre is `roundedRatio(Σ w·l, Σ w)`.
 *
 * @example
 * roundedRatio(moment, total); // fround(moment / total), decided exactly
 */
export function roundedRatio(numerator: ExactSum, denominator: ExactSum, float64 = false): number {
  numerator.approximate();
  denominator.approximate();
  const n = numerator.hi + numerator.lo;
  const d = denominator.hi + denominator.lo;
  const q = n / d;
  const candidate = float64 ? q : Math.fround(q);
  // The exact ratio is within `slack` of q (the sums' errors, and the division's).
  const slack = Math.abs(q) * ((numerator.error + Math.abs(n) * U) / Math.abs(n || 1) + (denominator.error + d * U) / d + 4 * U) + 1e-300;
  const below = float64 ? nextDown64(candidate) : nextDown32(candidate);
  const above = float64 ? -nextDown64(-candidate) : -nextDown32(-candidate);
  const low = (candidate + below) / 2;
  const high = (candidate + above) / 2;
  if (q - slack > low && q + slack < high) return candidate;
  // Exact: n − m·d has the sign of n/d − m for each midpoint m (exact halves of neighbours).
  const even = float64 ? evenBits64(candidate) : evenBits32(candidate);
  const atLow = numerator.compare(0, low, denominator);
  if (atLow < 0 || (atLow === 0 && !even)) return below;
  const atHigh = numerator.compare(0, high, denominator);
  if (atHigh > 0 || (atHigh === 0 && !even)) return above;
  return candidate;
}

/**
 * The smallest float32 `t` with `t ≥ p · total` exactly (p ≥ 0, total an exact sum): a token
 * of float32 weight w has mass at least p of the total exactly when `w ≥ t`.
 *
 * @example
 * massThreshold(3e-4, total); // epsilon's cutoff on weights
 */
export function massThreshold(p: number, total: ExactSum): number {
  total.approximate();
  let t = Math.fround(p * (total.hi + total.lo));
  const zero = THRESHOLD;
  zero.clear();
  // Walk to the exact answer: t ≥ p·total, and the float32 below t is not.
  while (zero.compare(t, p, total) < 0) t = -nextDown32(-t);
  while (t > 0 && zero.compare(nextDown32(t), p, total) >= 0) t = nextDown32(t);
  return t;
}

const THRESHOLD = new ExactSum();

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function evenBits32(x: number): boolean {
  F32[0] = x;
  return ((U32[0] as number) & 1) === 0;
}

function nextDown32(x: number): number {
  F32[0] = x;
  const bits = U32[0] as number;
  if (x === 0) U32[0] = 0x80000001;
  else U32[0] = x > 0 ? bits - 1 : bits + 1;
  return F32[0] as number;
}

const F64 = new Float64Array(1);
const W64 = new Uint32Array(F64.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

function evenBits64(x: number): boolean {
  F64[0] = x;
  return ((W64[LOW] as number) & 1) === 0;
}

/** The float64 next to x toward -Infinity (x finite). */
function nextDown64(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  F64[0] = x;
  const low = W64[LOW] as number;
  const high = W64[1 - LOW] as number;
  // Magnitude one unit smaller for x > 0, larger for x < 0 (the bits are sign-magnitude).
  if (x > 0) {
    W64[LOW] = (low - 1) >>> 0;
    if (low === 0) W64[1 - LOW] = high - 1;
  } else {
    W64[LOW] = (low + 1) >>> 0;
    if (low === 0xffffffff) W64[1 - LOW] = high + 1;
  }
  return F64[0] as number;
}
