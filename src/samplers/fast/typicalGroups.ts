import { exp32 } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { MassCut, roundedRatio } from '../cumulativeMass.js';
import type { FastRow } from './row.js';
import { keepBand } from './keepBand.js';

/**
 * Typical-p's exact rule (`knobs`) on a row with few distinct values (its groups built): the
 * exact sums per group give the centre μ (`roundedRatio`, the reference's own); the groups in
 * typicality order are the value-sorted groups read outward from μ on both sides and merged
 * by distance (no sort); `MassCut` over them finds the crossing group and how many of its
 * lowest ids are kept; the kept set is a band of values around μ, cut in one pass.
 *
 * @example
 * if (row.buildGroups()) typicalGroups(row, 0.95, 1);
 */
export function typicalGroups(row: FastRow, p: number, minKeep: number): boolean {
  const groups = row.groups;
  const count = groups.count;
  const values = groups.values;
  const max = row.max;
  TOTAL.clear();
  MOMENT.clear();
  for (let g = 0; g < count; g++) {
    const mass = (groups.counts[g] as number) * exp32((values[g] as number) - max);
    TOTAL.add(mass);
    MOMENT.addProduct(mass, values[g] as number);
  }
  const centre = roundedRatio(MOMENT, TOTAL);
  // Groups are by value descending: the upper side is [0, split), read from split − 1 down.
  let split = 0;
  while (split < count && (values[split] as number) >= centre) split++;
  let up = split - 1;
  let down = split;
  CUT.reset(TOTAL, p);
  let tokens = 0;
  while (up >= 0 || down < count) {
    // Smaller distance first; at equal distance the higher value (the upper side).
    const upper = up >= 0 && (down >= count || Math.abs((values[up] as number) - centre) <= Math.abs((values[down] as number) - centre));
    const g = upper ? up-- : down++;
    const size = groups.counts[g] as number;
    const j = CUT.feed(exp32((values[g] as number) - max), size);
    if (j > 0) {
      const keep = tokens + j;
      if (keep < minKeep && keep < row.size) return row.fail('typical_p: min_keep above the typical set');
      let limit = 0x7fffffff;
      if (j < size) {
        row.kernel.args[0] = values[g] as number;
        row.kernel.args[1] = j;
        limit = row.kernel.kthEqual(row.n);
        if (limit < 0) return row.fail('typical_p: tie group changed');
      }
      return keepBand(row, values[g] as number, limit, centre, keep);
    }
    tokens += size;
  }
  return true; // never crossed: everything stays
}

const TOTAL = new ExactSum();
const MOMENT = new ExactSum();
const CUT = new MassCut();
