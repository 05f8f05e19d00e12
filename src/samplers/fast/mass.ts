import { exp32 } from '../../core/exp.js';
import type { ExactSum } from '../../core/exactSum.js';
import { BIN_COUNT } from '../../kernel/kernel.js';
import { ORDER_DESCENDING, type FastRow } from './row.js';

/**
 * The exact total Σ exp32(v − max) of the row's live tokens into `out`: from the groups when
 * the row has them (count × weight per value, each exact), else from the kernel's exact bins
 * (one pass; one float64 bin per float32 exponent holds its exact sum).
 *
 * @example
 * exactTotal(row, total); total.rounded(); // the normaliser of the final distribution
 */
export function exactTotal(row: FastRow, out: ExactSum): void {
  out.clear();
  const max = row.max;
  if (row.buildGroups()) {
    const groups = row.groups;
    for (let g = 0; g < groups.count; g++) out.add((groups.counts[g] as number) * exp32((groups.values[g] as number) - max));
    return;
  }
  row.ensureWeights();
  row.kernel.args[0] = 0;
  row.kernel.args[1] = -Infinity;
  row.kernel.args[2] = Infinity;
  row.kernel.exactBins(row.n);
  out.addAll(row.kernel.bins, BIN_COUNT);
}

/** The id limit of `FastRow.cut` that keeps a whole tie group. */
export const ALL_IDS = 0x7fffffff;

/**
 * Keeps the `keep` best tokens of the row (value descending, ties by lower id), using its
 * groups (built): everything above the group where the keep-th token falls, and that group's
 * lowest ids (one pass finds the id). The reference leaves them sorted: so does the row's order.
 *
 * @example
 * cutAtRank(row, 5415); // the nucleus of the exact rule
 */
export function cutAtRank(row: FastRow, keep: number): boolean {
  row.order = ORDER_DESCENDING;
  if (keep >= row.size) return true;
  const groups = row.groups;
  let before = 0;
  for (let g = 0; g < groups.count; g++) {
    const count = groups.counts[g] as number;
    if (before + count >= keep) {
      const value = groups.values[g] as number;
      const j = keep - before;
      let limit = ALL_IDS;
      if (j < count) {
        row.kernel.args[0] = value;
        row.kernel.args[1] = j;
        limit = row.kernel.kthEqual(row.n);
        if (limit < 0) return row.fail('tie group changed');
      }
      row.cut(value, limit, keep);
      return true;
    }
    before += count;
  }
  return true;
}
