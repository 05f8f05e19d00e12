import { InvalidParameterError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/** How top-k treats tokens tied with the k-th. */
export type TopKTies = 'exact' | 'keep-ties';

/**
 * Top-k (Fan et al. 2018): keeps the k most likely tokens. `k = 0` disables it (neutral),
 * as does k ≥ the number of live tokens. k < 0 is rejected, except under `negative:
 * 'disabled'` (llama.cpp: `k <= 0` returns; vLLM accepts -1 as "off"). `min_keep` raises k
 * to at least that many (transformers: `max(top_k, min_tokens_to_keep)`).
 *
 * Ties with the k-th token: `'exact'` keeps exactly k, preferring lower token ids
 * (llama.cpp's partial sort keeps exactly k; its tie order is unspecified, ours is by id);
 * `'keep-ties'` keeps every token whose logit equals the k-th's, so it may keep more than k
 * (transformers' `TopKLogitsWarper` and vLLM's `apply_top_k_top_p_pytorch` both remove
 * `logits < kth` only).
 *
 * @example
 * createSampler([{ top_k: 2 }]).distribution(new Float32Array([1, 3, 2, 0])); // [0, 0.731, 0.269, 0]
 */
export function topKSampler(k: number, minKeep = 0, ties: TopKTies = 'exact', negative: 'disabled' | 'error' = 'error'): Sampler {
  if (negative === 'disabled') {
    if (typeof k !== 'number' || !Number.isSafeInteger(k)) throw new InvalidParameterError('top_k.k', k, 'an integer (k <= 0 disables)');
  } else checkInteger('top_k.k', k, 0);
  checkInteger('top_k.min_keep', minKeep, 0);
  return {
    name: 'top_k',
    apply(candidates: Candidates): void {
      const keep = Math.max(k, minKeep);
      if (k <= 0 || keep >= candidates.size) return;
      candidates.partialSortDescending(keep);
      if (ties === 'keep-ties') {
        const logits = candidates.logits;
        const ids = candidates.ids;
        const kth = logits[ids[keep - 1] as number] as number;
        // Pull every remaining token tied with the k-th into the kept prefix.
        let kept = keep;
        for (let i = keep; i < candidates.size; i++) {
          const id = ids[i] as number;
          if (logits[id] === kth) {
            ids[i] = ids[kept] as number;
            ids[kept++] = id;
          }
        }
        candidates.truncate(kept);
        candidates.order = 'any';
        candidates.sortDescending();
        return;
      }
      candidates.truncate(keep);
      candidates.order = 'descending';
    },
  };
}
