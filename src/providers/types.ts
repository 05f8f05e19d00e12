import type { ChainSpec } from '../samplers/spec.js';

/** One message of a conversation, in the role vocabulary every provider shares. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/**
 * Sampling settings as request fields, in the vocabulary of the OpenAI API and the
 * OpenAI-compatible engines: `temperature`, `top_p`, `top_k`, `min_p`, `typical_p`,
 * `frequency_penalty`, `presence_penalty`, `repetition_penalty`, `logit_bias`, ... and
 * provider-specific ones such as `reasoning_effort` or `thinking`. Every field is optional;
 * an absent field is the provider's default. See `knobFields.ts` for the full list and how
 * each field maps onto a stage of a chain.
 */
export type KnobSettings = Readonly<Record<string, unknown>>;

/** What `Provider.complete` is asked for. Give `prompt` or `messages`, not both. */
export interface CompletionRequest {
  /** The model name as the provider knows it (`gpt-4o-mini`, `claude-haiku-4-5`, `embedded`). */
  readonly model: string;
  /** A plain-text prompt. Chat providers send it as one user message. */
  readonly prompt?: string;
  /**
   * A prompt of token ids, instead of `prompt`: sent as is to an OpenAI-compatible server's
   * `/v1/completions` (vLLM, llama.cpp server, SGLang and `knobs serve` take them), used as
   * is by the local provider, rejected by chat-only providers.
   */
  readonly promptTokens?: readonly number[];
  /** A conversation. */
  readonly messages?: readonly ChatMessage[];
  /** Flag-style knobs (request fields). */
  readonly settings?: KnobSettings;
  /**
   * A chain (DESIGN.md). The local provider runs it as is; remote providers translate each
   * stage into their own fields and report stages they cannot express as rejected.
   */
  readonly chain?: ChainSpec | string;
  /** Number of completions (default 1). */
  readonly n?: number;
  /** Largest number of tokens per completion. */
  readonly maxTokens?: number;
  /** Seed of the provider's sampler, where it has one. */
  readonly seed?: number;
  /** Strings that end a completion (not included in the text). */
  readonly stop?: readonly string[];
  /** Ask for the log-probability of every generated token. */
  readonly logprobs?: boolean;
  /** Number of top alternatives per token (0–20); implies `logprobs`. */
  readonly topLogprobs?: number;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/** One alternative token at a position, with its natural-log probability. */
export interface TopLogprob {
  readonly token: string;
  /** Token id, when the provider exposes ids (the local model does; remote APIs do not). */
  readonly id?: number;
  readonly logprob: number;
}

/** One generated token with, where the provider gives them, its log-probability and top alternatives. */
export interface TokenInfo {
  readonly token: string;
  readonly id?: number;
  /** Natural-log probability of this token; `null` when the provider gives none. */
  readonly logprob: number | null;
  /** UTF-8 bytes of the token, when known. */
  readonly bytes?: readonly number[];
  /** The most likely tokens at this position, most likely first. */
  readonly top?: readonly TopLogprob[];
}

/** Why a completion ended: a stop token or stop string, the token limit, or something else the provider says. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'other';

/** One completion. */
export interface Completion {
  readonly text: string;
  readonly finishReason: FinishReason;
  /** The stop string that ended it, if one did. */
  readonly stopSequence?: string | null;
  /** Generated tokens; present when log-probabilities were asked for (or the provider always gives them). */
  readonly tokens?: readonly TokenInfo[];
}

/** A setting the provider refuses for this model, reported instead of being dropped. */
export interface Rejection {
  /** The request field (`temperature`, `top_p`, `chain[2]`, ...). */
  readonly parameter: string;
  readonly value: unknown;
  /** Human-readable reason, starting with "rejected by provider: ". */
  readonly reason: string;
}

/**
 * The outcome of one `complete` call. A refused setting does not throw: it gives
 * `status: 'rejected'` with the reasons, so that a grid of experiments keeps running.
 */
export interface CompletionResult {
  readonly provider: string;
  readonly model: string;
  readonly status: 'ok' | 'rejected';
  readonly completions: readonly Completion[];
  /** Present when `status` is `'rejected'`. */
  readonly rejected?: readonly Rejection[];
  /** Things said about the request that did not stop it (a seed the provider has no use for, ...). */
  readonly notes: readonly string[];
  /** The request fields actually sent (never a key). */
  readonly sent: Readonly<Record<string, unknown>>;
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
  /** OpenAI's `system_fingerprint` (backend configuration), when given. */
  readonly systemFingerprint?: string | null;
  /** The seed used, when the provider has seeds. */
  readonly seed?: number;
  readonly latencyMs: number;
}

/** The range a knob accepts for a model. */
export interface KnobRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** The provider's value when the field is absent. */
  readonly default?: number;
  /** Short note (what the neutral value is, engine quirks). */
  readonly note?: string;
}

/** The knobs and ranges a model accepts (see `checkSettings`). */
export interface ModelCapabilities {
  readonly provider: string;
  readonly model: string;
  /** Whether the model matched an entry of the capability table (unknown models get the family default). */
  readonly known: boolean;
  /** The table row that matched, e.g. `openai-reasoning`, `claude-exclusive-temperature-top-p`. */
  readonly family: string;
  /** Knob field → accepted range. Map-valued knobs (logit_bias) give the range of each value. */
  readonly knobs: Readonly<Record<string, KnobRange>>;
  /** Knob field → why the model refuses it. */
  readonly refused: Readonly<Record<string, string>>;
  /** Groups of knobs of which at most one may be set in one request. */
  readonly exclusive: readonly (readonly string[])[];
  /** Other request fields the model accepts (`reasoning_effort`, `thinking`, ...), checked by the provider. */
  readonly options: readonly string[];
  /** Whether fields the table does not know are passed through to the server as they are. */
  readonly passThrough: boolean;
  readonly logprobs: { readonly supported: boolean; readonly maxTop: number };
  readonly maxN: number;
  readonly seed: boolean;
  /** Whether a `chain` is run as given (only the local provider and `knobs serve`). */
  readonly chain: boolean;
  readonly notes: readonly string[];
}

/**
 * A source of completions. `complete` sends one request (several completions with `n`);
 * `capabilities` says, before sending, which knobs and ranges a model accepts.
 *
 * @example
 * const provider = createProvider('local');
 * const result = await provider.complete({ model: 'embedded', prompt: 'The robot', settings: { temperature: 0.8 }, seed: 1, maxTokens: 20 });
 * result.completions[0]?.text;
 */
export interface Provider {
  /** `openai`, `anthropic`, `openai-compatible` or `local`. */
  readonly name: string;
  capabilities(model: string, settings?: KnobSettings): ModelCapabilities;
  complete(request: CompletionRequest): Promise<CompletionResult>;
}
