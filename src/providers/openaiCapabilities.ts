import type { KnobRange, KnobSettings, ModelCapabilities } from './types.js';

/** The sampling knobs of OpenAI's chat completions API and their documented ranges. */
export const OPENAI_KNOBS: Readonly<Record<string, KnobRange>> = {
  temperature: { min: 0, max: 2, default: 1 },
  top_p: { min: 0, max: 1, default: 1 },
  frequency_penalty: { min: -2, max: 2, default: 0 },
  presence_penalty: { min: -2, max: 2, default: 0 },
  logit_bias: { min: -100, max: 100, note: 'token id of the model tokenizer → bias added to the logit' },
};

const DEFAULT_ONLY: Readonly<Record<string, KnobRange>> = {
  temperature: { min: 1, max: 1, default: 1 },
  top_p: { min: 1, max: 1, default: 1 },
  frequency_penalty: { min: 0, max: 0, default: 0 },
  presence_penalty: { min: 0, max: 0, default: 0 },
};

/**
 * Which OpenAI models are reasoning models, as documented in OpenAI's reasoning guide and
 * the GPT-5.x model pages:
 *
 * | family | models | sampling knobs |
 * |---|---|---|
 * | `openai-reasoning` | o1, o3, o4-mini, ... ; gpt-5, gpt-5-mini, gpt-5-nano; every `-codex` and `-pro`; gpt-5.x-chat | only the defaults (temperature 1, top_p 1, penalties 0); no logit_bias, no logprobs |
 * | `openai-reasoning-optional` | gpt-5.1, gpt-5.2 and later | every knob and logprobs with `reasoning_effort: "none"` (their default); with any other effort, no temperature, top_p or logprobs |
 * | `openai-standard` | gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4-turbo, gpt-3.5-turbo, gpt-5-chat-latest, and unknown models | every knob |
 *
 * @example
 * openaiModelFamily('o4-mini'); // { family: 'openai-reasoning', known: true }
 */
export function openaiModelFamily(model: string): { family: string; known: boolean } {
  const id = model.toLowerCase().replace(/^ft:/, '').replace(/^openai\//, '');
  if (/^o\d/.test(id)) return { family: 'openai-reasoning', known: true };
  if (/^gpt-5-chat/.test(id)) return { family: 'openai-standard', known: true };
  if (/^gpt-5(\.\d+)?-(codex|pro)/.test(id) || /^codex-/.test(id) || /^gpt-5\.\d+-chat/.test(id)) return { family: 'openai-reasoning', known: true };
  if (/^gpt-5(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?$/.test(id)) return { family: 'openai-reasoning', known: true };
  if (/^gpt-5\.\d+/.test(id)) return { family: 'openai-reasoning-optional', known: true };
  if (/^(gpt-4|gpt-3\.5|chatgpt-4o)/.test(id)) return { family: 'openai-standard', known: true };
  return { family: 'openai-standard', known: false };
}

/**
 * What an OpenAI model accepts, before anything is sent (OpenAI answers refused knobs with
 * 400 `unsupported_parameter` / `unsupported_value`). `settings.reasoning_effort` matters
 * for GPT-5.1 and later.
 *
 * @example
 * openaiCapabilities('o3-mini').knobs.temperature; // { min: 1, max: 1, default: 1 }: only the default
 * openaiCapabilities('gpt-5.2', { reasoning_effort: 'high' }).refused.temperature;
 * // 'gpt-5.2 accepts temperature only with reasoning_effort "none" (got "high")'
 */
export function openaiCapabilities(model: string, settings: KnobSettings = {}): ModelCapabilities {
  const { family, known } = openaiModelFamily(model);
  const base = {
    provider: 'openai',
    model,
    known,
    family,
    exclusive: [],
    passThrough: false,
    maxN: 128,
    seed: true,
    chain: false,
  };
  const standardOptions = ['service_tier', 'user', 'store', 'metadata'];
  if (family === 'openai-reasoning') {
    const reason = (field: string): string => `${model} is a reasoning model: OpenAI refuses ${field} for it`;
    return {
      ...base,
      knobs: DEFAULT_ONLY,
      refused: { logit_bias: reason('logit_bias'), logprobs: reason('logprobs'), top_logprobs: reason('top_logprobs') },
      options: [...standardOptions, 'reasoning_effort', 'verbosity'],
      logprobs: { supported: false, maxTop: 0 },
      notes: ['reasoning models accept only the default temperature, top_p and penalties; values equal to the default are not sent'],
    };
  }
  if (family === 'openai-reasoning-optional') {
    const effort = settings.reasoning_effort;
    const options = [...standardOptions, 'reasoning_effort', 'verbosity'];
    if (effort !== undefined && effort !== 'none') {
      const reason = (field: string): string => `${model} accepts ${field} only with reasoning_effort "none" (got ${JSON.stringify(effort)})`;
      return {
        ...base,
        knobs: { frequency_penalty: OPENAI_KNOBS.frequency_penalty as KnobRange, presence_penalty: OPENAI_KNOBS.presence_penalty as KnobRange, logit_bias: OPENAI_KNOBS.logit_bias as KnobRange },
        refused: { temperature: reason('temperature'), top_p: reason('top_p'), logprobs: reason('logprobs'), top_logprobs: reason('top_logprobs') },
        options,
        logprobs: { supported: false, maxTop: 0 },
        notes: ['with reasoning on, GPT-5.1 and later refuse temperature, top_p and logprobs'],
      };
    }
    return { ...base, knobs: OPENAI_KNOBS, refused: {}, options, logprobs: { supported: true, maxTop: 20 }, notes: ['sampling knobs apply with reasoning_effort "none" (the default of GPT-5.1 and later)'] };
  }
  return {
    ...base,
    knobs: OPENAI_KNOBS,
    refused: {},
    options: standardOptions,
    logprobs: { supported: true, maxTop: 20 },
    notes: known ? [] : [`${model} is not in the capability table: treated as a standard chat model; refusals from OpenAI are reported as rejected`],
  };
}
