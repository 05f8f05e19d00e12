import { ceilFloat32 } from '../../core/float32.js';
import { R_SQUARES, R_SUM } from '../../kernel/kernel.js';
import type { EngineProfile } from '../profiles.js';
import { sigmaThreshold } from '../topNSigma.js';
import { ORDER_ID, type FastForm, type FastRow } from './row.js';
import { SelectionMemo, selectTop } from './selectTop.js';

/**
 * Top-nσ's fast form: the kernel adds the live values and their squared deviations in
 * ascending id order with the profile's arithmetic (float64, or llama.cpp's float32 — the
 * candidates' order is ascending ids while the row is implicit), the threshold is the
 * reference's own (`sigmaThreshold`), then one cut; fewer than `min_keep` survivors: the
 * `min_keep` best.
 *
 * @example
 * fastTopNSigma({ n: 1, min_keep: 1 }, getProfile('knobs'));
 */
export function fastTopNSigma({ n, min_keep: minKeep }: { n: number; min_keep: number }, profile: EngineProfile): FastForm {
  const float32 = profile.topNSigma.float32;
  const memo = new SelectionMemo();
  return {
    name: 'top_n_sigma',
    run(row: FastRow): boolean {
      if (n <= 0 || row.size <= 1) return true;
      if (float32 && row.order !== ORDER_ID) return row.fail("top_n_sigma (llama.cpp): its sums run in an earlier stage's sorted order");
      const kernel = row.kernel;
      kernel.sums(row.n, float32);
      const sum = kernel.results[R_SUM] as number;
      const round = float32 ? Math.fround : (x: number): number => x;
      const mean = round(sum / row.size);
      kernel.args[0] = mean;
      kernel.squares(row.n, float32);
      const threshold = ceilFloat32(sigmaThreshold(row.max, kernel.results[R_SQUARES] as number, row.size, n, float32));
      kernel.args[0] = threshold;
      const kept = kernel.countAtLeast(row.n);
      if (kept === row.size) return true;
      if (kept < minKeep) {
        const count = selectTop(row, minKeep, false, memo);
        if (count < 0) return row.fail('top_n_sigma: min_keep above 4096');
        row.explicitFromSorted(count);
        return true;
      }
      row.keepAtLeast(threshold, kept);
      return true;
    },
  };
}
