import type { FinishReason, Rejection, TokenInfo } from '../providers/types.js';
import type { ChainSpec } from '../samplers/spec.js';

/**
 * One line of a results file: one completion (or one refused request) with everything
 * needed to analyse it without the spec — the prompt, where it was sent, the settings,
 * the text, tokens and log-probabilities when asked for, timing, usage and what the
 * provider said about itself. Field names are snake_case, as in the CLI's JSON. Keys are
 * never part of a row.
 */
export interface ResultRow {
  readonly type: 'completion';
  /** The job's deterministic key (`jobKey`): one row per key. */
  readonly key: string;
  /** The job's position in the expanded run (rows arrive out of order under concurrency). */
  readonly ordinal: number;
  readonly experiment: string;
  readonly prompt_id: string;
  readonly prompt: string;
  readonly system?: string;
  readonly provider: string;
  readonly model: string;
  readonly base_url?: string;
  /** Display name of the target (`local/embedded`). */
  readonly label: string;
  /** Request knob fields of this point (`{ temperature: 0.5 }`). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly chain?: ChainSpec | string;
  /** Sample number within its cell. */
  readonly index: number;
  readonly seed?: number;
  readonly max_tokens?: number;
  /** `ok`, or `rejected` when the provider refused a setting (then `text` is null). */
  readonly status: 'ok' | 'rejected';
  readonly text: string | null;
  readonly finish_reason?: FinishReason;
  readonly tokens?: readonly TokenInfo[];
  readonly rejected?: readonly Rejection[];
  readonly notes: readonly string[];
  readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number };
  readonly latency_ms: number;
  readonly system_fingerprint?: string | null;
  /** The seed the provider reports it used. */
  readonly provider_seed?: number;
  /** The request fields actually sent. */
  readonly sent: Readonly<Record<string, unknown>>;
  /** How many attempts the request took (1 = no retry). */
  readonly attempts: number;
  readonly started_at: string;
  readonly finished_at: string;
}

/** The first line of a results file: what run the rows belong to. */
export interface RunHeader {
  readonly type: 'run';
  readonly format: 1;
  readonly experiment: string;
  /** SHA-256 (20 hex) of the sorted job keys: a resumed run must have the same. */
  readonly jobs_hash: string;
  readonly jobs: number;
  readonly created_at: string;
  /** The spec as read (prompts, providers without keys, points, n, ...). */
  readonly spec?: unknown;
}

/** Any line of a results file. */
export type ResultLine = ResultRow | RunHeader;
