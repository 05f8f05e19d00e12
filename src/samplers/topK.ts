import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import { fastTopK } from './fast/topK.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';

/** How top-k treats tokens tied with the k-th. */
export type TopKTies = 'exact' | 'keep-ties';

/**
 * Top-k (Fan et al. 2018): keeps the k most likely tokens. `k = 0` disables it (neutral),
 * as does k ≥ the number of live tokens. k < 0 is rejected, except under `negative:
 * 'disabled'` (`profile.topKNegative`; llama.cpp: `k <= 0` returns; vLLM accepts -1 as "off"). `min_keep` raises k
 * to at least that many (transformers: `max(top_k, min_tokens_to_keep)`).
 *
 * SGLang (`minus-one-only`, `sampling_params.py`, read, not run) accepts -1 for "off" and
 * rejects 0 and every other value below 1.
 *
 * Ties with the k-th token (`profile.topKTies`): `'exact'` keeps exactly k, preferring lower token ids
 * (llama.cpp's partial sort keeps exactly k; its tie order is unspecified, ours is by id);
 * `'keep-ties'` keeps every token whose logit equals the k-th's, so it may keep more than k
 * (transformers' `TopKLogitsWarper` and vLLM's `apply_top_k_top_p_pytorch` both remove
 * `logits < kth` only).
 *
 * @example
 * createSampler([{ top_k: 2 }]).distribution(new Float32Array([1, 3, 2, 0])); // [0, 0.731, 0.269, 0]
 */
export function topKSampler({ k, min_keep: minKeep }: { k: number; min_keep: number }, profile: EngineProfile): Sampler {
  const ties = profile.topKTies;
  if (profile.topKNegative === 'disabled') checkParameter('top_k', K, k, { min: -Infinity, max: Infinity }, '(k <= 0 disables)');
  else if (profile.topKNegative === 'minus-one-only') checkMinusOneOnly(k, profile.name);
  else checkParameter('top_k', K, k);
  checkParameter('top_k', MIN_KEEP_TOP_K, minKeep);
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

/** SGLang: "top_k must be -1 (disable) or at least 1". */
function checkMinusOneOnly(k: number, engine: string): void {
  checkParameter('top_k', K, k, { min: -1, max: Infinity }, `(-1 disables) under ${engine}`);
  if (k === 0) throw new InvalidParameterError('top_k.k', k, `-1 (disable) or an integer >= 1 under ${engine}`);
}

const K: ParameterSpec = {
  name: 'k',
  kind: 'integer',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  atOrBelow: true,
  hint: '0 disables',
  control: { min: 0, max: 200, step: 1, initial: 40 },
  fields: ['top_k'],
  flag: 'top-k',
};

/** Top-k's min_keep is 0 in every engine (transformers: `max(top_k, min_tokens_to_keep)`). */
const MIN_KEEP_TOP_K: ParameterSpec = {
  name: 'min_keep',
  kind: 'integer',
  default: 0,
  range: { min: 0, max: Infinity },
  hint: 'never keep fewer than this many tokens',
  control: { min: 0, max: 20, step: 1, initial: 0 },
  optional: true,
};

/** The `top_k` sampler: its parameters, engines and factory. */
export const topK = defineSampler({
  name: 'top_k',
  summary: 'keep the k most likely tokens; k = 0 disables',
  parameters: [K, MIN_KEEP_TOP_K],
  engines: {
    knobs: { order: 50 },
    'llama.cpp': { order: 50, preset: 40 },
    hf: { order: 50, preset: 50 },
    vllm: { order: 50, preset: 0 },
    sglang: { order: 40, preset: -1 },
    ollama: { order: 50, preset: 40 },
    'ollama-go': { order: 10, preset: 40 },
    koboldcpp: { order: 40, preset: 100 },
    exllamav2: { order: 50, preset: 0 },
    'transformers.js': { order: 60, preset: 50 },
    'node-llama-cpp': { order: 40, preset: 40 },
  },
  create: topKSampler,
  fast: fastTopK,
});
