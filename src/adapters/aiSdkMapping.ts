/**
 * How a chain travels through an AI SDK provider to a given server: which knobs become the
 * AI SDK's own call settings (`temperature`, `topP`, `topK`, penalties), which become extra
 * request-body fields (provider options), and which the target cannot take at all. Built on
 * the capability tables of src/providers (OpenAI, Anthropic, OpenAI-compatible servers by
 * kind) and on what each AI SDK provider sends (read from @ai-sdk/openai 3.0,
 * @ai-sdk/anthropic 3.0 and @ai-sdk/openai-compatible 2.0).
 */
import { anthropicCapabilities } from '../providers/anthropicCapabilities.js';
import { checkSettings } from '../providers/checkSettings.js';
import { COMPATIBLE_SERVERS, compatibleCapabilities, type CompatibleServer } from '../providers/compatibleCapabilities.js';
import { knobFields, knobFieldsFromChain } from '../providers/knobFields.js';
import { openaiCapabilities } from '../providers/openaiCapabilities.js';
import type { ModelCapabilities } from '../providers/types.js';
import { ChainSpecError } from '../core/errors.js';
import { parseChain, type ChainSpec } from '../samplers/spec.js';

/** The AI SDK provider packages the middleware knows. */
export const AI_SDK_PROVIDERS = ['openai', 'anthropic', 'openai-compatible'] as const;
export type AiSdkProvider = (typeof AI_SDK_PROVIDERS)[number];

/** The AI SDK's own sampling settings (`LanguageModelV3CallOptions`). */
export type SamplingSetting = 'temperature' | 'topP' | 'topK' | 'frequencyPenalty' | 'presencePenalty';
export const SAMPLING_SETTINGS: readonly SamplingSetting[] = ['temperature', 'topP', 'topK', 'frequencyPenalty', 'presencePenalty'];

/** A knob of the chain the target cannot take, and why. */
export interface LackingKnob {
  /** The request field (`min_p`, `dry_multiplier`, ...) or the chain stage (`chain[2]`). */
  readonly knob: string;
  readonly value: unknown;
  readonly reason: string;
}

/** A chain mapped onto one target. */
export interface ChainMapping {
  /** The AI SDK settings to set (the others are cleared). */
  readonly settings: Partial<Record<SamplingSetting, number>>;
  /** Extra fields, sent as `providerOptions[key]`. */
  readonly providerOptions: Record<string, unknown>;
  /** Every knob of the chain that the target cannot take. */
  readonly lacking: LackingKnob[];
  /** Fields sent that the target may or may not apply (an unknown server). */
  readonly unverified: string[];
}

/** Which target: the provider package, the server kind behind an OpenAI-compatible one, the model id. */
export interface MappingTarget {
  readonly provider: AiSdkProvider;
  readonly server?: CompatibleServer;
  readonly model: string;
  /** Engine profile, sent to `knobs serve` with the chain. */
  readonly engine?: string;
}

/** Request fields each provider package turns into its own settings. */
const SETTING_OF: Readonly<Record<AiSdkProvider, Readonly<Record<string, SamplingSetting>>>> = {
  openai: { temperature: 'temperature', top_p: 'topP', frequency_penalty: 'frequencyPenalty', presence_penalty: 'presencePenalty' },
  anthropic: { temperature: 'temperature', top_p: 'topP', top_k: 'topK' },
  // @ai-sdk/openai-compatible drops topK (with a warning): top_k goes as an extra field
  'openai-compatible': { temperature: 'temperature', top_p: 'topP', frequency_penalty: 'frequencyPenalty', presence_penalty: 'presencePenalty' },
};

/** Fields each provider package sends through its provider options (name in the options). */
const OPTION_OF: Readonly<Record<AiSdkProvider, Readonly<Record<string, string>>>> = {
  openai: { logit_bias: 'logitBias' },
  anthropic: {},
  'openai-compatible': {}, // every other accepted field goes into the body as it is
};

/** Other names of a field (llama.cpp's `repeat_penalty` for `repetition_penalty`). */
function namesOf(field: string): string[] {
  return [field, ...knobFields().filter((entry) => entry.aliasOf === field).map((entry) => entry.field)];
}

/** The capability table of a target. */
export function targetCapabilities(target: MappingTarget): ModelCapabilities {
  if (target.provider === 'openai') return openaiCapabilities(target.model);
  if (target.provider === 'anthropic') return anthropicCapabilities(target.model);
  return compatibleCapabilities(target.model, target.server ?? 'generic');
}

/**
 * Maps a chain onto a target. `knobs serve` (`openai-compatible`, server `knobs`) takes the
 * chain itself (`providerOptions.chain`, with `engine`), so it lacks nothing and keeps the
 * chain's order. Any other target receives the chain's knobs as request fields
 * (`knobFieldsFromChain`), applied in the server's own order: those its capability table
 * has, within range, are sent (as the provider's settings or as extra body fields, under
 * the name the server knows); the others, stages no field can express, and values out of
 * range are listed in `lacking`. For OpenAI-compatible servers of unknown kind (`generic`),
 * extra fields are sent and listed in `unverified`. Anthropic: a model that takes
 * temperature or top_p, not both, keeps temperature; and @ai-sdk/anthropic itself drops
 * top_p when a temperature is set for a `claude-` model, so top_p is then reported too.
 *
 * @example
 * mapChain([{ top_k: 40 }, { min_p: 0.05 }, { temperature: 0.8 }], { provider: 'openai', model: 'gpt-4o-mini' });
 * // { settings: { temperature: 0.8 }, providerOptions: {}, lacking: [top_k ..., min_p ...], unverified: [] }
 */
export function mapChain(chain: ChainSpec | string, target: MappingTarget): ChainMapping {
  if (!(AI_SDK_PROVIDERS as readonly string[]).includes(target.provider)) {
    throw new ChainSpecError(`provider = ${JSON.stringify(target.provider)} is invalid: expected one of ${AI_SDK_PROVIDERS.join(', ')}`);
  }
  if (target.server !== undefined && !(COMPATIBLE_SERVERS as readonly string[]).includes(target.server)) {
    throw new ChainSpecError(`server = ${JSON.stringify(target.server)} is invalid: expected one of ${COMPATIBLE_SERVERS.join(', ')}`);
  }
  if (target.provider === 'openai-compatible' && target.server === 'knobs') {
    parseChain(chain); // a bad chain throws here, before anything is sent
    return { settings: {}, providerOptions: { chain, ...(target.engine ? { engine: target.engine } : {}) }, lacking: [], unverified: [] };
  }
  const capabilities = targetCapabilities(target);
  const { fields, unexpressible } = knobFieldsFromChain(chain);
  const lacking: LackingKnob[] = unexpressible.map((entry) => ({ knob: entry.parameter, value: entry.value, reason: entry.reason }));
  const who = `${capabilities.provider} (${target.model})`;
  // the name under which the target knows each field
  const named: Record<string, unknown> = {};
  const unverified: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const name = namesOf(field).find((candidate) => candidate in capabilities.knobs || candidate in capabilities.refused);
    if (name !== undefined) named[name] = value;
    else if (capabilities.passThrough && !capabilities.known && target.provider === 'openai-compatible') {
      named[field] = value;
      unverified.push(field);
    } else lacking.push({ knob: field, value, reason: `${who} has no ${field}` });
  }
  const check = checkSettings(capabilities, { settings: named });
  for (const rejection of check.rejected) {
    const [kept, ...dropped] = rejection.parameter.split(',');
    const removed = rejection.parameter.includes(',') ? dropped : [kept as string];
    for (const field of removed) {
      lacking.push({ knob: field, value: named[field], reason: rejection.reason.replace(/^rejected by provider: /, '') });
      delete named[field];
    }
  }
  for (const field of check.omitted) delete named[field];
  if (target.provider === 'anthropic' && 'temperature' in named && 'top_p' in named && target.model.includes('claude-')) {
    lacking.push({ knob: 'top_p', value: named.top_p, reason: '@ai-sdk/anthropic sends top_p only when no temperature is set, for Claude models' });
    delete named.top_p;
  }
  const settings: Partial<Record<SamplingSetting, number>> = {};
  const providerOptions: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(named)) {
    const setting = SETTING_OF[target.provider][field];
    const option = OPTION_OF[target.provider][field];
    if (setting !== undefined) settings[setting] = value as number;
    else if (option !== undefined) providerOptions[option] = value;
    else if (target.provider === 'openai-compatible') providerOptions[field] = value;
    else lacking.push({ knob: field, value, reason: `the @ai-sdk/${target.provider} provider has no way to send ${field}` });
  }
  return { settings, providerOptions, lacking, unverified };
}
