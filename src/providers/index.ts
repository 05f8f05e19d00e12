/**
 * `creativity-knobs/providers` (Node): one interface over OpenAI, Anthropic, any
 * OpenAI-compatible server and the local models, with each API's knobs, ranges and refusals.
 *
 * @example
 * import { createProvider } from 'creativity-knobs/providers';
 * const result = await createProvider('local').complete({ model: 'embedded', prompt: 'Hi', settings: { temperature: 0.7 }, seed: 1 });
 *
 * @module creativity-knobs/providers
 */
import { InvalidParameterError } from '../core/errors.js';
import { createAnthropicProvider } from './anthropic.js';
import { createLocalProvider } from './local.js';
import type { ModelCatalog } from '../models/catalog.js';
import { createOpenAIProvider } from './openai.js';
import { createOpenAICompatibleProvider } from './openaiCompatible.js';
import type { Provider } from './types.js';

/** Provider names accepted by `createProvider` (and `--provider`). */
export const PROVIDER_NAMES = ['openai', 'anthropic', 'openai-compatible', 'local'] as const;
/** A provider name: one of `PROVIDER_NAMES`. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Options of `createProvider`; each provider reads the ones it needs. */
export interface ProviderOptions {
  /** Environment variable holding the key (OpenAI: `OPENAI_API_KEY`, Anthropic: `ANTHROPIC_API_KEY`, compatible: none). */
  readonly apiKeyEnv?: string;
  /** Base URL: required for `openai-compatible`, optional for `openai` and `anthropic`. */
  readonly baseURL?: string;
  /** Kind of OpenAI-compatible server (`vllm`, `llama.cpp`, `ollama`, `lmstudio`, `knobs`, `generic`). */
  readonly server?: string;
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  /** Models of the local provider (`localCatalog()`). */
  readonly catalog?: ModelCatalog;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Creates a provider by name. Remote providers read their key from the environment at
 * once and fail, naming the variable, when it is missing.
 *
 * @example
 * const provider = createProvider('openai-compatible', { baseURL: 'http://127.0.0.1:8080/v1', server: 'llama.cpp' });
 */
export function createProvider(name: string, options: ProviderOptions = {}): Provider {
  const common = {
    ...(options.apiKeyEnv !== undefined ? { apiKeyEnv: options.apiKeyEnv } : {}),
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  };
  switch (name) {
    case 'openai':
      return createOpenAIProvider(common);
    case 'anthropic':
      return createAnthropicProvider(common);
    case 'openai-compatible':
      if (options.baseURL === undefined) throw new InvalidParameterError('--base-url', undefined, 'the base URL of the server, e.g. http://127.0.0.1:8000/v1');
      return createOpenAICompatibleProvider({ ...common, baseURL: options.baseURL, ...(options.server !== undefined ? { server: options.server } : {}) });
    case 'local':
      if (!options.catalog) throw new InvalidParameterError('catalog', undefined, 'a ModelCatalog of the local models, e.g. localCatalog()');
      return createLocalProvider({ catalog: options.catalog });
    default:
      throw new InvalidParameterError('provider', name, `one of ${PROVIDER_NAMES.join(', ')}`);
  }
}

export { createAnthropicProvider, type AnthropicProviderOptions } from './anthropic.js';
export { anthropicCapabilities, claudeSamplingRule, type ClaudeSamplingRule } from './anthropicCapabilities.js';
export { readApiKey } from './apiKey.js';
export { CHAT_END_OF_TURN, renderChatPrompt } from './chatTemplate.js';
export { checkSettings, type CheckedRequest, type SettingsCheck } from './checkSettings.js';
export { COMPATIBLE_SERVERS, compatibleCapabilities, type CompatibleServer } from './compatibleCapabilities.js';
export { MissingApiKeyError, ProviderError, type ProviderErrorKind } from './errors.js';
export { generateCompletion, randomSeed, type GenerateCompletionOptions, type Generation, type GenerationDelta } from './generateCompletion.js';
export { chainFromKnobFields, isKnobField, knobFields, knobFieldsFromChain, type ChainFields, type FieldChain, type KnobField } from './knobFields.js';
export { createLocalProvider, localCapabilities, type LocalProviderOptions } from './local.js';
export { createOpenAIProvider, type OpenAIProviderOptions } from './openai.js';
export { openaiCapabilities, openaiModelFamily, OPENAI_KNOBS } from './openaiCapabilities.js';
export { createOpenAICompatibleProvider, type OpenAICompatibleProviderOptions } from './openaiCompatible.js';
export type * from './types.js';
