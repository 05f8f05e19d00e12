import type { EngineProfile } from '../profiles.js';
import type { FastForm, FastRow } from './row.js';
import { SelectionMemo, selectTop } from './selectTop.js';

/**
 * Top-k's fast form: the k best tokens (at least `min_keep`; with `keep-ties`, every token
 * tied with the k-th too) gathered above an adaptive threshold and selected without sorting
 * the vocabulary; they become the explicit candidates, best first, as the reference leaves
 * them. More than 4,096 kept tokens leave the fast path.
 *
 * @example
 * fastTopK({ k: 40, min_keep: 0 }, getProfile('knobs'));
 */
export function fastTopK({ k, min_keep: minKeep }: { k: number; min_keep: number }, profile: EngineProfile): FastForm {
  const keep = Math.max(k, minKeep);
  const keepTies = profile.topKTies === 'keep-ties';
  const memo = new SelectionMemo();
  return {
    name: 'top_k',
    run(row: FastRow): boolean {
      if (k <= 0 || keep >= row.size) return true;
      const count = selectTop(row, keep, keepTies, memo);
      if (count < 0) return row.fail('top_k: more than 4096 tokens kept');
      row.explicitFromSorted(count);
      return true;
    },
  };
}
