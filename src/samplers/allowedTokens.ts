import { InvalidInputError, InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { defineSampler, type ParameterSpec } from './definition.js';
import { tokenIds } from './minTokens.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { compactLiveFlags, scratchUint8 } from './selection.js';

/**
 * Allowed tokens (vLLM's `allowed_token_ids`): every token not in `ids` is removed. It is the
 * first transformation vLLM applies (`v1/sample/sampler.py` @3e342658, before bad words,
 * min_tokens, logit bias, penalties and temperature; after the raw log-probabilities are
 * captured). Duplicates are harmless. An id outside the vocabulary is an error (vLLM:
 * "allowed_token_ids contains out-of-vocab token id!"). An empty list allows everything under
 * knobs (neutral); vLLM rejects it ("allowed_token_ids is not None and empty!"). If every
 * allowed token was already removed, nothing is left: an error. exllamav2 (TabbyAPI's
 * `allowed_tokens` while it ran exllamav2) turned the list into a −inf bias on the others.
 * Read, not run.
 *
 * @example
 * createSampler([{ allowed_tokens: { ids: [1, 3] } }]).distribution(new Float32Array([0, 0, 0, 0])); // [0, 0.5, 0, 0.5]
 */
export function allowedTokensSampler({ ids }: { ids: unknown }, profile: EngineProfile): Sampler {
  const allowed = tokenIds('allowed_tokens.ids', ids);
  if (allowed.length === 0 && profile.allowedTokensEmpty === 'error') {
    throw new InvalidParameterError('allowed_tokens.ids', ids, `a non-empty list of token ids under ${profile.name} ("allowed_token_ids is not None and empty!")`);
  }
  let outside: Uint8Array | undefined;
  return {
    name: 'allowed_tokens',
    apply(candidates: Candidates): void {
      if (allowed.length === 0) return;
      const vocab = candidates.vocabSize;
      outside = scratchUint8(outside, vocab);
      outside.fill(1, 0, vocab);
      for (let i = 0; i < allowed.length; i++) {
        const id = allowed[i] as number;
        if (id >= vocab) throw new InvalidParameterError('allowed_tokens.ids', id, `token ids in [0, ${vocab - 1}] (the vocabulary has ${vocab} tokens)`);
        outside[id] = 0;
      }
      const kept = compactLiveFlags(candidates, outside);
      outside.fill(0, 0, vocab);
      if (kept === 0) throw new InvalidInputError('allowed_tokens: every allowed token was already removed: nothing left to sample');
    },
  };
}

const IDS: ParameterSpec = {
  name: 'ids',
  kind: 'token-ids',
  default: [],
  hint: 'JSON list of the only token ids that may be drawn, e.g. [3, 7]; [] allows all',
  fields: ['allowed_token_ids', 'allowed_tokens'],
};

/** The `allowed_tokens` sampler: its parameter, engines and factory. */
export const allowedTokens = defineSampler({
  name: 'allowed_tokens',
  summary: 'remove every token not in the list',
  parameters: [IDS],
  engines: {
    knobs: { order: 4 },
    vllm: { order: 5 },
    exllamav2: { order: 21 },
  },
  create: allowedTokensSampler,
});
