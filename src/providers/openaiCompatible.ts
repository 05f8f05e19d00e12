import OpenAI from 'openai';
import { readApiKey } from './apiKey.js';
import { checkCompatibleServer, compatibleCapabilities, type CompatibleServer } from './compatibleCapabilities.js';
import { createOpenAIStyleProvider } from './openai.js';
import type { Provider } from './types.js';

/** Options of `createOpenAICompatibleProvider`. */
export interface OpenAICompatibleProviderOptions {
  /** Base URL of the server's OpenAI API, e.g. `http://127.0.0.1:8000/v1` (vLLM), `http://127.0.0.1:11434/v1` (Ollama). */
  readonly baseURL: string;
  /** Which server it is, for its extra knobs (default `generic`). */
  readonly server?: CompatibleServer | string;
  /**
   * Environment variable holding the server's key, if it needs one. The OpenAI key is never
   * sent to another server unless named here.
   */
  readonly apiKeyEnv?: string;
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Sent when a server needs no key: the SDK always sends an Authorization header. */
const NO_KEY = 'no-key';

/**
 * A provider over any OpenAI-compatible server (vLLM, llama.cpp server, Ollama, LM Studio,
 * `knobs serve`): the OpenAI knobs, plus the engine's extra knobs (top_k, min_p, typical_p,
 * repetition_penalty, ...) sent as extra body fields. A plain prompt goes to
 * `/v1/completions`, messages to `/v1/chat/completions`. With `server: 'knobs'` a chain is
 * sent as is in a `chain` field.
 *
 * @example
 * const vllm = createOpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:8000/v1', server: 'vllm' });
 * await vllm.complete({ model: 'meta-llama/Llama-3.1-8B', prompt: 'Once', settings: { top_k: 40, min_p: 0.05, temperature: 0.8 } });
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleProviderOptions): Provider {
  const server = checkCompatibleServer(options.server ?? 'generic');
  const name = `openai-compatible:${server}`;
  const apiKey = options.apiKeyEnv !== undefined ? readApiKey(name, options.apiKeyEnv, options.env) : NO_KEY;
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const client = new OpenAI({ apiKey, baseURL: options.baseURL, maxRetries, timeout: timeoutMs });
  return createOpenAIStyleProvider({
    name,
    client,
    failure: { provider: name, ...(options.apiKeyEnv !== undefined ? { keyVariable: options.apiKeyEnv } : {}), maxRetries, timeoutMs },
    capabilities: (model) => compatibleCapabilities(model, server),
    maxTokensField: 'max_tokens',
    promptEndpoint: 'completions',
    runsChains: server === 'knobs',
  });
}
