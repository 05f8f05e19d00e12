import { createHash } from 'node:crypto';
import type { ChainSpec } from '../samplers/spec.js';
import type { KnobSettings } from '../providers/types.js';
import { canonicalJson } from './canonicalJson.js';

/** Where a job is sent: a provider (as `createProvider` names it), a model and its connection options. */
export interface ProviderTarget {
  /** `openai`, `anthropic`, `openai-compatible` or `local`. */
  readonly provider: string;
  readonly model: string;
  /** Server address for `openai-compatible` (and the SDK providers pointed at `knobs serve`). */
  readonly baseUrl?: string;
  /** Kind of OpenAI-compatible server (`knobs`, `vllm`, `llama.cpp`, ...): which extra knobs it takes. */
  readonly server?: string;
  /** The environment variable holding the key (never the key itself). */
  readonly apiKeyEnv?: string;
  /** A name for tables and charts (default `provider/model`). */
  readonly label?: string;
}

/** One point of the settings space of an experiment: request fields, a chain, or both. */
export interface SettingPoint {
  readonly settings: KnobSettings;
  readonly chain?: ChainSpec | string;
}

/**
 * One request of an experiment, asking for one completion. Everything that decides what is
 * asked is part of its identity (`jobKey`); `index` tells repeated samples apart.
 */
export interface Job {
  readonly key: string;
  /** Position in the expanded run, for ordering the results file and tables. */
  readonly ordinal: number;
  readonly promptId: string;
  readonly prompt: string;
  readonly system?: string;
  readonly target: ProviderTarget;
  readonly point: SettingPoint;
  /** Sample number within its prompt × target × point cell, 0-based. */
  readonly index: number;
  readonly maxTokens?: number;
  /** Seed sent to the provider, when the experiment fixes seeds. */
  readonly seed?: number;
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
}

/** The fields of a job that make its identity. */
export type JobIdentity = Omit<Job, 'key' | 'ordinal'>;

/**
 * The deterministic key of a job: the first 20 hex digits (80 bits) of the SHA-256 of the
 * canonical JSON of everything that decides the request — prompt, system prompt, provider,
 * model, server address and kind, settings, chain, sample index, token limit, seed and
 * log-probability options. The display label and the key variable are not part of it.
 * The same job gets the same key in every run, so a resumed run knows which ones are done.
 *
 * @example
 * jobKey({ promptId: 'p0', prompt: 'Hi', target: { provider: 'local', model: 'embedded' }, point: { settings: { temperature: 1 } }, index: 0 });
 * // a 20-character hex string, the same on every machine
 */
export function jobKey(job: JobIdentity): string {
  const identity = {
    prompt: job.prompt,
    system: job.system,
    provider: job.target.provider,
    model: job.target.model,
    baseUrl: job.target.baseUrl,
    server: job.target.server,
    settings: job.point.settings,
    chain: job.point.chain,
    index: job.index,
    maxTokens: job.maxTokens,
    seed: job.seed,
    logprobs: job.logprobs,
    topLogprobs: job.topLogprobs,
  };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 20);
}

/**
 * The key of a job's cell: the same as `jobKey` without the sample index, so that all
 * samples of one prompt × target × setting share it (grouping for metrics).
 *
 * @example
 * cellKey(job) === cellKey({ ...job, index: 1 }); // true
 */
export function cellKey(job: JobIdentity): string {
  return canonicalJson({ promptId: job.promptId, provider: job.target.provider, model: job.target.model, baseUrl: job.target.baseUrl, server: job.target.server, settings: job.point.settings, chain: job.point.chain });
}
