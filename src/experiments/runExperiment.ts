import { KnobsError, formatValue } from '../core/errors.js';
import type { ChatMessage, CompletionRequest, CompletionResult, Provider } from '../providers/types.js';
import type { ExperimentSpec } from './experimentSpec.js';
import { expandJobs, jobsHash } from './expandJobs.js';
import type { Job, ProviderTarget } from './job.js';
import type { ResultRow, RunHeader } from './resultRow.js';
import { ResultsAppender, readResultsFile } from './resultsFile.js';
import { lockResults } from './resultsLock.js';
import type { RetryPolicy } from './retryPolicy.js';
import { schedule } from './scheduler.js';

/** Makes the provider of a target (the CLI passes `createProvider` with the target's options). */
export type ProviderFactory = (target: ProviderTarget) => Provider;

/** Progress of a run, reported after every completion. */
export interface RunProgress {
  /** Jobs with a row (including those found on resume). */
  readonly done: number;
  readonly total: number;
  /** Rows that were already in the file when the run started. */
  readonly resumed: number;
  readonly failed: number;
  readonly elapsedMs: number;
  /** Estimated time left from this session's pace; undefined before the first completion. */
  readonly etaMs?: number;
}

/** A job that failed after its retries (no row is written: `--resume` tries it again). */
export interface JobFailure {
  readonly job: Job;
  readonly error: unknown;
  readonly attempts: number;
}

/** Options of `runExperiment`. */
export interface RunExperimentOptions {
  readonly providerFor: ProviderFactory;
  /** Results file (JSONL). Without it, rows are only kept in memory. */
  readonly out?: string;
  /** Continue the run in `out`: skip jobs that have a row, run the rest. */
  readonly resume?: boolean;
  /** Start `out` again from empty. */
  readonly overwrite?: boolean;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly onRow?: (row: ResultRow) => void;
  readonly onRetry?: (job: Job, attempt: number, delayMs: number, error: unknown) => void;
  readonly onFailure?: (failure: JobFailure) => void;
}

/** What `runExperiment` did. */
export interface RunResult {
  /** Every row of the run (found on resume and new), in job order. */
  readonly rows: ResultRow[];
  readonly total: number;
  readonly resumed: number;
  readonly written: number;
  readonly failures: JobFailure[];
  /** Whether a torn last line (a crash mid-write) was found and cut off. */
  readonly tornLineDropped: boolean;
  /** Whether the run stopped early because `signal` aborted. */
  readonly aborted: boolean;
  readonly elapsedMs: number;
}

/** A results file that cannot be used for this run (exists without --resume, belongs to another spec). */
export class ResultsFileError extends KnobsError {
  override name = 'ResultsFileError';
}

/**
 * Runs an experiment: every job of `expandJobs(spec)` is sent to its provider (one
 * completion per request), under each target's concurrency and rate limit, retried as
 * `retry` says (log-probabilities, when the spec asks for them, only from providers that
 * have them); each completion becomes a `ResultRow`, appended to `out` and synced to
 * disk as it arrives. With `resume`, the rows already in `out` are kept, a torn last line
 * is cut off, and only the jobs without a row run, so a run killed at any moment ends, once
 * resumed, with exactly one row per job; `<out>.lock` keeps two runs from writing one file
 * at once (a lock left by a killed run is taken over). A request the provider refuses (a setting out of
 * range) is a row with `status: "rejected"`; one that fails (network, server) after its
 * retries gets no row and is reported in `failures`, for a later `--resume`.
 *
 * @example
 * const result = await runExperiment(spec, { providerFor: (target) => createProvider(target.provider), out: 'runs/sweep.jsonl', resume: true });
 */
export async function runExperiment(spec: ExperimentSpec, options: RunExperimentOptions): Promise<RunResult> {
  const started = performance.now();
  const jobs = expandJobs(spec);
  const hash = jobsHash(jobs);
  const byKey = new Map(jobs.map((job) => [job.key, job]));
  const lock = options.out === undefined ? undefined : lockResults(options.out);
  let opened: OpenedResults = { existing: [], torn: false };
  try {
    if (options.out !== undefined) opened = openResults(options.out, spec, jobs, hash, byKey, options);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const { existing, torn, appender } = opened;
  const done = new Set(existing.map((row) => row.key));
  const pending = jobs.filter((job) => !done.has(job.key));
  const rows = [...existing];
  const failures: JobFailure[] = [];
  const providers = new Map<string, Provider>();
  const providerOf = (target: ProviderTarget): Provider => {
    const name = target.label ?? `${target.provider}/${target.model}`;
    let provider = providers.get(name);
    if (!provider) {
      provider = options.providerFor(target);
      providers.set(name, provider);
    }
    return provider;
  };
  // Log-probabilities are asked for "where available": not from providers that have none.
  const logprobsOk = new Map<string, boolean>();
  const wantsLogprobs = (job: Job): boolean => {
    const name = job.target.label ?? `${job.target.provider}/${job.target.model}`;
    let ok = logprobsOk.get(name);
    if (ok === undefined) {
      const capabilities = providerOf(job.target).capabilities(job.target.model);
      ok = capabilities.logprobs.supported && capabilities.refused.logprobs === undefined;
      logprobsOk.set(name, ok);
    }
    return ok;
  };
  const limits = new Map(spec.targets.map((target) => [target.label ?? `${target.provider}/${target.model}`, target]));
  const sessionStart = performance.now();
  let newRows = 0;
  const report = (): void => {
    const elapsedMs = performance.now() - sessionStart;
    const remaining = jobs.length - rows.length - failures.length;
    options.onProgress?.({
      done: rows.length,
      total: jobs.length,
      resumed: existing.length,
      failed: failures.length,
      elapsedMs,
      ...(newRows > 0 ? { etaMs: (elapsedMs / newRows) * Math.max(0, remaining) } : {}),
    });
  };
  report();
  try {
    // Create providers up front, so that a missing key fails before any request is sent.
    for (const job of pending) providerOf(job.target);
    await schedule<Job, { result: CompletionResult; startedAt: string }>(
      pending,
      async (job) => {
        const startedAt = new Date().toISOString();
        const result = await providerOf(job.target).complete(requestOf(job, options.signal, wantsLogprobs(job)));
        if (result.status === 'ok' && result.completions.length === 0) throw new KnobsError(`${result.provider} answered job ${job.key} with no completion`);
        return { result, startedAt };
      },
      {
        lane: (job) => job.target.label ?? `${job.target.provider}/${job.target.model}`,
        limits: (lane) => limits.get(lane) ?? { concurrency: 1 },
        ...(options.retry ? { retry: options.retry } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
        onOutcome: (outcome) => {
          if (!outcome.ok) {
            const failure = { job: outcome.task, error: outcome.error, attempts: outcome.attempts };
            failures.push(failure);
            options.onFailure?.(failure);
          } else {
            const row = rowOf(spec.name, outcome.task, outcome.value.result, outcome.value.startedAt, outcome.attempts);
            appender?.append(row);
            rows.push(row);
            newRows++;
            options.onRow?.(row);
          }
          report();
        },
      },
    );
  } finally {
    appender?.close();
    lock?.release();
  }
  rows.sort((a, b) => a.ordinal - b.ordinal);
  return {
    rows,
    total: jobs.length,
    resumed: existing.length,
    written: newRows,
    failures,
    tornLineDropped: torn,
    aborted: options.signal?.aborted === true,
    elapsedMs: performance.now() - started,
  };
}

/** A results file ready for a run: the rows it already has and where to append. */
interface OpenedResults {
  readonly existing: ResultRow[];
  readonly torn: boolean;
  readonly appender?: ResultsAppender;
}

/**
 * Opens `out` for a run: refuses a file with rows unless resuming or overwriting, checks
 * on resume that the file belongs to these jobs, cuts a torn last line, writes the header
 * to a new (or overwritten) file.
 */
function openResults(out: string, spec: ExperimentSpec, jobs: readonly Job[], hash: string, byKey: ReadonlyMap<string, Job>, options: RunExperimentOptions): OpenedResults {
  const file = readResultsFile(out);
  const hasContent = file.header !== undefined || file.rows.length > 0 || file.torn;
  if (hasContent && !options.resume && !options.overwrite) {
    throw new ResultsFileError(`${out} already holds ${file.rows.length} result rows: pass --resume to continue that run, or --overwrite to start it again`);
  }
  const resume = options.resume === true && options.overwrite !== true;
  if (resume) {
    if (file.header !== undefined && file.header.jobs_hash !== hash) {
      throw new ResultsFileError(
        `${out} belongs to another experiment (${formatValue(file.header.experiment)}, ${file.header.jobs} jobs, jobs hash ${file.header.jobs_hash}); this spec has ${jobs.length} jobs, hash ${hash}: use another --out, or --overwrite`,
      );
    }
    const stranger = file.rows.find((row) => !byKey.has(row.key));
    if (stranger !== undefined) throw new ResultsFileError(`${out} holds a row (key ${stranger.key}) that is not a job of this spec: use another --out, or --overwrite`);
  }
  const appender = ResultsAppender.open(out, resume ? file.validBytes : 0);
  if (!(resume && file.header !== undefined)) {
    const header: RunHeader = { type: 'run', format: 1, experiment: spec.name, jobs_hash: hash, jobs: jobs.length, created_at: new Date().toISOString(), spec: describeSpec(spec) };
    appender.append(header);
  }
  return { existing: resume ? file.rows : [], torn: resume && file.torn, appender };
}

/** The request of one job: one completion; log-probabilities only when `logprobs` allows them. */
export function requestOf(job: Job, signal?: AbortSignal, logprobs = true): CompletionRequest {
  const messages: ChatMessage[] | undefined = job.system === undefined ? undefined : [{ role: 'system', content: job.system }, { role: 'user', content: job.prompt }];
  return {
    model: job.target.model,
    ...(messages ? { messages } : { prompt: job.prompt }),
    settings: job.point.settings,
    ...(job.point.chain === undefined ? {} : { chain: job.point.chain }),
    n: 1,
    ...(job.maxTokens === undefined ? {} : { maxTokens: job.maxTokens }),
    ...(job.seed === undefined ? {} : { seed: job.seed }),
    ...(job.logprobs === undefined || !logprobs ? {} : { logprobs: job.logprobs }),
    ...(job.topLogprobs === undefined || !logprobs ? {} : { topLogprobs: job.topLogprobs }),
    ...(signal ? { signal } : {}),
  };
}

/** The results row of a job from the provider's answer. */
export function rowOf(experiment: string, job: Job, result: CompletionResult, startedAt: string, attempts: number): ResultRow {
  const completion = result.completions[0];
  const ok = result.status === 'ok' && completion !== undefined;
  return {
    type: 'completion',
    key: job.key,
    ordinal: job.ordinal,
    experiment,
    prompt_id: job.promptId,
    prompt: job.prompt,
    ...(job.system === undefined ? {} : { system: job.system }),
    provider: job.target.provider,
    model: job.target.model,
    ...(job.target.baseUrl === undefined ? {} : { base_url: job.target.baseUrl }),
    label: job.target.label ?? `${job.target.provider}/${job.target.model}`,
    settings: job.point.settings,
    ...(job.point.chain === undefined ? {} : { chain: job.point.chain }),
    index: job.index,
    ...(job.seed === undefined ? {} : { seed: job.seed }),
    ...(job.maxTokens === undefined ? {} : { max_tokens: job.maxTokens }),
    status: ok ? 'ok' : 'rejected',
    text: ok ? completion.text : null,
    ...(ok ? { finish_reason: completion.finishReason } : {}),
    ...(ok && completion.tokens !== undefined ? { tokens: completion.tokens } : {}),
    ...(result.rejected === undefined ? {} : { rejected: result.rejected }),
    notes: result.notes,
    ...(result.usage === undefined ? {} : { usage: { prompt_tokens: result.usage.promptTokens, completion_tokens: result.usage.completionTokens } }),
    latency_ms: Math.round(result.latencyMs * 1000) / 1000,
    ...(result.systemFingerprint === undefined ? {} : { system_fingerprint: result.systemFingerprint }),
    ...(result.seed === undefined ? {} : { provider_seed: result.seed }),
    sent: result.sent,
    attempts,
    started_at: startedAt,
    finished_at: new Date().toISOString(),
  };
}

function describeSpec(spec: ExperimentSpec): unknown {
  return {
    name: spec.name,
    prompts: spec.prompts,
    targets: spec.targets,
    points: spec.points,
    n: spec.n,
    max_tokens: spec.maxTokens,
    seed: spec.seed,
    same_seed: spec.sameSeed,
    logprobs: spec.logprobs,
    top_logprobs: spec.topLogprobs,
  };
}
