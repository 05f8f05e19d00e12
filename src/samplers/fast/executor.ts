import { exp32InPlace } from '../../core/exp.js';
import { HISTOGRAM_KEYS, type Kernel } from '../../kernel/kernel.js';
import { scaleValue } from '../../kernel/tsKernel.js';
import type { Candidates } from '../candidates.js';
import { drawToken } from '../draw.js';
import type { Rng } from '../rng.js';
import type { Sampler, SamplerContext } from '../sampler.js';
import { F32, ID_SPAN, MAX_PACKED_ID, U32, ceilFloat32, floatKey, keyFloat, keyId, sortKeys } from './order.js';
import type { FastPlan, FastStage } from './plan.js';

/** Returned when a row must go through the reference per-stage path instead. */
export const FALL_BACK = -1;

/** What the fast path did, counted over the rows it saw (for tests and benchmarks). */
export interface FastStats {
  /** Rows started. */
  rows: number;
  /** Rows handed to the reference path (invalid input, or a decision within rounding). */
  fallbacks: number;
  /** Top-p cuts that needed the exact normaliser (the tail bound was not enough). */
  exactTotals: number;
  /** Top-p cuts taken from the histogram of exact weights (large nucleus). */
  largeNuclei: number;
  /** Draws over large survivor sets, and how many of those were replayed in id order. */
  largeDraws: number;
  replays: number;
}

/**
 * Test switches that force the rarely taken certified paths, so that tests can check them
 * against the reference: the exact normaliser for every top-p cut, the large-nucleus path for
 * every nucleus, the full histogram instead of the sampled bracket, the id-order replay for
 * every large draw. Never set outside tests.
 */
export const fastPathTesting = { exactTotals: false, largeNuclei: false, replays: false, fullHistogram: false };

const REGISTRY = new WeakMap<object, FastChain>();

/** The fast path behind a sampler made by `createSampler`, if it has one. */
export function fastChainOf(sampler: object): FastChain | undefined {
  return REGISTRY.get(sampler);
}

/** Remembers the fast path of a sampler (used by `createSampler`). */
export function registerFastChain(sampler: object, fast: FastChain): void {
  REGISTRY.set(sampler, fast);
}

/** Largest explicit set (top-k, nucleus, gathered tokens) handled by sorting; more goes to the histogram path. */
const CAP = 4096;
/** Unit roundoff of float64. */
const U = 2 ** -53;
/** Tokens whose scaled logit is this far below the maximum have weight exactly 0 (`exp32` underflows at -87.7). */
const SPAN = 90;
/** Relative error bound of `exp32` against e^x (2 ulp of float32, with margin). */
const EXP32_ERROR = 4e-7;
/** After a top-p cut needed the exact total, this many rows use the finer tail approximation. */
const PRECISE_ROWS = 256;
/** One weight in this many is sampled to place a large nucleus's cut. */
const SAMPLE_STRIDE = 16;
/** Histogram keys (float32 bits >>> 16, 1/128 of a binade each) on each side of the estimate. */
const BRACKET_KEYS = 3;
/** Blocks of 2^10 ids for the draw over a large survivor set. */
const BLOCK_SHIFT = 10;

/** The lowest finite float32: `x >= LOWEST` holds exactly for the live (finite) logits. */
const LOWEST = -3.4028234663852886e38;

const ORDER_ID = 0;
const ORDER_DESCENDING = 1;
const ORDER_UNKNOWN = 2;

const STATE_IMPLICIT = 0;
const STATE_EXPLICIT = 1;

/**
 * Runs a recognised chain (`planFastChain`) on one row of logits with the same results as
 * the reference per-stage path: the same kept set, the same probabilities (within float32
 * rounding: sums may be added in another order) and the same drawn token for the same seed.
 * It never sorts the vocabulary and never evaluates an exponential per token on the common
 * paths.
 *
 * How, in short. The live set is kept implicit — every token whose logit is at least a
 * threshold — until a stage narrows it to a few tokens, which then become an explicit list
 * in the chain's `Candidates` and the remaining stages run as the reference samplers on that
 * list. Temperature is a monotone map of the logits (float32 rounding may only create ties),
 * so thresholds on logits stay thresholds. Min-p is a logit threshold. Top-k gathers the
 * tokens above an adaptive threshold and sorts those. Top-p gathers the tokens near the top,
 * computes their exact weights, and bounds the rest of the normaliser from one pass over the
 * vocabulary (`Kernel.gatherTail`: a cheap approximation with a proven error bound); the
 * nucleus is decided when every total inside the bounds gives the same cut, else from exact
 * weights of the whole vocabulary, else (a cumulative sum within rounding of p·total) by
 * the reference. A large nucleus is cut from a histogram of exact weights, and drawn from
 * with block sums. Every decision that float rounding could change is certified by error
 * bounds, or handed to the reference rule, so no result depends on summation order.
 *
 * Scratch is sized once per vocabulary; a row allocates nothing.
 */
export class FastChain {
  readonly stats: FastStats = { rows: 0, fallbacks: 0, exactTotals: 0, largeNuclei: 0, largeDraws: 0, replays: 0 };
  private readonly stages: readonly FastStage[];
  private readonly topPAfter: readonly boolean[];
  private keys = new Float64Array(CAP);
  private values = new Float64Array(CAP);
  private weightsOf = new Float64Array(CAP);
  /** Per stage: the last gap (top-k: raw logits; top-p: scaled) that held the cut, to gather just enough next time. */
  private readonly gaps: Float64Array;
  /** Per stage: rows left that use the finer (costlier) tail approximation. */
  private readonly precise: Int32Array;
  // Row state.
  private n = 0;
  // Float fields start as non-integers so that V8 gives them a float64 representation from
  // the first store on (an integer start may make a later double store allocate).
  private top = 0.5;
  private size = 0;
  private live = LOWEST;
  private mode = 0;
  private d = 0.5;
  private inverse = 0.5;
  private order = ORDER_ID;
  private state = STATE_IMPLICIT;
  private weightsValid = false;
  private weightsLive = LOWEST;
  /** Scratch of `sampledBracket`. */
  private readonly sampleCounts = new Int32Array(HISTOGRAM_KEYS);
  private readonly sampleMasses = new Float64Array(HISTOGRAM_KEYS);
  private readonly fineCounts = new Int32Array((2 * BRACKET_KEYS + 1) << 6);
  private readonly fineMasses = new Float64Array((2 * BRACKET_KEYS + 1) << 6);
  private wBits: Int32Array = new Int32Array(0);
  private wBitsSource: Float32Array | null = null;
  private aboveCount = 0;
  /** Candidates already gathered by the first pass for a leading top-k (-1 overflow, -2 none). */
  private pregathered = -2;
  /** The current value of the maximum (`value(top)`), kept up to date. */
  private best = 0.5;
  /** Small float64 results of helpers (a field write boxes nothing, a returned double may). */
  private readonly t = new Float64Array(4);

  constructor(
    plan: FastPlan,
    private readonly samplers: readonly Sampler[],
    private readonly kernel: Kernel,
  ) {
    this.stages = plan.stages;
    this.topPAfter = plan.topPAfter;
    this.gaps = new Float64Array(plan.stages.length);
    this.precise = new Int32Array(plan.stages.length);
  }

  /**
   * Runs the chain on `n` logits at `source[offset..]` and draws a token with `rng`; returns
   * `FALL_BACK` (without touching `rng`) when the row must take the reference path.
   */
  sample(source: ArrayLike<number>, offset: number, n: number, candidates: Candidates, context: SamplerContext, rng: Rng): number {
    if (this.run(source, offset, n, candidates, context) === FALL_BACK) return this.fellBack();
    if (this.state === STATE_EXPLICIT) return drawToken(candidates, rng);
    if (this.size <= CAP) {
      if (this.materialise(candidates) === FALL_BACK) return this.fellBack();
      return drawToken(candidates, rng);
    }
    this.t[3] = rng.nextFloat();
    return this.drawLarge();
  }

  private fellBack(): number {
    this.stats.fallbacks++;
    return FALL_BACK;
  }

  /** Writes the final distribution into `out`; false when the row must take the reference path. */
  distribution(source: ArrayLike<number>, offset: number, n: number, candidates: Candidates, context: SamplerContext, out: Float32Array): boolean {
    if (this.run(source, offset, n, candidates, context) === FALL_BACK || (this.state === STATE_IMPLICIT && this.size <= CAP && this.materialise(candidates) === FALL_BACK)) {
      this.stats.fallbacks++;
      return false;
    }
    if (this.state === STATE_EXPLICIT) {
      candidates.writeDistribution(out);
      return true;
    }
    this.ensureWeights();
    const kernel = this.kernel;
    kernel.args[0] = this.live;
    const blocks = kernel.blockSums(n, BLOCK_SHIFT);
    let total = 0;
    for (let b = 0; b < blocks; b++) total += kernel.blocks[b] as number;
    const inverse = 1 / total;
    const x = kernel.logits;
    const w = kernel.w;
    const live = this.live;
    out.fill(0);
    for (let i = 0; i < n; i++) if ((x[i] as number) >= live) out[i] = (w[i] as number) * inverse;
    return true;
  }

  private run(source: ArrayLike<number>, offset: number, n: number, candidates: Candidates, context: SamplerContext): number {
    this.stats.rows++;
    if (n > MAX_PACKED_ID) return FALL_BACK;
    const kernel = this.kernel;
    kernel.reserve(n);
    kernel.load(source, offset, n);
    const stages = this.stages;
    // A chain that starts greedy needs only the first maximum: one pass.
    const head = stages[0];
    const greedyFirst = head !== undefined && head.kind === 'greedy';
    // A chain that starts with top-k gathers its candidates in the same pass as the maximum.
    const topKFirst = head !== undefined && head.kind === 'top_k' && head.k > 0 && head.keep <= CAP;
    let finite = 1;
    let first = 0;
    this.pregathered = -2;
    if (greedyFirst) first = kernel.argmax(n);
    else if (topKFirst) {
      kernel.args[0] = (this.gaps[0] as number) > 0 ? (this.gaps[0] as number) : 1;
      finite = kernel.scanGather(n, CAP);
      this.pregathered = kernel.gathered;
    } else finite = kernel.scan(n);
    const top = kernel.max;
    if (kernel.nan || finite === 0 || top === Infinity || top === -Infinity) return FALL_BACK;
    this.n = n;
    this.top = top;
    this.size = finite;
    this.live = LOWEST;
    this.mode = 0;
    this.d = 1;
    this.inverse = 1;
    this.order = ORDER_ID;
    this.state = STATE_IMPLICIT;
    this.weightsValid = false;
    this.weightsLive = LOWEST;
    this.best = top;
    let s = 0;
    if (greedyFirst) {
      candidates.ids[0] = first;
      candidates.logits[first] = top;
      candidates.size = 1;
      candidates.order = 'descending';
      this.state = STATE_EXPLICIT;
      this.size = 1;
      s = 1;
    }
    for (; s < stages.length; s++) {
      if (this.state === STATE_EXPLICIT) {
        (this.samplers[s] as Sampler).apply(candidates, context);
        continue;
      }
      const stage = stages[s] as FastStage;
      let result = 0;
      switch (stage.kind) {
        case 'temperature':
          if (stage.mode !== 0) {
            if (this.mode !== 0) return FALL_BACK;
            this.mode = stage.mode;
            this.d = stage.d;
            this.inverse = stage.inverse;
            this.weightsValid = false;
            F32[0] = stage.mode === 3 ? top / stage.d : top * stage.d;
            this.best = F32[0] as number;
            if (!(Math.abs(this.best) <= 1e6)) return FALL_BACK;
          }
          break;
        case 'greedy':
          result = this.greedy(candidates);
          break;
        case 'min_p':
          if (stage.p > 0) result = this.minP(s, candidates);
          break;
        case 'top_k':
          if (stage.k > 0 && stage.keep < this.size) result = this.selectTop(s, stage.keep, stage.keepTies, candidates);
          break;
        case 'top_p':
          if (stage.p < 1) result = this.topP(s, candidates);
          break;
      }
      if (result === FALL_BACK) return FALL_BACK;
      // The reference order after a no-op top-p is a heap permutation we cannot rebuild; a
      // later top-p would add its total in that order.
      if (this.order === ORDER_UNKNOWN && this.topPAfter[s] === true) return FALL_BACK;
    }
    return 0;
  }

  /** The current (scaled) value of a raw logit, as the reference stores it. */
  private value(x: number): number {
    return scaleValue(x, this.mode, this.d);
  }

  /** `below` with its inputs stored first (numbers reach it through memory, not arguments). */
  private beneath(threshold: number, v: number): boolean {
    this.t[0] = threshold;
    this.t[1] = v;
    return this.below();
  }

  /** Whether every raw logit below the float32 threshold t[0] has a current value < t[1]. */
  private below(): boolean {
    const v = this.t[1] as number;
    F32[0] = this.t[0] as number;
    const bits = U32[0] as number;
    // The float32 just below `threshold` (a finite float32 above the lowest).
    U32[0] = bits === 0 ? 0x80000001 : bits >= 0x80000000 ? bits + 1 : bits - 1;
    const raw = F32[0] as number;
    const mode = this.mode;
    F32[0] = mode === 3 ? raw / this.d : mode === 0 ? raw : raw * this.d;
    return (F32[0] as number) < v;
  }

  /** t[slot] = the smallest float32 ≥ x = t[slot]. */
  private ceil32(slot: number): void {
    const x = this.t[slot] as number;
    F32[0] = x;
    if ((F32[0] as number) < x) {
      const bits = U32[0] as number;
      U32[0] = bits === 0x80000000 ? 1 : bits > 0x80000000 ? bits - 1 : bits + 1;
    }
    this.t[slot] = F32[0] as number;
  }

  /** t[slot] = the largest float32 ≤ x = t[slot]. */
  private floor32(slot: number): void {
    const x = this.t[slot] as number;
    F32[0] = x;
    if ((F32[0] as number) > x) {
      const bits = U32[0] as number;
      U32[0] = bits === 0 ? 0x80000001 : bits >= 0x80000000 ? bits + 1 : bits - 1;
    }
    this.t[slot] = F32[0] as number;
  }

  /** The smallest float32 raw logit whose current value is ≥ c (f is monotone). */
  private rawAtLeast(c: number): number {
    if (this.mode === 0) return ceilFloat32(c);
    let lo = floatKey(-Infinity);
    let hi = floatKey(this.top);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.value(keyFloat(mid)) >= c) hi = mid;
      else lo = mid + 1;
    }
    return keyFloat(hi);
  }

  private greedy(candidates: Candidates): number {
    const best = this.best;
    this.kernel.args[0] = this.mode === 0 ? best : this.rawAtLeast(best);
    const id = this.kernel.firstAtLeast(this.n);
    if (id < 0) return FALL_BACK;
    candidates.ids[0] = id;
    candidates.logits[id] = best;
    candidates.size = 1;
    candidates.order = 'descending';
    this.state = STATE_EXPLICIT;
    return 0;
  }

  private minP(s: number, candidates: Candidates): number {
    // Parameters are read here, not passed: a double argument may be boxed at the call.
    const { p, minKeep, float32 } = this.stages[s] as Extract<FastStage, { kind: 'min_p' }>;
    const max = this.best;
    const threshold = float32 ? Math.fround(max + Math.fround(Math.log(Math.fround(p)))) : max + Math.log(p);
    const raw = this.rawAtLeast(threshold);
    const next = raw > this.live ? raw : this.live;
    this.kernel.args[0] = next;
    const kept = next === this.live ? this.size : this.kernel.countAtLeast(this.n);
    const floor = Math.max(minKeep, 1);
    if (kept < floor) {
      if (floor >= this.size) {
        this.order = ORDER_DESCENDING; // the reference sorts them all
        return 0;
      }
      return this.selectTop(-1, floor, false, candidates);
    }
    if (kept === this.size) return 0;
    this.live = next;
    this.size = kept;
    return 0;
  }

  /**
   * Keeps the `keep` best live tokens (value descending, ties by lower id; with `keepTies`,
   * every token tied with the keep-th too) as an explicit list. `stage` < 0: no adaptive gap.
   */
  private selectTop(stage: number, keep: number, keepTies: boolean, candidates: Candidates): number {
    if (keep > CAP) return FALL_BACK;
    const kernel = this.kernel;
    const n = this.n;
    const top = this.top;
    let gap = stage >= 0 && (this.gaps[stage] as number) > 0 ? (this.gaps[stage] as number) : 1;
    // Bisection (geometric) between a gap known to gather too few and one known to gather too many.
    let small = 0;
    let large = Infinity;
    for (let attempt = 0; attempt < 40; attempt++) {
      this.t[0] = top - gap;
      this.floor32(0);
      let threshold = this.t[0] as number;
      if (threshold <= this.live) threshold = this.live;
      let count: number;
      if (attempt === 0 && stage === 0 && this.pregathered !== -2) {
        // Gathered by `scanGather` with this gap, from the whole row (nothing was cut yet).
        count = this.pregathered;
        threshold = kernel.args[1] as number;
      } else {
        kernel.args[0] = threshold;
        count = kernel.gather(n, CAP);
      }
      if (count < 0) {
        large = gap;
        gap = small > 0 ? Math.sqrt(small * large) : gap / 4;
        continue;
      }
      if (count < keep && threshold > this.live) {
        small = gap;
        gap = large < Infinity ? Math.sqrt(small * large) : gap * 4;
        continue;
      }
      this.sortGathered(count);
      const kth = this.values[keep - 1] as number;
      // Every token outside the gathered set must rank below the keep-th.
      if (threshold > this.live && !this.beneath(threshold, kth)) {
        small = gap;
        gap = large < Infinity ? Math.sqrt(small * large) : gap * 4;
        continue;
      }
      let kept = keep;
      if (keepTies) while (kept < count && (this.values[kept] as number) === kth) kept++;
      if (stage >= 0) this.gaps[stage] = Math.max((top - (kernel.logits[keyId(this.keys[kept - 1] as number)] as number)) * 1.25, 1e-3);
      this.explicit(candidates, kept, ORDER_DESCENDING);
      return 0;
    }
    return FALL_BACK;
  }

  /**
   * Sorts the `count` gathered ids (in `kernel.ids`) by current value descending, ties by
   * lower id: `keys` holds the packed keys from best to worst, `values` their values.
   */
  private sortGathered(count: number): void {
    if (count > this.keys.length) {
      this.keys = new Float64Array(count);
      this.values = new Float64Array(count);
      this.weightsOf = new Float64Array(count);
    }
    const keys = this.keys;
    const ids = this.kernel.ids;
    const x = this.kernel.logits;
    const mode = this.mode;
    const d = this.d;
    // packKey(value(x), id), inlined: no call per token, no boxed numbers.
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      const raw = x[id] as number;
      F32[0] = mode === 3 ? raw / d : mode === 0 ? raw : raw * d;
      const bits = U32[0] as number;
      keys[i] = (bits >= 0x80000000 ? 0xffffffff - bits : bits + 0x80000000) * ID_SPAN + (ID_SPAN - 1 - id);
    }
    sortKeys(keys, count);
    // Reverse into best-first order.
    for (let i = 0, j = count - 1; i < j; i++, j--) {
      const t = keys[i] as number;
      keys[i] = keys[j] as number;
      keys[j] = t;
    }
    const values = this.values;
    for (let i = 0; i < count; i++) {
      const key = Math.floor((keys[i] as number) / ID_SPAN);
      U32[0] = key >= 0x80000000 ? key - 0x80000000 : 0xffffffff - key;
      values[i] = F32[0] as number;
    }
  }

  /** Makes the first `count` sorted gathered tokens the explicit candidates. */
  private explicit(candidates: Candidates, count: number, order: number): void {
    const keys = this.keys;
    const values = this.values;
    const ids = candidates.ids;
    const logits = candidates.logits;
    for (let i = 0; i < count; i++) {
      const id = keyId(keys[i] as number);
      ids[i] = id;
      logits[id] = values[i] as number;
    }
    candidates.size = count;
    candidates.order = order === ORDER_DESCENDING ? 'descending' : 'any';
    this.state = STATE_EXPLICIT;
    this.size = count;
  }

  /** Turns a small implicit live set into explicit candidates, in the reference's order. */
  private materialise(candidates: Candidates): number {
    const kernel = this.kernel;
    kernel.args[0] = this.live;
    const count = kernel.gather(this.n, CAP);
    if (count !== this.size) return FALL_BACK;
    const ids = candidates.ids;
    const logits = candidates.logits;
    if (this.order === ORDER_DESCENDING) {
      this.sortGathered(count);
      this.explicit(candidates, count, ORDER_DESCENDING);
      return 0;
    }
    const source = kernel.ids;
    const x = kernel.logits;
    const mode = this.mode;
    const d = this.d;
    for (let i = 0; i < count; i++) {
      const id = source[i] as number;
      ids[i] = id;
      const raw = x[id] as number;
      logits[id] = mode === 3 ? raw / d : mode === 0 ? raw : raw * d; // stored as float32, as `value`
    }
    candidates.size = count;
    candidates.order = this.order === ORDER_ID ? 'id' : 'any';
    this.state = STATE_EXPLICIT;
    return 0;
  }

  private topP(stage: number, candidates: Candidates): number {
    const { p, minKeep } = this.stages[stage] as Extract<FastStage, { kind: 'top_p' }>;
    const kernel = this.kernel;
    const n = this.n;
    const top = this.top;
    const inverse = this.inverse;
    const max = this.best;
    this.t[1] = top - SPAN / inverse;
    this.ceil32(1);
    let lo = this.t[1] as number;
    const open = lo >= this.live ? 1 : 0; // nothing removed above the span limit
    if (lo < this.live) lo = this.live;
    let gap = (this.gaps[stage] as number) > 0 ? (this.gaps[stage] as number) : 10;
    for (let attempt = 0; attempt < 3 && !fastPathTesting.largeNuclei; attempt++) {
      this.t[2] = top - gap / inverse;
      this.ceil32(2);
      let hi = this.t[2] as number;
      if (hi < lo) hi = lo;
      const args = kernel.args;
      args[0] = lo;
      args[1] = hi;
      args[2] = top;
      args[3] = inverse;
      args[4] = open;
      // The coarse tail is enough unless a recent row of this stage needed the exact total.
      const precise = (this.precise[stage] as number) > 0;
      args[5] = precise ? 1 : 0;
      if (precise) this.precise[stage] = (this.precise[stage] as number) - 1;
      const count = kernel.gatherTail(n, CAP);
      if (count < 0) break;
      this.sortGathered(count);
      const values = this.values;
      // Exact weights of the gathered tokens, best first, and their sum.
      const weights = this.weightsOf;
      for (let i = 0; i < count; i++) weights[i] = (values[i] as number) - max;
      exp32InPlace(weights, count);
      let exact = 0;
      for (let i = 0; i < count; i++) exact += weights[i] as number;
      // Bounds on the reference's total: exact part, tail within its proven error, then
      // the reference's own float64 summation error over `size` terms.
      const delta = (precise ? kernel.tailError : kernel.tailErrorCheap) + EXP32_ERROR + 2 ** -24 * (2 * Math.abs(max) + 2 * SPAN + 1);
      const gamma = this.size * U * 1.01;
      const tail = kernel.tail;
      const slack = this.size * 2 ** -125; // terms that underflow float32
      const low = (exact * (1 - count * U) + tail * (1 - delta) * (1 - 1e-12) - slack) * (1 - gamma);
      const high = (exact * (1 + count * U) + tail * (1 + 2 * delta) + slack) * (1 + gamma);
      this.t[0] = p * low * (1 - 4 * U);
      this.t[1] = p * high * (1 + 4 * U);
      let cut = this.nucleus(count);
      if (fastPathTesting.exactTotals && cut > 0) cut = -1;
      if (cut === -2) {
        // The cut lies beyond the gathered tokens: gather more, unless all were gathered.
        if (hi <= lo) break;
        gap *= 3;
        continue;
      }
      if (cut === -1) {
        // Ambiguous within the tail bound: the exact normaliser decides, and the next rows of
        // this stage use the finer tail approximation.
        this.stats.exactTotals++;
        this.precise[stage] = PRECISE_ROWS;
        this.ensureWeights(true);
        const total = kernel.total;
        this.t[0] = p * total * (1 - 2 * gamma) * (1 - 4 * U);
        this.t[1] = p * total * (1 + 2 * gamma) * (1 + 4 * U);
        cut = this.nucleus(count);
        if (cut < 0) return FALL_BACK;
      }
      // Every token outside the gathered set must rank below the crossing token.
      if (hi > this.live && !this.beneath(hi, values[cut - 1] as number)) return FALL_BACK;
      this.gaps[stage] = Math.min(Math.max(max - (values[cut - 1] as number) + 3, 6), 60);
      const keep = Math.max(cut, minKeep);
      if (keep >= this.size) {
        this.order = this.sortedAfterTopP(cut);
        return 0;
      }
      if (keep > count || (keep > cut && hi > this.live && !this.beneath(hi, values[keep - 1] as number))) return FALL_BACK;
      this.explicit(candidates, keep, ORDER_DESCENDING);
      return 0;
    }
    return this.topPLarge(stage, candidates);
  }

  /**
   * The reference's order after a top-p that keeps everything: its nucleus search sorts
   * prefixes of 64, 512, ... tokens until one holds the cut; all sorted if that reaches
   * the whole set, else a heap permutation we cannot rebuild.
   */
  private sortedAfterTopP(cut: number): number {
    let sorted = Math.min(this.size, 64);
    while (sorted < cut) sorted = Math.min(this.size, sorted * 8);
    return sorted >= this.size ? ORDER_DESCENDING : ORDER_UNKNOWN;
  }

  /**
   * Given the gathered weights best first in `weightsOf[0..count)` and the reference's target
   * p·total known to lie in [low, high] = [t[0], t[1]]: the nucleus size if the same for
   * every target in the range, -1 if not, -2 if the cumulative sum never reaches `high`.
   */
  private nucleus(count: number): number {
    const low = this.t[0] as number;
    const high = this.t[1] as number;
    const weights = this.weightsOf;
    let cumulative = 0;
    let first = -1;
    for (let i = 0; i < count; i++) {
      cumulative += weights[i] as number;
      if (first < 0 && cumulative >= low) first = i;
      if (cumulative >= high) return first === i ? i + 1 : -1;
    }
    return -2;
  }

  /**
   * Exact weights in `kernel.w` for every live token (and, unless `exact`, possibly for
   * tokens removed since, which the callers mask by `x >= live`); with `exact`, only live
   * tokens and their sum in `kernel.total`.
   */
  private ensureWeights(exact = false): void {
    if (this.weightsValid && (!exact || this.weightsLive === this.live)) return;
    const args = this.kernel.args;
    args[0] = this.live;
    args[1] = this.best;
    args[2] = this.d;
    this.kernel.weights(this.n, this.mode);
    this.weightsValid = true;
    this.weightsLive = this.live;
  }

  /** Top-p when the nucleus holds more tokens than `CAP`: histogram of exact weights. */
  private topPLarge(stage: number, candidates: Candidates): number {
    const { p, minKeep } = this.stages[stage] as Extract<FastStage, { kind: 'top_p' }>;
    this.stats.largeNuclei++;
    const kernel = this.kernel;
    const n = this.n;
    this.ensureWeights(true);
    const gamma = this.size * U * 1.01;
    // Our total and the reference's are both within gamma of the exact sum.
    const total = kernel.total;
    const low = p * total * (1 - 2 * gamma) * (1 - 4 * U);
    const high = p * total * (1 + 2 * gamma) * (1 + 4 * U);
    let bracket = fastPathTesting.fullHistogram ? -1 : this.sampledBracket(low, high, gamma);
    let aboveMass = this.t[0] as number;
    let aboveCount = this.aboveCount;
    if (bracket < 0) {
      // The whole histogram of the weights' bits, from the top down.
      kernel.histogram(n);
      const counts = kernel.counts;
      const masses = kernel.masses;
      let cumulative = 0;
      let tokens = 0;
      let first = -1;
      let last = -1;
      for (let key = HISTOGRAM_KEYS - 1; key > 0; key--) {
        const count = counts[key] as number;
        if (count === 0) continue;
        if (first < 0 && (cumulative + (masses[key] as number)) * (1 + 2 * gamma) >= low) {
          first = key;
          aboveMass = cumulative;
          aboveCount = tokens;
        }
        cumulative += masses[key] as number;
        tokens += count;
        if (cumulative * (1 - 2 * gamma) >= high) {
          last = key;
          break;
        }
      }
      if (first < 0 || last < 0) return FALL_BACK;
      // Weights outside [last, first] keys differ from those inside, hence so do the values.
      bracket = kernel.gatherBits(n, last << 16, (first + 1) << 16, n);
      if (bracket <= 0) return FALL_BACK;
    }
    this.sortGathered(bracket);
    const keys = this.keys;
    const values = this.values;
    const w = kernel.w;
    let c = aboveMass;
    let cut = -1;
    let possible = -1;
    for (let i = 0; i < bracket; i++) {
      c += w[keyId(keys[i] as number)] as number;
      if (possible < 0 && c * (1 + 2 * gamma) >= low) possible = i;
      if (c * (1 - 2 * gamma) >= high) {
        cut = i;
        break;
      }
    }
    if (cut < 0 || cut !== possible) return FALL_BACK;
    const position = Math.max(aboveCount + cut + 1, minKeep) - aboveCount; // 1-based in the bracket
    const keep = aboveCount + position;
    if (keep >= this.size) {
      this.order = this.sortedAfterTopP(aboveCount + cut + 1);
      return 0;
    }
    if (position > bracket) return FALL_BACK;
    const value = values[position - 1] as number;
    // A tie group split by the cut is no threshold set: leave it to the reference.
    if (position < bracket && (values[position] as number) === value) return FALL_BACK;
    if (keep <= CAP) {
      // Small enough: list the survivors explicitly, best first.
      this.live = this.rawAtLeast(value);
      this.size = keep;
      this.order = ORDER_DESCENDING;
      return this.materialise(candidates);
    }
    this.live = this.rawAtLeast(value);
    this.size = keep;
    this.order = ORDER_DESCENDING;
    return 0;
  }

  /**
   * Finds the tokens around the nucleus cut without a histogram of the whole row: a sample
   * of one weight in `SAMPLE_STRIDE` estimates the cut's histogram key (needs `kernel.total`
   * of the live weights); one pass gathers the
   * keys around it and sums everything above (`Kernel.bracket`); a fine histogram of the
   * gathered tokens' bits then narrows them to the few around the cut, which are left in
   * `kernel.ids`. The mass and count of everything above them go to t[0] and `aboveCount`.
   * Returns their number, or -1 when the estimate missed (the cut is outside the bracket;
   * the caller then takes the full histogram). The bounds are those of `topPLarge`.
   */
  private sampledBracket(low: number, high: number, gamma: number): number {
    const kernel = this.kernel;
    const n = this.n;
    const w = kernel.w;
    if (this.wBitsSource !== w) {
      this.wBits = new Int32Array(w.buffer, w.byteOffset, w.length);
      this.wBitsSource = w;
    }
    const bits = this.wBits;
    const counts = this.sampleCounts;
    const masses = this.sampleMasses;
    let lowest = HISTOGRAM_KEYS;
    let highest = 0;
    for (let i = 0; i < n; i += SAMPLE_STRIDE) {
      const b = bits[i] as number;
      if (b > 0) {
        const key = b >>> 16;
        counts[key] = (counts[key] as number) + 1;
        masses[key] = (masses[key] as number) + (w[i] as number);
        if (key < lowest) lowest = key;
        if (key > highest) highest = key;
      }
    }
    // From the bottom up: the mass below the cut (1 - p of the total) is spread over many
    // small weights, so the sample estimates it well (the top few weights would not be).
    const target = (this.kernel.total - (low + high) / 2) / SAMPLE_STRIDE;
    let cumulative = 0;
    let estimate = -1;
    for (let key = lowest; key <= highest; key++) {
      cumulative += masses[key] as number;
      if (estimate < 0 && cumulative >= target) estimate = key;
      counts[key] = 0;
      masses[key] = 0;
    }
    if (estimate < 0) return -1;
    const from = Math.max(1, estimate - BRACKET_KEYS);
    const to = Math.min(HISTOGRAM_KEYS - 1, estimate + BRACKET_KEYS);
    const count = kernel.bracket(n, from << 16, (to + 1) << 16, n);
    if (count <= 0) return -1;
    const above = kernel.above;
    if (above * (1 + 2 * gamma) >= low) return -1; // the cut may lie above the bracket
    // Fine keys: bits >>> 10, 64 per histogram key.
    const base = from << 6;
    const span = (to - from + 1) << 6;
    const fineCounts = this.fineCounts;
    const fineMasses = this.fineMasses;
    const ids = kernel.ids;
    for (let j = 0; j < count; j++) {
      const id = ids[j] as number;
      const key = ((bits[id] as number) >>> 10) - base;
      fineCounts[key] = (fineCounts[key] as number) + 1;
      fineMasses[key] = (fineMasses[key] as number) + (w[id] as number);
    }
    let c = above;
    let tokens = kernel.aboveCount;
    let first = -1;
    let last = -1;
    let aboveMass = 0;
    let aboveCount = 0;
    for (let key = span - 1; key >= 0; key--) {
      const k = fineCounts[key] as number;
      if (k === 0) continue;
      if (first < 0 && (c + (fineMasses[key] as number)) * (1 + 2 * gamma) >= low) {
        first = key;
        aboveMass = c;
        aboveCount = tokens;
      }
      c += fineMasses[key] as number;
      tokens += k;
      if (c * (1 - 2 * gamma) >= high) {
        last = key;
        break;
      }
    }
    fineCounts.fill(0, 0, span);
    fineMasses.fill(0, 0, span);
    if (first < 0 || last < 0) return -1; // the cut lies below the bracket
    let kept = 0;
    for (let j = 0; j < count; j++) {
      const id = ids[j] as number;
      const key = ((bits[id] as number) >>> 10) - base;
      if (key >= last && key <= first) ids[kept++] = id;
    }
    this.t[0] = aboveMass;
    this.aboveCount = aboveCount;
    return kept;
  }

  /**
   * The reference draw (ascending ids, running float64 sum > u·total) over a large implicit
   * live set, located with block sums and certified by error bounds; replayed exactly in id
   * order when a boundary is within rounding.
   */
  private drawLarge(): number {
    const u = this.t[3] as number;
    this.stats.largeDraws++;
    this.ensureWeights();
    const kernel = this.kernel;
    const n = this.n;
    const live = this.live;
    kernel.args[0] = live;
    const blocks = kernel.blockSums(n, BLOCK_SHIFT);
    const sums = kernel.blocks;
    let total = 0;
    for (let b = 0; b < blocks; b++) total += sums[b] as number;
    const gamma = this.size * U * 1.01;
    const low = u * total * (1 - 2 * gamma) * (1 - 4 * U);
    const high = u * total * (1 + 2 * gamma) * (1 + 4 * U);
    const x = kernel.logits;
    const w = kernel.w;
    let prefix = 0;
    let block = 0;
    while (block < blocks - 1 && (prefix + (sums[block] as number)) * (1 + 2 * gamma) <= low) prefix += sums[block++] as number;
    let c = prefix;
    let possible = -1;
    for (let i = fastPathTesting.replays ? n : block << BLOCK_SHIFT; i < n; i++) {
      if ((x[i] as number) < live) continue;
      c += w[i] as number;
      if (possible < 0 && c * (1 + 2 * gamma) > low) possible = i;
      if (c * (1 - 2 * gamma) > high) {
        if (possible === i) return i;
        break;
      }
    }
    // Within rounding of a boundary: replay the rule exactly, in id order.
    this.stats.replays++;
    let exact = 0;
    let lastId = -1;
    for (let i = 0; i < n; i++) {
      if ((x[i] as number) >= live) {
        exact += w[i] as number;
        lastId = i;
      }
    }
    const target = u * exact;
    let cumulative = 0;
    for (let i = 0; i < n; i++) {
      if ((x[i] as number) < live) continue;
      cumulative += w[i] as number;
      if (cumulative > target) return i;
    }
    return lastId;
  }
}
