import { floorFloat32At } from '../../core/float32.js';
import { partialSort } from '../../core/partialSort.js';
import { EXPLICIT_LIMIT, LOWEST, type FastRow } from './row.js';

/** Remembers, per stage, how far below the maximum the last selection reached. */
export class SelectionMemo {
  gap = 1.5;
}

const HEAP = new Int32Array(EXPLICIT_LIMIT);

/**
 * Gathers into `kernel.ids` the `keep` best live tokens (value descending, ties by lower id),
 * sorted, followed with `keepTies` by every other token tied with the keep-th (ascending ids);
 * returns how many were placed, or -1 when more than `EXPLICIT_LIMIT` would be needed. Gathers
 * the tokens above an adaptive threshold below the maximum (one pass each try) and selects
 * among them with `partialSort`: every token not gathered ranks below every gathered one.
 *
 * @example
 * const count = selectTop(row, 40, false, memo); // kernel.ids[0..40): the top 40, best first
 */
export function selectTop(row: FastRow, keep: number, keepTies: boolean, memo: SelectionMemo): number {
  if (keep > EXPLICIT_LIMIT) return -1;
  const kernel = row.kernel;
  const n = row.n;
  const max = row.max;
  let gap = memo.gap > 0 ? memo.gap : 1;
  // Geometric bisection between a gap that gathers too few and one that gathers too many.
  let small = 0;
  let large = Infinity;
  for (let attempt = 0; attempt < 60; attempt++) {
    const t = row.t;
    t[0] = max - gap;
    floorFloat32At(t, 0);
    let threshold = t[0] as number;
    if (!(threshold > LOWEST)) threshold = LOWEST;
    kernel.args[0] = threshold;
    kernel.args[1] = 0x7fffffff;
    const count = kernel.gather(n, EXPLICIT_LIMIT);
    if (count < 0) {
      large = gap;
      gap = small > 0 ? Math.sqrt(small * large) : gap / 4;
      continue;
    }
    if (count < keep && threshold > LOWEST) {
      small = gap;
      gap = large < Infinity ? Math.sqrt(small * large) : gap * 4;
      continue;
    }
    const ids = kernel.ids;
    const take = partialSort(ids, count, keep, row.before, HEAP);
    let kept = take;
    if (keepTies && take > 0) {
      const x = row.values();
      const kth = x[ids[take - 1] as number] as number;
      // The others are in no order: pull the ties forward, then put them in id order.
      for (let i = take; i < count; i++) {
        const id = ids[i] as number;
        if (x[id] === kth) {
          ids[i] = ids[kept] as number;
          ids[kept++] = id;
        }
      }
      sortAscending(ids, take, kept);
    }
    const last = row.values()[ids[kept - 1] as number] as number;
    memo.gap = Math.max((max - last) * 1.25, 1e-3);
    return kept;
  }
  return -1;
}

/** Insertion sort of ids[from..to) ascending (a few tied ids). */
function sortAscending(ids: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const id = ids[i] as number;
    let j = i - 1;
    while (j >= from && (ids[j] as number) > id) {
      ids[j + 1] = ids[j] as number;
      j--;
    }
    ids[j + 1] = id;
  }
}
