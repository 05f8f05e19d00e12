import { InvalidInputError, InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { compactLiveFlags, scratchUint8 } from './selection.js';

/**
 * Minimum length: while fewer than `min` tokens have been generated (the prompt does not
 * count; tokens given as `history` do), the stop ids `stop` — and the model's end-of-sequence
 * ids when the chain knows them (`SamplerOptions.eos`) — cannot be drawn. `min = 0` is
 * neutral; ids outside the vocabulary are ignored. Masking every live token is an error.
 *
 * Engines (all read, not run): vLLM `MinTokensLogitsProcessor` (`v1/sample/logits_processor/
 * builtin.py` @0272a72c) masks `stop_token_ids` and the EOS ids with −inf, right after the
 * allowed-ids mask and bad words; SGLang's `min_new_tokens` penalizer (`penaltylib/
 * min_new_tokens.py` @2aa1ac73) adds −inf to the stop ids, the tokenizer's additional stop ids
 * and the EOS; transformers' `MinNewTokensLengthLogitsProcessor` masks the EOS ids only (give
 * them as `stop`); exllamav2's dynamic generator (`min_new_tokens`) sets their logits to −1e30
 * instead (`profile.minTokensMask: 'logit-1e30'`: they stay candidates with probability 0).
 * transformers.js 4.3.2's processor (read in the installed package) masks the EOS ids.
 *
 * @example
 * // vLLM's test: min 25 with 20 tokens generated masks the stop ids 5, 17 and 300
 * createSampler([{ min_tokens: { min: 25, stop: [5, 17, 300] } }], { history: Array(20).fill(3) }).distribution(new Float32Array(1024));
 */
export function minTokensSampler({ min, stop }: { min: number; stop: unknown }, profile: EngineProfile): Sampler {
  checkParameter('min_tokens', MIN, min);
  const stops = tokenIds('min_tokens.stop', stop);
  const soft = profile.minTokensMask === 'logit-1e30';
  let masked: Uint8Array | undefined;
  return {
    name: 'min_tokens',
    apply(candidates: Candidates, context: SamplerContext): void {
      if (context.generated.length >= min) return;
      const vocab = candidates.vocabSize;
      const eos = context.eos ?? [];
      if (soft) {
        for (const id of stops) if (id < vocab) candidates.logits[id] = -1e30;
        for (const id of eos) if (id < vocab) candidates.logits[id] = -1e30;
        if (candidates.order === 'descending') candidates.order = 'any';
        return;
      }
      masked = scratchUint8(masked, vocab);
      const any = mark(masked, stops, vocab, 1) + mark(masked, eos, vocab, 1) > 0;
      if (!any) return;
      const kept = compactLiveFlags(candidates, masked);
      mark(masked, stops, vocab, 0);
      mark(masked, eos, vocab, 0);
      if (kept === 0) throw new InvalidInputError(`min_tokens.min = ${min} masks every remaining token (all are stop ids): nothing left to sample`);
    },
  };
}

/** Sets `flags[id] = value` for the ids inside the vocabulary; returns how many. */
function mark(flags: Uint8Array, ids: readonly number[], vocab: number, value: number): number {
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id >= vocab) continue;
    flags[id] = value;
    count++;
  }
  return count;
}

/** Checks a list of token ids (integers >= 0). */
export function tokenIds(parameter: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)) {
    throw new InvalidParameterError(parameter, value, 'an array of token ids (integers >= 0)');
  }
  return value as number[];
}

const MIN: ParameterSpec = {
  name: 'min',
  kind: 'integer',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  atOrBelow: true,
  hint: 'stop ids are masked until this many tokens are generated; 0 disables',
  control: { min: 0, max: 64, step: 1, initial: 8 },
  fields: ['min_tokens', 'min_new_tokens'],
  flag: 'min-tokens',
};
const STOP: ParameterSpec = {
  name: 'stop',
  kind: 'token-ids',
  default: [],
  hint: 'JSON list of stop token ids, e.g. [2]; the model\'s EOS ids are added when known',
};

/** The `min_tokens` sampler: its parameters, engines and factory. */
export const minTokens = defineSampler({
  name: 'min_tokens',
  summary: 'mask stop and EOS ids until min tokens are generated',
  parameters: [MIN, STOP],
  engines: {
    knobs: { order: 8 },
    hf: { order: 35 },
    vllm: { order: 8 },
    sglang: { order: 15 },
    exllamav2: { order: 15 },
    'transformers.js': { order: 40 },
  },
  create: minTokensSampler,
});
