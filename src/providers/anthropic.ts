import Anthropic from '@anthropic-ai/sdk';
import { anthropicCapabilities } from './anthropicCapabilities.js';
import { readApiKey } from './apiKey.js';
import { checkSettings } from './checkSettings.js';
import { ProviderError } from './errors.js';
import { remoteSettings } from './remoteSettings.js';
import { classifySdkError, type FailureContext } from './sdkErrors.js';
import type { Completion, CompletionRequest, CompletionResult, FinishReason, Provider } from './types.js';

/** Options of `createAnthropicProvider`. */
export interface AnthropicProviderOptions {
  /** Environment variable holding the key (default `ANTHROPIC_API_KEY`). */
  readonly apiKeyEnv?: string;
  /** Another base URL for the same API (a proxy, or a test server). */
  readonly baseURL?: string;
  /** Retries of the SDK on 408/409/429/5xx/529 and connection errors (default 2), honouring Retry-After. */
  readonly maxRetries?: number;
  /** Timeout of each attempt in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** `max_tokens` is required by the Messages API; this is used when a request gives none. */
const DEFAULT_MAX_TOKENS = 256;

/**
 * The Anthropic provider, through the official `@anthropic-ai/sdk`: temperature in [0, 1],
 * top_p and top_k, checked against the per-model table of `anthropicCapabilities` before
 * sending (Claude 4.1–4.6 refuse temperature with top_p; Opus 4.7 and later accept only
 * default values). A refused setting gives `status: 'rejected'` with the reason, whether
 * the table or the API refused it. The Messages API has no `n`: the provider sends one
 * request per completion. It has no seed and no log-probabilities (notes say so). System
 * messages become the `system` field. The key is read from `ANTHROPIC_API_KEY` (or
 * `apiKeyEnv`) when the provider is created.
 *
 * @example
 * const claude = createAnthropicProvider();
 * await claude.complete({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Complete: The robot felt' }], settings: { temperature: 0.7 }, maxTokens: 50 });
 */
export function createAnthropicProvider(options: AnthropicProviderOptions = {}): Provider {
  const keyVariable = options.apiKeyEnv ?? 'ANTHROPIC_API_KEY';
  const apiKey = readApiKey('anthropic', keyVariable, options.env);
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const client = new Anthropic({ apiKey, maxRetries, timeout: timeoutMs, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
  const failure: FailureContext = { provider: 'anthropic', keyVariable, maxRetries, timeoutMs };
  return {
    name: 'anthropic',
    capabilities: (model, settings) => anthropicCapabilities(model, settings),
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      const started = performance.now();
      const { settings, rejected } = remoteSettings(request, 'anthropic', false);
      const capabilities = anthropicCapabilities(request.model, settings);
      const check = checkSettings(capabilities, { settings, n: request.n, seed: request.seed, logprobs: request.logprobs, topLogprobs: request.topLogprobs });
      const notes = [...check.notes, ...check.omitted.map((field) => `${field} = ${JSON.stringify(settings[field])} is ${request.model}'s only value: not sent`)];
      const messages = request.messages ?? [{ role: 'user' as const, content: request.prompt ?? '' }];
      const system = messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n\n');
      const body: Record<string, unknown> = {
        model: request.model,
        max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        messages: messages.filter((message) => message.role !== 'system').map((message) => ({ role: message.role, content: message.content })),
      };
      if (system !== '') body.system = system;
      if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = [...request.stop];
      for (const [field, value] of Object.entries(settings)) if (value !== undefined && !check.omitted.includes(field)) body[field] = value;
      const { messages: _messages, system: _system, ...sent } = body;
      const n = request.n ?? 1;
      const base = { provider: 'anthropic', model: request.model, notes, sent: { ...sent, ...(n > 1 ? { n } : {}) } };
      const allRejected = [...rejected, ...check.rejected];
      if (request.promptTokens !== undefined) allRejected.push({ parameter: 'prompt', value: request.promptTokens, reason: 'rejected by provider: the Messages API takes text, not token ids' });
      if (allRejected.length > 0) return { ...base, status: 'rejected', completions: [], rejected: allRejected, latencyMs: performance.now() - started };
      const completions: Completion[] = [];
      let promptTokens = 0;
      let completionTokens = 0;
      for (let index = 0; index < n; index++) {
        let message: unknown;
        try {
          message = await client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, request.signal ? { signal: request.signal } : {});
        } catch (error) {
          const outcome = classifySdkError(error, failure);
          if (outcome instanceof ProviderError) throw outcome;
          return { ...base, status: 'rejected', completions: [], rejected: [outcome], latencyMs: performance.now() - started };
        }
        const parsed = parseMessage(message);
        completions.push(parsed.completion);
        promptTokens += parsed.inputTokens;
        completionTokens += parsed.outputTokens;
      }
      return { ...base, status: 'ok', completions, usage: { promptTokens, completionTokens }, latencyMs: performance.now() - started };
    },
  };
}

function parseMessage(message: unknown): { completion: Completion; inputTokens: number; outputTokens: number } {
  const body = message as { content?: unknown; stop_reason?: unknown; stop_sequence?: string | null; usage?: { input_tokens?: number; output_tokens?: number } } | null;
  if (body === null || typeof body !== 'object' || !Array.isArray(body.content)) {
    const text = typeof message === 'string' ? message : (JSON.stringify(message) ?? String(message));
    throw new ProviderError(`anthropic: the answer is not a message: ${text.slice(0, 120)}`, 'anthropic', 'malformed');
  }
  const text = (body.content as { type?: string; text?: string }[])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('');
  const reasons: Record<string, FinishReason> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', refusal: 'content_filter' };
  const finishReason = reasons[String(body.stop_reason)] ?? 'other';
  return {
    completion: { text, finishReason, stopSequence: body.stop_sequence ?? null },
    inputTokens: body.usage?.input_tokens ?? 0,
    outputTokens: body.usage?.output_tokens ?? 0,
  };
}
