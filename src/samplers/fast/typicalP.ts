import { expf } from '../../core/expf.js';
import { selectFirst } from '../../core/partialSort.js';
import { R_SUM32, TABLE_SIZE } from '../../kernel/kernel.js';
import { GROUP_LIMIT } from './groups.js';
import { Float32Run } from './float32Sum.js';
import type { EngineProfile } from '../profiles.js';
import { ORDER_ID, ORDER_OTHER, EXPLICIT_LIMIT, type FastForm, type FastRow } from './row.js';
import { typicalBand } from './typicalBand.js';
import { typicalFloat32 } from './typicalFloat32.js';
import { typicalGroups } from './typicalGroups.js';

/**
 * Typical-p's fast form, on rows with few distinct values (every quantity typical-p ranks by
 * depends only on the value, so it is computed once per group of equal values):
 * - knobs (`inclusive`): the exact rule — the centre μ from exact sums (`roundedRatio`, the
 *   reference's own), groups ranked by |v − μ| then value, `MassCut` over the groups, and the
 *   crossing group cut by id; rows of mostly distinct values are cut as a band (`typicalBand`);
 * - llama.cpp (`strict-float32`): its float32 softmax and entropy summed in id order by the
 *   kernel from per-group terms (`Math.log` per group, as the reference computes per token),
 *   the float32 running sum in typicality order added in bulk per group (`Float32Run`),
 *   strict `> p`, `min_keep`; the kept tokens then become explicit candidates in that order
 *   when few (else later order-dependent stages leave the fast path); on rows of mostly
 *   distinct values, the same per token with a radix sort of the scores (`typicalFloat32`).
 * Transformers' rule is not on the fast path.
 *
 * @example
 * fastTypicalP({ p: 0.95, min_keep: 1 }, getProfile('knobs'));
 */
export function fastTypicalP({ p, min_keep: minKeep }: { p: number; min_keep: number }, profile: EngineProfile): FastForm {
  const rule = profile.typical;
  if (rule === 'inclusive-keep-ties') return { reason: "transformers' typical-p sums Math.exp in the candidates' order" };
  if (rule === 'exllamav2') return { reason: "exllamav2's typical-p (float32 probabilities, its own deviation) has no fast form" };
  const float32 = rule === 'strict-float32';
  const run = new Float32Run();
  return {
    name: 'typical_p',
    run(row: FastRow): boolean {
      if (p >= 1 || row.size <= 1) return true;
      if (!float32) {
        if (row.buildGroups()) {
          row.note('typical_p: groups');
          return typicalGroups(row, p, minKeep);
        }
        row.note('typical_p: band');
        return typicalBand(row, p, minKeep);
      }
      if (row.order !== ORDER_ID) return row.fail("typical_p (llama.cpp): its sums run in an earlier stage's sorted order");
      if (!row.buildGroups()) {
        row.note('typical_p (llama.cpp): distinct values');
        return typicalFloat32(row, Math.fround(p), minKeep);
      }
      const count = strictFloat32(row, Math.fround(p), minKeep, run);
      return keepFirstGroups(row, count, float32);
    },
  };
}

/** Group keys (|v − μ| or llama.cpp's float32 score) and the groups in typicality order. */
const KEY = new Float64Array(GROUP_LIMIT);
const ORDER = new Int32Array(GROUP_LIMIT);

/** Ranks the groups: smaller key first, then higher value (ids within a group stay ascending). */
function rank(row: FastRow): void {
  const values = row.groups.values;
  selectFirst(null, row.groups.count, row.groups.count, (a, b) => {
    const ka = KEY[a] as number;
    const kb = KEY[b] as number;
    return ka < kb || (ka === kb && (values[a] as number) > (values[b] as number));
  }, ORDER);
}

/** llama.cpp's rule: returns the kept count in typicality order, or -1. */
function strictFloat32(row: FastRow, target: number, minKeep: number, run: Float32Run): number {
  const kernel = row.kernel;
  const groups = row.groups;
  const slotValues = kernel.slotValues;
  const max = row.max;
  for (let g = 0; g < groups.count; g++) slotValues[groups.slots[g] as number] = expf((groups.values[g] as number) - max);
  kernel.slotSum32(row.n);
  const sum = kernel.results[R_SUM32] as number;
  for (let g = 0; g < groups.count; g++) {
    const slot = groups.slots[g] as number;
    const q = Math.fround((slotValues[slot] as number) / sum);
    KEY[g] = q; // the probability, for now
    slotValues[slot] = q > 0 ? -Math.fround(q * Math.fround(Math.log(q))) : 0;
  }
  kernel.slotSum32(row.n); // the entropy, in id order as the reference adds it
  const entropy = kernel.results[R_SUM32] as number;
  const probability = PROBABILITY;
  for (let g = 0; g < groups.count; g++) {
    const q = KEY[g] as number;
    probability[g] = q;
    const surprise = -Math.fround(Math.log(q));
    KEY[g] = Math.fround(Math.abs(Math.fround(surprise - entropy)));
  }
  rank(row);
  // Strict: stop once the float32 sum is > p, i.e. ≥ the next float32 above p.
  const above = nextUp32(target);
  run.start(0);
  let tokens = 0;
  for (let r = 0; r < groups.count; r++) {
    const g = ORDER[r] as number;
    const count = groups.counts[g] as number;
    const q = probability[g] as number;
    const free = Math.min(count, Math.max(0, minKeep - tokens - 1));
    if (free > 0) run.addUntil(q, free, Infinity);
    if (free < count) {
      const j = run.addUntil(q, count - free, above);
      if (j > 0) return tokens + free + j;
    }
    tokens += count;
  }
  return tokens;
}

const PROBABILITY = new Float64Array(GROUP_LIMIT);

/**
 * Keeps the first `count` tokens in typicality order (groups in `ORDER`, ids ascending within
 * a group) with one pass over the slots' flags; llama.cpp's order becomes explicit when small.
 */
function keepFirstGroups(row: FastRow, count: number, float32: boolean): boolean {
  const kernel = row.kernel;
  const groups = row.groups;
  const flags = kernel.slotFlags;
  flags[TABLE_SIZE] = 0;
  let tokens = 0;
  let limit = 0x7fffffff;
  for (let r = 0; r < groups.count; r++) {
    const g = ORDER[r] as number;
    const slot = groups.slots[g] as number;
    const size = groups.counts[g] as number;
    if (tokens >= count) flags[slot] = 0;
    else if (tokens + size <= count) flags[slot] = 1;
    else {
      flags[slot] = 2;
      kernel.args[0] = groups.values[g] as number;
      kernel.args[1] = count - tokens;
      limit = kernel.kthEqual(row.n);
    }
    tokens += size;
  }
  if (count >= row.size) {
    row.order = ORDER_OTHER;
    return float32 ? explicitInOrder(row, count) : true;
  }
  // Kept groups contiguous in value order (as they are unless two values on one side round
  // to the same score): one SIMD cut of the band; otherwise by slot flags.
  let first = -1;
  let last = -1;
  let band = true;
  for (let g = 0; g < groups.count && band; g++) {
    const flag = flags[groups.slots[g] as number] as number;
    if (flag === 0) continue;
    if (first < 0) first = g;
    else if (last !== g - 1) band = false;
    last = g;
  }
  // The one partial group (the crossing one) must sit at an end of the band.
  for (let g = first + 1; band && g < last; g++) if (flags[groups.slots[g] as number] === 2) band = false;
  if (band && first >= 0) {
    const args = kernel.args;
    args[0] = groups.values[last] as number;
    args[1] = flags[groups.slots[last] as number] === 2 ? limit : 0x7fffffff;
    args[2] = groups.values[first] as number;
    args[3] = flags[groups.slots[first] as number] === 2 ? limit : 0x7fffffff;
    row.size = kernel.cut(row.n);
  } else {
    kernel.args[0] = limit;
    row.size = kernel.cutSlots(row.n);
  }
  row.changed();
  row.rescan(); // the maximum may be gone
  row.order = ORDER_OTHER;
  return float32 ? explicitInOrder(row, count) : true;
}

/** llama.cpp leaves the kept tokens in typicality order: the explicit list follows it. */
function explicitInOrder(row: FastRow, count: number): boolean {
  if (count > EXPLICIT_LIMIT) return true; // stays implicit; order-dependent stages will leave the fast path
  if (!row.materialise(false)) return false;
  const candidates = row.candidates;
  const groups = row.groups;
  // Rank of each group in ORDER, by slot.
  const rankOf = RANK_OF;
  for (let r = 0; r < groups.count; r++) rankOf[groups.slots[ORDER[r] as number] as number] = r;
  const slots = row.kernel.slots;
  const ids = candidates.ids;
  const size = candidates.size;
  const sorted = SORTED;
  // A counting sort by group rank; stable, so ids stay ascending within a group.
  const start = START;
  start.fill(0, 0, groups.count + 1);
  for (let i = 0; i < size; i++) {
    const r = (rankOf[slots[ids[i] as number] as number] as number) + 1;
    start[r] = (start[r] as number) + 1;
  }
  for (let r = 1; r <= groups.count; r++) start[r] = (start[r] as number) + (start[r - 1] as number);
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const r = rankOf[slots[id] as number] as number;
    const at = start[r] as number;
    sorted[at] = id;
    start[r] = at + 1;
  }
  for (let i = 0; i < size; i++) ids[i] = sorted[i] as number;
  candidates.order = 'any';
  return true;
}

const RANK_OF = new Int32Array(TABLE_SIZE + 1);
const SORTED = new Int32Array(EXPLICIT_LIMIT);
const START = new Int32Array(GROUP_LIMIT + 1);
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function nextUp32(x: number): number {
  F32[0] = x;
  if (x === 0) U32[0] = 1;
  else U32[0] = x > 0 ? (U32[0] as number) + 1 : (U32[0] as number) - 1;
  return F32[0] as number;
}
