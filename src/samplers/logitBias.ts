import { InvalidInputError, InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { compactLiveFlags, scratchUint8 } from './selection.js';

/**
 * Logit bias (OpenAI's `logit_bias`; llama.cpp `llama_sampler_logit_bias`; vLLM
 * `logit_bias`; transformers' `sequence_bias` with one-token sequences): adds a fixed number
 * to the logit of each listed token. The value is an object token id → bias; `-Infinity`
 * (written `"-inf"` in JSON) removes the token. An empty object is neutral. Biases apply to
 * live tokens only (a token already removed stays removed). `profile.logitBias.clamp` limits
 * each bias to ±clamp (vLLM's OpenAI layer clamps to [-100, 100]). Ids outside the
 * vocabulary are an error (knobs, transformers, vLLM) or ignored (`outOfVocab: 'ignore'`,
 * llama.cpp).
 * Removing every live token is an error.
 *
 * @example
 * createSampler([{ logit_bias: { '2': 5, '0': '-inf' } }]).distribution(new Float32Array([1, 1, 1]));
 * // token 0 removed, token 2 ≈ 0.993
 */
export function logitBiasSampler({ bias: value }: { bias: unknown }, profile: EngineProfile): Sampler {
  const { clamp, outOfVocab } = profile.logitBias;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidParameterError('logit_bias', value, 'an object of token id → bias, such as {"50256": -100}');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const ids = new Int32Array(entries.length);
  const biases = new Float64Array(entries.length);
  entries.forEach(([key, raw], index) => {
    const id = Number(key);
    if (!/^\d+$/.test(key) || !Number.isSafeInteger(id)) {
      throw new InvalidParameterError('logit_bias key', key, 'a token id (an integer >= 0)');
    }
    const bias = raw === '-inf' || raw === '-Infinity' ? -Infinity : raw;
    if (typeof bias !== 'number' || Number.isNaN(bias) || bias === Infinity) {
      throw new InvalidParameterError(`logit_bias["${key}"]`, raw, 'a finite number, or "-inf" to remove the token');
    }
    ids[index] = id;
    biases[index] = Math.max(-clamp, Math.min(clamp, bias));
  });
  let removed: Uint8Array | undefined;
  return {
    name: 'logit_bias',
    apply(candidates: Candidates): void {
      if (ids.length === 0) return;
      const vocab = candidates.vocabSize;
      const logits = candidates.logits;
      removed = scratchUint8(removed, vocab);
      let any = false;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        if (id >= vocab) {
          if (outOfVocab === 'ignore') continue;
          throw new InvalidParameterError('logit_bias key', id, `a token id in [0, ${vocab - 1}] (the vocabulary has ${vocab} tokens)`);
        }
        const logit = (logits[id] as number) + (biases[i] as number);
        logits[id] = logit;
        if (logit === -Infinity || Number.isNaN(logit)) {
          removed[id] = 1;
          any = true;
        }
      }
      if (candidates.order === 'descending') candidates.order = 'any';
      if (!any) return;
      const kept = compactLiveFlags(candidates, removed);
      for (let i = 0; i < ids.length; i++) if ((ids[i] as number) < vocab) removed[ids[i] as number] = 0;
      if (kept === 0) throw new InvalidInputError('logit_bias removes every remaining token: nothing left to sample');
    },
  };
}

const BIAS: ParameterSpec = {
  name: 'bias',
  kind: 'token-bias',
  default: {},
  hint: 'JSON object: token id → additive bias, e.g. {"3": -100}; "-inf" removes',
  fields: ['logit_bias'],
};

/** The `logit_bias` sampler: its parameter, engines and factory. */
export const logitBias = defineSampler({
  name: 'logit_bias',
  summary: 'add a fixed bias to listed token ids ("-inf" removes)',
  parameters: [BIAS],
  objectIsValue: true,
  engines: {
    knobs: { order: 10 },
    'llama.cpp': { order: 10 },
    hf: { order: 10 },
    vllm: { order: 10 },
    sglang: { order: 20 },
    koboldcpp: { order: 10 },
    exllamav2: { order: 20 },
    'node-llama-cpp': { order: 10 },
  },
  create: logitBiasSampler,
});
