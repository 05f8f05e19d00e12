import { exp32, exp32WeightsAt } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { ceilFloat32 } from '../../core/float32.js';
import { R_TAIL } from '../../kernel/kernel.js';
import { MassCut } from '../cumulativeMass.js';
import type { EngineProfile } from '../profiles.js';
import { CertifiedCut } from './certifiedCut.js';
import { cutAtRank, exactTotal } from './mass.js';
import { distinctNucleus } from './massBracket.js';
import { EXPLICIT_LIMIT, LOWEST, ORDER_DESCENDING, type FastForm, type FastRow } from './row.js';
import { SelectionMemo, selectTop } from './selectTop.js';
import { fastTopPFloat32 } from './topPFloat32.js';

/**
 * Top-p's fast form. Under `knobs` (`prefix`) the rule is `MassCut`'s, on the exact mass of
 * the float32 weights, found without sorting the vocabulary:
 * 1. small nucleus (low temperature): one pass gathers the tokens near the maximum and
 *    approximates every other token's weight with a proven error bound; the cut is taken
 *    when the lowest and highest possible totals give the same one (`CertifiedCut`);
 * 2. few distinct values (real next-token rows): per value, the weight and the count give
 *    exact masses; the cut falls in one group, and a tie group is cut by id in one pass;
 * 3. otherwise (all values distinct): exact weights in one SIMD pass, the cut located by a
 *    sample and a histogram of their bits (`massBracket.ts`).
 * Under llama.cpp (`prefix-float32`): `topPFloat32.ts`. The float64 softmax of transformers
 * and vLLM (`suffix-float32`) is not on the fast path.
 *
 * @example
 * fastTopP({ p: 0.95, min_keep: 1 }, getProfile('knobs'));
 */
export function fastTopP({ p, min_keep: minKeep }: { p: number; min_keep: number }, profile: EngineProfile): FastForm {
  if (profile.topP === 'prefix-float32') return fastTopPFloat32(p, minKeep);
  if (profile.topP !== 'prefix') return { reason: `top_p rule ${profile.topP}: transformers' and vLLM's float64 softmax sums run in the candidates' order` };
  const memo = new SelectionMemo();
  const tail = new TailMemo();
  return {
    name: 'top_p',
    run(row: FastRow): boolean {
      if (p >= 1 || row.size <= 1) return true;
      if (p <= 0) {
        // The empty prefix already reaches 0: the best token (and min_keep) stay.
        const count = selectTop(row, Math.max(1, minKeep), false, memo);
        if (count < 0) return row.fail('top_p: min_keep above 4096');
        row.explicitFromSorted(count);
        return true;
      }
      if (tail.rest > 0) tail.rest--;
      else {
        const result = smallNucleus(row, p, minKeep, tail);
        if (result !== UNDECIDED) {
          row.note('top_p: small nucleus');
          return result === DONE;
        }
      }
      row.note('top_p: bracket');
      if (distinctNucleus(row, p, minKeep)) return true;
      if (!row.buildGroups()) return false;
      row.note('top_p: groups');
      return groupNucleus(row, p, minKeep);
    },
  };
}

const DONE = 1;
const UNDECIDED = -1;

/** Per stage: the gap below the maximum that held the last small nucleus, and rows to skip that path. */
class TailMemo {
  gap = 10.5;
  rest = 0;
  failures = 0;
}

const CUT = new CertifiedCut();
const EXACT_CUT = new MassCut();
const GATHERED = new ExactSum();
/** The gathered tokens' weights, best first. */
const WEIGHTS = new Float64Array(EXPLICIT_LIMIT);
const TOTAL = new ExactSum();
/** One weight fed (a typed array slot: a double argument would be boxed). */
const WEIGHT = new Float64Array(1);
/** Relative error of the float64 sum of the gathered weights' bound, per term (generous). */
const U = 2 ** -53;

/**
 * Path 1: the nucleus lies among the tokens within `gap` of the maximum. Returns DONE (the
 * row is explicit or keeps everything), or UNDECIDED (try the other paths).
 */
function smallNucleus(row: FastRow, p: number, minKeep: number, memo: TailMemo): number {
  const kernel = row.kernel;
  const n = row.n;
  const max = row.max;
  let gap = memo.gap;
  let small = 0; // a gap known to gather too few, and one known to gather too many
  let large = Infinity;
  for (let attempt = 0; attempt < 2; attempt++) {
    let hi = ceilFloat32(max - gap);
    if (!(hi > LOWEST)) hi = LOWEST;
    kernel.args[0] = hi;
    kernel.args[1] = max;
    const count = kernel.gatherTail(n, EXPLICIT_LIMIT);
    if (count < 0) {
      row.note('top_p: small nucleus, too many near the top');
      large = gap;
      gap = small > 0 ? (small + large) / 2 : gap / 3;
      continue;
    }
    kernel.sortIds(count);
    const ids = kernel.ids;
    const x = row.values();
    const weights = WEIGHTS;
    const top = row.t;
    top[0] = max;
    exp32WeightsAt(x, ids, count, top, weights);
    const gathered = GATHERED;
    gathered.clear();
    gathered.addShortAll(weights, count);
    // The rest of the total: the tail's approximation within its relative error, plus slack
    // for the terms that underflow.
    const tail = kernel.results[R_TAIL] as number;
    const slack = (n - count) * 2 ** -125;
    const delta = kernel.tailError;
    const low = Math.max(0, (tail - slack) / (1 + delta)) * (1 - 4 * U);
    const high = ((tail + slack) / (1 - delta)) * (1 + 4 * U);
    const bounds = CUT.bounds;
    bounds[0] = low;
    bounds[1] = high;
    bounds[2] = 0;
    bounds[3] = 0;
    CUT.resetBounds(gathered, null, p);
    for (let i = 0; i < count; i++) if (CUT.feedAt(weights, i, 1)) break;
    let at = CUT.decided ? CUT.lateAt : 0;
    if (at === 0 && CUT.earlyAt > 0) {
      // Ambiguous within the tail's bound: the exact total decides.
      row.note('top_p: small nucleus, exact total');
      exactTotal(row, TOTAL);
      EXACT_CUT.reset(TOTAL, p);
      for (let i = 0; i < count; i++) {
        if (EXACT_CUT.feedAt(weights, i, 1) > 0) {
          at = i + 1;
          break;
        }
      }
    }
    if (at > 0) {
      const keep = Math.max(at, minKeep);
      if (keep <= count) {
        memo.failures = 0;
        memo.gap = Math.min(Math.max(max - (x[ids[at - 1] as number] as number) + 3, 1), 60);
        if (keep >= row.size) {
          row.order = ORDER_DESCENDING;
          return DONE;
        }
        row.explicitFromSorted(keep);
        return DONE;
      }
    }
    if (hi <= LOWEST) break;
    row.note('top_p: small nucleus, cut below the gathered');
    small = gap;
    gap = large < Infinity ? (small + large) / 2 : gap * 3;
    if (gap >= large) break;
  }
  // Large nuclei lately: skip this path for a few rows.
  memo.failures++;
  if (memo.failures >= 2) {
    memo.rest = 4 * memo.failures;
    memo.failures = 0;
  }
  return UNDECIDED;
}

/** Path 2: exact masses per group of equal values; the cut falls in one group. */
function groupNucleus(row: FastRow, p: number, minKeep: number): boolean {
  const groups = row.groups;
  const max = row.max;
  const total = TOTAL;
  total.clear();
  for (let g = 0; g < groups.count; g++) total.add((groups.counts[g] as number) * exp32((groups.values[g] as number) - max));
  EXACT_CUT.reset(total, p);
  let tokens = 0;
  for (let g = 0; g < groups.count; g++) {
    const count = groups.counts[g] as number;
    WEIGHT[0] = exp32((groups.values[g] as number) - max);
    const j = EXACT_CUT.feedAt(WEIGHT, 0, count);
    if (j > 0) {
      tokens += j;
      break;
    }
    tokens += count;
  }
  return cutAtRank(row, Math.max(tokens, minKeep));
}

