import { ExactSum } from '../../core/exactSum.js';
import { MassCut } from '../cumulativeMass.js';

/**
 * The cumulative-mass rule (`MassCut`) when the total and the mass ranked before the first
 * token fed are known only within bounds (the fast path sums in float64 in its own order, or
 * approximates a tail): it runs the rule at both ends of the bounds — the earliest possible
 * cut (smallest total, largest start) and the latest — and the cut is certain when both
 * agree, since the cut moves monotonically with the total and the start. When they do not,
 * the caller computes the exact sums and runs `MassCut` itself.
 *
 * @example
 * cut.reset(exactPart, lowTail, highTail, null, 0, 0, 0.95);
 * for (...) if (cut.feed(w, 1)) break;
 * cut.decided; // whether both ends cut at the same token
 */
export class CertifiedCut {
  private readonly early = new MassCut();
  private readonly late = new MassCut();
  private readonly low = new ExactSum();
  private readonly high = new ExactSum();
  private readonly one = new Float64Array(1);
  /** lo, hi, startLo, startHi of `resetBounds`. */
  readonly bounds = new Float64Array(4);
  /** Tokens fed so far. */
  fed = 0;
  /** Position (1-based, among the tokens fed) where each end crossed; 0 while it has not. */
  earlyAt = 0;
  lateAt = 0;

  /**
   * Starts a cut of `p`: the total is `exact` (may be empty) plus something in [lo, hi]; the
   * mass before the first token fed is `start` (exact, or null) plus something in [startLo, startHi].
   */
  reset(exact: ExactSum, lo: number, hi: number, start: ExactSum | null, startLo: number, startHi: number, p: number): void {
    const bounds = this.bounds;
    bounds[0] = lo;
    bounds[1] = hi;
    bounds[2] = startLo;
    bounds[3] = startHi;
    this.resetBounds(exact, start, p);
  }

  /**
   * `reset` with the bounds already in `bounds` (lo, hi, startLo, startHi): hot callers write
   * them there, since V8 boxes doubles passed to a call it does not inline.
   */
  resetBounds(exact: ExactSum, start: ExactSum | null, p: number): void {
    const bounds = this.bounds;
    this.low.clear();
    this.low.addSum(exact);
    this.low.addAt(bounds, 0);
    this.high.clear();
    this.high.addSum(exact);
    this.high.addAt(bounds, 1);
    this.early.reset(this.low, p);
    this.late.reset(this.high, p);
    if (start !== null || (bounds[3] as number) > 0) {
      this.early.seedAt(bounds, 3, start);
      this.late.seedAt(bounds, 2, start);
    }
    this.fed = 0;
    this.earlyAt = 0;
    this.lateAt = 0;
  }

  /** Feeds `count` tokens of weight `w`; true once the latest end has crossed (feeding can stop). */
  feed(w: number, count: number): boolean {
    const one = this.one;
    one[0] = w;
    return this.feedAt(one, 0, count);
  }

  /** `feed(weights[i], count)`, boxing nothing (see `MassCut.feedAt`). */
  feedAt(weights: Float64Array, i: number, count: number): boolean {
    if (this.earlyAt === 0) {
      const j = this.early.feedAt(weights, i, count);
      if (j > 0) this.earlyAt = this.fed + j;
    }
    const j = this.late.feedAt(weights, i, count);
    this.fed += count;
    if (j > 0) {
      this.lateAt = this.fed - count + j;
      return true;
    }
    return false;
  }

  /** Whether both ends crossed at the same token. */
  get decided(): boolean {
    return this.lateAt > 0 && this.earlyAt === this.lateAt;
  }
}
