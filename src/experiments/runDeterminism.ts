import { analyzeDeterminism, type DeterminismAnalysis } from './determinism.js';
import { parseExperimentSpec, type ExperimentSpec } from './experimentSpec.js';
import type { ProviderTarget } from './job.js';
import { DETERMINISM_SETTINGS, providerEntry } from './presets.js';
import { runExperiment, type RunExperimentOptions, type RunResult } from './runExperiment.js';

/** One prompt of a determinism test, sent `trials` times. */
export interface DeterminismPrompt {
  readonly prompt: string;
  readonly trials: number;
  readonly system?: string;
  /** Shown above its result (`Test 1: Simple math question`). */
  readonly title?: string;
}

/** A determinism test: each prompt sent `trials` times, identically, at temperature 0. */
export interface DeterminismRequest {
  readonly prompts: readonly DeterminismPrompt[];
  readonly target: ProviderTarget;
  /** Sent with every trial (the same seed each time), where the provider has seeds. */
  readonly seed?: number;
  /** Default 50, as test_determinism.py. */
  readonly maxTokens?: number;
  /** Alternatives per token to ask for when the provider gives log-probabilities (default 5). */
  readonly topLogprobs?: number;
  /** Name of the experiment in the results file (default `determinism`). */
  readonly name?: string;
}

/** The analysis of one prompt of a determinism run. */
export interface DeterminismResult {
  readonly promptId: string;
  readonly prompt: string;
  readonly title?: string;
  readonly analysis: DeterminismAnalysis;
  /** Trials the provider refused (they have no text). */
  readonly refused: number;
}

/** What a determinism run found. */
export interface DeterminismRun extends RunResult {
  readonly spec: ExperimentSpec;
  readonly results: readonly DeterminismResult[];
  /** Whether log-probabilities were asked for (the provider has them). */
  readonly logprobs: boolean;
}

/** How the provider's capabilities shape a determinism request. */
export interface DeterminismOptions {
  /** Ask for log-probabilities. */
  readonly logprobs: boolean;
  /** Leave top_p out: the model takes temperature or top_p, not both (recent Claude models). */
  readonly exclusiveTopP: boolean;
}

/**
 * The spec of a determinism test: each prompt `trials` times at temperature 0 and top_p 1
 * (top_p left out where the model takes only one of the two), the same seed for every
 * trial, log-probabilities with `topLogprobs` alternatives when asked for.
 *
 * @example
 * determinismSpec({ prompts: [{ prompt: 'What is 2 + 2?', trials: 10 }], target: { provider: 'local', model: 'embedded' } }, { logprobs: true, exclusiveTopP: false }).prompts[0]?.n; // 10
 */
export function determinismSpec(request: DeterminismRequest, options: DeterminismOptions): ExperimentSpec {
  const settings: Record<string, number> = { ...DETERMINISM_SETTINGS };
  if (options.exclusiveTopP) delete settings.top_p;
  return parseExperimentSpec(
    {
      name: request.name ?? 'determinism',
      prompts: request.prompts.map((entry, index) => ({ id: `test-${index + 1}`, prompt: entry.prompt, n: entry.trials, ...(entry.system === undefined ? {} : { system: entry.system }) })),
      providers: [providerEntry(request.target)],
      points: [{ settings }],
      max_tokens: request.maxTokens ?? 50,
      same_seed: true,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      logprobs: options.logprobs,
      ...(options.logprobs ? { top_logprobs: request.topLogprobs ?? 5 } : {}),
    },
    'determinism',
  );
}

/**
 * Runs a temperature-0 determinism test (`knobs determinism`): each prompt `trials`
 * times, identically, then `analyzeDeterminism` on its answers — how many distinct
 * outputs, the first token where they diverge and the top-two log-probability gap there.
 * Log-probabilities are asked for only where the provider's capabilities say it has them.
 *
 * @example
 * const run = await runDeterminism({ prompts: [{ prompt: 'What is 2 + 2?', trials: 10 }], target: { provider: 'local', model: 'embedded' } }, { providerFor: providerFactory() });
 * run.results[0]?.analysis.distinct; // 1
 */
export async function runDeterminism(request: DeterminismRequest, options: RunExperimentOptions): Promise<DeterminismRun> {
  const capabilities = options.providerFor(request.target).capabilities(request.target.model);
  const logprobs = capabilities.logprobs.supported && capabilities.refused.logprobs === undefined && capabilities.logprobs.maxTop > 0;
  const exclusiveTopP = capabilities.exclusive.some((group) => group.includes('temperature') && group.includes('top_p')) || capabilities.refused.top_p !== undefined;
  const topLogprobs = Math.min(request.topLogprobs ?? 5, capabilities.logprobs.maxTop);
  const spec = determinismSpec({ ...request, topLogprobs }, { logprobs, exclusiveTopP });
  const result = await runExperiment(spec, options);
  const results = spec.prompts.map((prompt, index) => {
    const rows = result.rows.filter((row) => row.prompt_id === prompt.id);
    const answered = rows.filter((row) => row.status === 'ok' && row.text !== null);
    const title = request.prompts[index]?.title;
    return {
      promptId: prompt.id,
      prompt: prompt.prompt,
      ...(title === undefined ? {} : { title }),
      analysis: analyzeDeterminism(answered.map((row) => (row.tokens === undefined ? { text: row.text as string } : { text: row.text as string, tokens: row.tokens }))),
      refused: rows.length - answered.length,
    };
  });
  return { ...result, spec, results, logprobs };
}
