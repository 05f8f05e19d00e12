import OpenAI from 'openai';
import { KnobsError } from '../../core/errors.js';
import { isPaidTarget } from '../../experiments/experimentSpec.js';
import type { LaneLimits } from '../../experiments/scheduler.js';
import { createProvider } from '../../providers/index.js';
import { checkCompatibleServer } from '../../providers/compatibleCapabilities.js';
import type { Provider, TokenInfo, TopLogprob } from '../../providers/types.js';
import { STOP_KEY } from '../position.js';
import { targetKind, type TargetKind } from '../targetKinds.js';
import type { AnswerToken, AuditTarget, TargetAnswer, TargetRequest } from '../types.js';

/** What `providerTarget` needs: a provider, a model and the kind of target it is. */
export interface ProviderTargetOptions {
  readonly provider: Provider;
  readonly model: string;
  /** A key of `TARGET_KINDS`: `knobs`, `vllm`, `llama.cpp`, `ollama`, `sglang`, `lmstudio`, `generic`, `openai`, `anthropic`. */
  readonly kind: string;
  readonly label: string;
  readonly description: Readonly<Record<string, unknown>>;
  readonly paid: boolean;
  readonly limits?: LaneLimits;
}

const TOKEN_ID = /^token_id:(\d+)$/;

/** An answer token from a provider's token: `token_id:N` names (vLLM's, knobs serve's) become ids. */
function answerToken(token: { token: string; id?: number; logprob: number | null }, top?: readonly TopLogprob[]): AnswerToken {
  const match = TOKEN_ID.exec(token.token);
  const id = match ? Number(match[1]) : token.id;
  const text = match ? '' : token.token;
  return {
    key: id !== undefined ? `id:${id}` : text,
    text,
    ...(id !== undefined ? { id } : {}),
    ...(token.logprob !== null ? { logprob: token.logprob } : {}),
    ...(top ? { top: top.map((alternative) => answerToken(alternative)) } : {}),
  };
}

/**
 * An audit target over a provider (OpenAI-compatible server, OpenAI API, Anthropic API):
 * requests become `provider.complete` calls of one completion — a token-id prompt goes to
 * `/v1/completions` as ids, log-probabilities are asked for when the kind returns them (named
 * by id with `return_tokens_as_token_ids` when it can), and a refused setting (an HTTP 400
 * from the server, or the provider's own capability check) becomes a `refused` answer.
 *
 * @example
 * const target = providerTarget({ provider: createProvider('openai'), model: 'gpt-4o-mini', kind: 'openai', label: 'openai/gpt-4o-mini', description: { provider: 'openai', model: 'gpt-4o-mini' }, paid: true });
 */
export function providerTarget(options: ProviderTargetOptions): AuditTarget {
  const kind: TargetKind = targetKind(options.kind);
  return {
    kind: options.provider.name,
    label: options.label,
    description: options.description,
    profiles: kind.profiles,
    ...(kind.profileNote ? { profileNote: kind.profileNote } : {}),
    knobs: kind.knobs,
    knobsSource: kind.source,
    baseline: kind.baseline,
    logprobs: kind.logprobs ? 'top' : 'none',
    maxTopLogprobs: kind.logprobs ? 20 : 0,
    tokenIds: kind.tokenIds,
    rawLogits: kind.logitsAreLogprobs ? 'logprobs' : 'unknown',
    seeds: options.provider.capabilities(options.model).seed,
    paid: options.paid,
    limits: options.limits ?? { concurrency: options.paid ? 4 : 8 },
    async send(request: TargetRequest): Promise<TargetAnswer> {
      const ids = kind.tokenIds && request.tokenIds !== false;
      const tokens = request.prompt.tokens;
      const result = await options.provider.complete({
        model: options.model,
        ...(tokens !== undefined && request.prompt.text === undefined ? { promptTokens: tokens } : { prompt: request.prompt.text ?? '' }),
        settings: { ...request.fields, ...(ids ? { return_tokens_as_token_ids: true } : {}) },
        seed: request.seed,
        maxTokens: request.maxTokens,
        ...(kind.logprobs ? { logprobs: true, topLogprobs: request.topLogprobs ?? 0 } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (result.status === 'rejected') {
        const reason = (result.rejected ?? []).map((rejection) => rejection.reason.replace(/^rejected by provider: /, '')).join('; ') || 'rejected';
        return { status: 'refused', reason, byServer: /\(HTTP \d{3}\)$/.test(reason) };
      }
      const completion = result.completions[0];
      if (completion === undefined) throw new KnobsError(`${options.label} answered with no completion`);
      const answerTokens = completion.tokens?.map((token: TokenInfo) => answerToken(token, token.top));
      if (answerTokens && answerTokens.length > 0) return { status: 'ok', text: completion.text, tokens: answerTokens };
      // No token at all: the end-of-sequence token was drawn first (servers leave it out), or the API gives no tokens.
      const key = completion.text === '' && completion.finishReason === 'stop' ? STOP_KEY : completion.text;
      return { status: 'ok', text: completion.text, tokens: [{ key, text: completion.text }] };
    },
  };
}

/** Options of `openAICompatibleTarget`. */
export interface CompatibleTargetOptions {
  /** The server's OpenAI base URL, e.g. `http://127.0.0.1:8765/v1`. */
  readonly baseURL: string;
  /** Kind of server (default `generic`). */
  readonly server?: string;
  /** Model name (default: the first of the server's `/v1/models`). */
  readonly model?: string;
  /** Environment variable holding the server's key, if it needs one. */
  readonly apiKeyEnv?: string;
  readonly limits?: LaneLimits;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * An OpenAI-compatible server as an audit target (`--base-url URL --server KIND --model M`):
 * the knobs its kind accepts or is known to drop, its engine profile, neutral values sent
 * with every request. Without a model, the first of the server's `/v1/models` is used.
 *
 * @example
 * const target = await openAICompatibleTarget({ baseURL: 'http://127.0.0.1:8765/v1', server: 'knobs' });
 */
export async function openAICompatibleTarget(options: CompatibleTargetOptions): Promise<AuditTarget> {
  const server = checkCompatibleServer(options.server ?? 'generic');
  const timeoutMs = options.timeoutMs ?? 60_000;
  let model = options.model;
  if (model === undefined) {
    const key = options.apiKeyEnv !== undefined ? (options.env ?? process.env)[options.apiKeyEnv] : undefined;
    const client = new OpenAI({ baseURL: options.baseURL, apiKey: key ?? 'no-key', maxRetries: 1, timeout: timeoutMs });
    try {
      const list = await client.models.list();
      model = list.data[0]?.id;
    } catch (error) {
      throw new KnobsError(`--model not given and ${options.baseURL}/models could not be listed (${error instanceof Error ? error.message : String(error)}): give --model`);
    }
    if (model === undefined) throw new KnobsError(`--model not given and ${options.baseURL}/models lists no model: give --model`);
  }
  const provider = createProvider('openai-compatible', {
    baseURL: options.baseURL,
    server,
    timeoutMs,
    maxRetries: 0,
    ...(options.apiKeyEnv !== undefined ? { apiKeyEnv: options.apiKeyEnv } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  return providerTarget({
    provider,
    model,
    kind: server,
    label: `${server} ${model} at ${options.baseURL}`,
    description: { provider: 'openai-compatible', server, base_url: options.baseURL, model },
    paid: isPaidTarget({ provider: 'openai-compatible', model, baseUrl: options.baseURL }),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/** Options of `openAITarget` and `anthropicTarget`. */
export interface ApiTargetOptions {
  readonly model: string;
  /** Environment variable of the key (default `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`). */
  readonly apiKeyEnv?: string;
  /** Another address of the same API (a proxy, or `knobs serve` in tests). */
  readonly baseURL?: string;
  readonly limits?: LaneLimits;
  readonly env?: NodeJS.ProcessEnv;
}

function apiTarget(name: 'openai' | 'anthropic', options: ApiTargetOptions): AuditTarget {
  const provider = createProvider(name, {
    maxRetries: 0,
    ...(options.apiKeyEnv !== undefined ? { apiKeyEnv: options.apiKeyEnv } : {}),
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  return providerTarget({
    provider,
    model: options.model,
    kind: name,
    label: `${name}/${options.model}`,
    description: { provider: name, model: options.model, ...(options.baseURL !== undefined ? { base_url: options.baseURL } : {}) },
    paid: isPaidTarget({ provider: name, model: options.model, ...(options.baseURL !== undefined ? { baseUrl: options.baseURL } : {}) }),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/**
 * The OpenAI API as an audit target (key from `OPENAI_API_KEY`): temperature, top_p, the
 * penalties, logit_bias and seed, with top log-probabilities from chat completions. It has no
 * engine profile, so only knobs whose effect is the same in every engine get verdicts.
 *
 * @example
 * const target = openAITarget({ model: 'gpt-4o-mini' });
 */
export function openAITarget(options: ApiTargetOptions): AuditTarget {
  return apiTarget('openai', options);
}

/**
 * The Anthropic API as an audit target (key from `ANTHROPIC_API_KEY`). It returns no
 * log-probabilities and takes no seed, so its knobs are untestable by distribution; the
 * audit still checks that temperature is accepted or refused and how.
 *
 * @example
 * const target = anthropicTarget({ model: 'claude-haiku-4-5' });
 */
export function anthropicTarget(options: ApiTargetOptions): AuditTarget {
  return apiTarget('anthropic', options);
}
