import { floorFloat32 } from '../../core/float32.js';
import { ORDER_OTHER, type FastRow } from './row.js';

/**
 * Keeps typical-p's band: every value closer to the centre than `value`, then — at its
 * distance — the higher value before the lower, and of `value` itself the ids ≤ `limit`.
 * `keep` is the count the rule expects (a check). The kernel's values are cut at once.
 *
 * @example
 * keepBand(row, crossingValue, crossingId, centre, 5415);
 */
export function keepBand(row: FastRow, value: number, limit: number, centre: number, keep: number): boolean {
  const distance = value - centre;
  if (centre + distance !== value || value - distance !== centre) return row.fail('typical_p: inexact distance');
  const d = Math.abs(distance);
  let loV: number;
  let loId: number;
  let hiV: number;
  let hiId: number;
  if (value >= centre) {
    // Crossing on the upper side: it and the lower value at the same distance are cut after it.
    hiV = value;
    hiId = limit;
    loV = floorFloat32(centre - d);
    loId = -1;
  } else {
    loV = value;
    loId = limit;
    hiV = floorFloat32(centre + d);
    hiId = 0x7fffffff;
  }
  const args = row.kernel.args;
  args[0] = loV;
  args[1] = loId;
  args[2] = hiV;
  args[3] = hiId;
  const kept = row.kernel.cut(row.n);
  row.changed();
  row.size = kept;
  if (kept !== keep) return row.fail('typical_p: the band keeps another count');
  // The maximum stays unless the band's upper edge cut it (then scan for the new one).
  const max = row.max;
  if (!(max > loV && (max < hiV || (max === hiV && hiId === 0x7fffffff)))) row.rescan();
  row.order = ORDER_OTHER;
  return true;
}
