import OpenAI from 'openai';
import { readApiKey } from './apiKey.js';
import { checkSettings } from './checkSettings.js';
import { ProviderError } from './errors.js';
import { openaiCapabilities } from './openaiCapabilities.js';
import { remoteSettings } from './remoteSettings.js';
import { classifySdkError, type FailureContext } from './sdkErrors.js';
import type { Completion, CompletionRequest, CompletionResult, FinishReason, KnobSettings, ModelCapabilities, Provider, TokenInfo } from './types.js';

/** Options of `createOpenAIProvider`. */
export interface OpenAIProviderOptions {
  /** Environment variable holding the key (default `OPENAI_API_KEY`). */
  readonly apiKeyEnv?: string;
  /** Another base URL for the same API (a proxy, or a test server). */
  readonly baseURL?: string;
  /** Retries of the SDK on 408/409/429/5xx and connection errors (default 2), honouring Retry-After. */
  readonly maxRetries?: number;
  /** Timeout of each attempt in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** Where keys are read from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** How an OpenAI-style provider talks to its server (shared by OpenAI and compatible servers). */
export interface OpenAIStyleConfig {
  readonly name: string;
  readonly client: OpenAI;
  readonly failure: FailureContext;
  capabilities(model: string, settings?: KnobSettings): ModelCapabilities;
  /** `max_completion_tokens` for OpenAI (reasoning models refuse `max_tokens`), `max_tokens` elsewhere. */
  readonly maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Whether a plain prompt goes to `/v1/completions` (compatible servers) or becomes one user message. */
  readonly promptEndpoint: 'completions' | 'chat';
  /** Whether the server runs a `chain` field itself (knobs serve). */
  readonly runsChains: boolean;
}

/**
 * The OpenAI provider, through the official `openai` SDK: chat completions with
 * temperature, top_p, frequency and presence penalties, logit_bias, seed (the answer's
 * `system_fingerprint` is recorded), logprobs with up to 20 top alternatives, and `n`.
 * Settings a model refuses (reasoning models: o-series, GPT-5, GPT-5.1+ with reasoning on)
 * are found before sending and reported as `status: 'rejected'`; so is a 400 from the API.
 * The key is read from `OPENAI_API_KEY` (or `apiKeyEnv`) when the provider is created,
 * which fails at once, naming the variable, when it is not set.
 *
 * @example
 * const openai = createOpenAIProvider();
 * const result = await openai.complete({ model: 'gpt-4o-mini', prompt: 'The robot looked at the sunset and felt', settings: { temperature: 0.7 }, n: 3, maxTokens: 50, seed: 1 });
 */
export function createOpenAIProvider(options: OpenAIProviderOptions = {}): Provider {
  const keyVariable = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const apiKey = readApiKey('openai', keyVariable, options.env);
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const client = new OpenAI({ apiKey, maxRetries, timeout: timeoutMs, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
  return createOpenAIStyleProvider({
    name: 'openai',
    client,
    failure: { provider: 'openai', keyVariable, maxRetries, timeoutMs },
    capabilities: openaiCapabilities,
    maxTokensField: 'max_completion_tokens',
    promptEndpoint: 'chat',
    runsChains: false,
  });
}

/**
 * A provider over any server that speaks OpenAI's chat completions (see `createOpenAIProvider`).
 *
 * @example
 * const provider = createOpenAIStyleProvider({ name: 'proxy', client: new OpenAI({ apiKey, baseURL }), failure: { provider: 'proxy', maxRetries: 2, timeoutMs: 60000 },
 *   capabilities: openaiCapabilities, maxTokensField: 'max_tokens', promptEndpoint: 'chat', runsChains: false });
 */
export function createOpenAIStyleProvider(config: OpenAIStyleConfig): Provider {
  return {
    name: config.name,
    capabilities: (model, settings) => config.capabilities(model, settings),
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      const started = performance.now();
      const { settings, rejected } = remoteSettings(request, config.name, config.runsChains);
      const capabilities = config.capabilities(request.model, settings);
      const check = checkSettings(capabilities, { settings, n: request.n, seed: request.seed, logprobs: request.logprobs, topLogprobs: request.topLogprobs });
      const notes = [...check.notes, ...check.omitted.map((field) => `${field} = ${JSON.stringify(settings[field])} is ${request.model}'s only value: not sent`)];
      const chat = request.messages !== undefined || config.promptEndpoint === 'chat';
      const body: Record<string, unknown> = { model: request.model };
      if (request.messages !== undefined) body.messages = request.messages.map((message) => ({ role: message.role, content: message.content }));
      else if (chat) body.messages = [{ role: 'user', content: request.prompt ?? '' }];
      else body.prompt = request.promptTokens !== undefined ? [...request.promptTokens] : (request.prompt ?? '');
      if (request.n !== undefined) body.n = request.n;
      if (request.seed !== undefined) body.seed = request.seed;
      if (request.stop !== undefined && request.stop.length > 0) body.stop = [...request.stop];
      if (request.maxTokens !== undefined) body[chat ? config.maxTokensField : 'max_tokens'] = request.maxTokens;
      const wantsLogprobs = request.logprobs === true || request.topLogprobs !== undefined;
      if (wantsLogprobs && chat) {
        body.logprobs = true;
        if (request.topLogprobs !== undefined) body.top_logprobs = request.topLogprobs;
      } else if (wantsLogprobs) {
        body.logprobs = request.topLogprobs ?? 0;
      }
      for (const [field, value] of Object.entries(settings)) if (value !== undefined && !check.omitted.includes(field)) body[field] = value;
      const { messages: _messages, prompt: _prompt, ...sent } = body;
      const allRejected = [...rejected, ...check.rejected];
      if (request.promptTokens !== undefined && chat) allRejected.push({ parameter: 'prompt', value: request.promptTokens, reason: `rejected by provider: ${config.name} sends prompts as chat messages, which cannot be token ids` });
      const base = { provider: config.name, model: request.model, notes, sent };
      if (allRejected.length > 0) return { ...base, status: 'rejected', completions: [], rejected: allRejected, latencyMs: performance.now() - started };
      let response: unknown;
      try {
        const requestOptions = request.signal ? { signal: request.signal } : {};
        response = chat
          ? await config.client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, requestOptions)
          : await config.client.completions.create(body as unknown as OpenAI.CompletionCreateParamsNonStreaming, requestOptions);
      } catch (error) {
        const outcome = classifySdkError(error, config.failure);
        if (outcome instanceof ProviderError) throw outcome;
        return { ...base, status: 'rejected', completions: [], rejected: [outcome], latencyMs: performance.now() - started };
      }
      const parsed = chat ? parseChatCompletion(response, config.name) : parseTextCompletion(response, config.name);
      return {
        ...base,
        status: 'ok',
        completions: parsed.completions,
        ...(parsed.usage ? { usage: parsed.usage } : {}),
        systemFingerprint: parsed.systemFingerprint,
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        latencyMs: performance.now() - started,
      };
    },
  };
}

interface ParsedResponse {
  completions: Completion[];
  usage?: { promptTokens: number; completionTokens: number };
  systemFingerprint: string | null;
}

function malformed(provider: string, what: string, response: unknown): ProviderError {
  const text = typeof response === 'string' ? response : JSON.stringify(response) ?? String(response);
  return new ProviderError(`${provider}: the answer is not ${what}: ${text.slice(0, 120)}`, provider, 'malformed');
}

function finishReason(reason: unknown): FinishReason {
  if (reason === 'stop' || reason === 'length' || reason === 'content_filter') return reason;
  return 'other';
}

interface RawChoice {
  index?: number;
  finish_reason?: unknown;
  message?: { content?: string | null };
  text?: string;
  logprobs?: {
    content?: { token: string; logprob: number; bytes?: number[] | null; top_logprobs?: { token: string; logprob: number }[] }[] | null;
    tokens?: string[];
    token_logprobs?: (number | null)[];
    top_logprobs?: (Record<string, number> | null)[] | null;
  } | null;
}

function commonParts(response: unknown, provider: string, what: string): { choices: RawChoice[]; usage?: ParsedResponse['usage']; systemFingerprint: string | null } {
  const body = response as { choices?: unknown; usage?: { prompt_tokens?: number; completion_tokens?: number } | null; system_fingerprint?: string | null } | null;
  if (body === null || typeof body !== 'object' || !Array.isArray(body.choices)) throw malformed(provider, what, response);
  const choices = [...(body.choices as RawChoice[])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const usage = body.usage && typeof body.usage.prompt_tokens === 'number' ? { promptTokens: body.usage.prompt_tokens, completionTokens: body.usage.completion_tokens ?? 0 } : undefined;
  return { choices, ...(usage ? { usage } : {}), systemFingerprint: body.system_fingerprint ?? null };
}

function parseChatCompletion(response: unknown, provider: string): ParsedResponse {
  const { choices, usage, systemFingerprint } = commonParts(response, provider, 'a chat completion');
  const completions = choices.map((choice): Completion => {
    if (choice.message === undefined || choice.message === null) throw malformed(provider, 'a chat completion (a choice has no message)', response);
    const content = choice.logprobs?.content;
    const tokens = content?.map((entry): TokenInfo => ({
      token: entry.token,
      logprob: entry.logprob,
      ...(entry.bytes ? { bytes: entry.bytes } : {}),
      top: (entry.top_logprobs ?? []).map((alternative) => ({ token: alternative.token, logprob: alternative.logprob })),
    }));
    return { text: choice.message.content ?? '', finishReason: finishReason(choice.finish_reason), ...(tokens ? { tokens } : {}) };
  });
  return { completions, ...(usage ? { usage } : {}), systemFingerprint };
}

function parseTextCompletion(response: unknown, provider: string): ParsedResponse {
  const { choices, usage, systemFingerprint } = commonParts(response, provider, 'a text completion');
  const completions = choices.map((choice): Completion => {
    if (typeof choice.text !== 'string') throw malformed(provider, 'a text completion (a choice has no text)', response);
    const logprobs = choice.logprobs;
    const tokens = logprobs?.tokens?.map((token, index): TokenInfo => {
      const top = logprobs.top_logprobs?.[index];
      return {
        token,
        logprob: logprobs.token_logprobs?.[index] ?? null,
        top: top ? Object.entries(top).sort((a, b) => b[1] - a[1]).map(([text, logprob]) => ({ token: text, logprob })) : [],
      };
    });
    return { text: choice.text, finishReason: finishReason(choice.finish_reason), ...(tokens ? { tokens } : {}) };
  });
  return { completions, ...(usage ? { usage } : {}), systemFingerprint };
}
