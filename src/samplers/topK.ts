import { checkInteger } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/** How top-k treats tokens tied with the k-th. */
export type TopKTies = 'exact' | 'keep-ties';

/**
 * Top-k: keeps the k most likely tokens. `k = 0` disables it (neutral), as does k ≥ the
 * number of live tokens; k < 0 is rejected. `min_keep` raises k to at least that many.
 *
 * Ties with the k-th token: `'exact'` keeps exactly k, preferring lower token ids
 * (llama.cpp, vLLM); `'keep-ties'` keeps every token whose logit equals the k-th's, so
 * it may keep more than k (transformers' `TopKLogitsWarper`: removes `logits < kth`).
 *
 * @example
 * createSampler([{ top_k: 2 }]).distribution(new Float32Array([1, 3, 2, 0])); // [0, 0.731, 0.269, 0]
 */
export function topKSampler(k: number, minKeep = 0, ties: TopKTies = 'exact'): Sampler {
  checkInteger('top_k.k', k, 0);
  checkInteger('top_k.min_keep', minKeep, 0);
  return {
    name: 'top_k',
    apply(candidates: Candidates): void {
      const keep = Math.max(k, minKeep);
      if (k === 0 || keep >= candidates.size) return;
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
