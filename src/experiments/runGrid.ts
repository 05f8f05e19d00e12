import type { KnobSettings } from '../providers/types.js';
import { parseExperimentSpec, type ExperimentSpec } from './experimentSpec.js';
import type { GridInput } from './grid.js';
import type { ProviderTarget } from './job.js';
import { metricsBySetting, type SettingMetrics } from './metricsBySetting.js';
import { providerEntry } from './presets.js';
import { runExperiment, type RunExperimentOptions, type RunResult } from './runExperiment.js';

/** What to run at every point of a grid. */
export interface GridRequest {
  readonly prompt: string;
  readonly system?: string;
  readonly target: ProviderTarget;
  /** `temperature=0,0.5,1;top_p=1,0.9` or `{ temperature: [0, 0.5, 1] }`. */
  readonly grid: GridInput;
  /** Fields sent at every point (grid values win). */
  readonly settings?: KnobSettings;
  /** Completions per point (default 1). */
  readonly n?: number;
  readonly maxTokens?: number;
  /** Completion i of a point is sent seed + i. */
  readonly seed?: number;
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
  /** Requests in flight at once (default: the provider's). */
  readonly concurrency?: number;
}

/**
 * The spec of a grid request: one prompt, one target, the grid's points, n each.
 *
 * @example
 * gridSpec({ prompt: 'The robot', target: { provider: 'local', model: 'embedded' }, grid: 'temperature=0,1', n: 2 }).points;
 * // [{ settings: { temperature: 0 } }, { settings: { temperature: 1 } }]
 */
export function gridSpec(request: GridRequest, name = 'grid'): ExperimentSpec {
  return parseExperimentSpec(
    {
      name,
      prompts: [request.system === undefined ? { id: 'prompt', prompt: request.prompt } : { id: 'prompt', prompt: request.prompt, system: request.system }],
      providers: [{ ...providerEntry(request.target), ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }) }],
      grid: request.grid,
      ...(request.settings === undefined ? {} : { settings: request.settings }),
      n: request.n ?? 1,
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.logprobs === undefined ? {} : { logprobs: request.logprobs }),
      ...(request.topLogprobs === undefined ? {} : { top_logprobs: request.topLogprobs }),
    },
    '--grid',
  );
}

/** The completions of a grid run and the metrics of each point. */
export interface GridRun extends RunResult {
  readonly spec: ExperimentSpec;
  readonly cells: SettingMetrics[];
}

/**
 * Completions of one prompt at every point of a grid of settings from one provider
 * (`knobs generate PROMPT --provider P --grid ...`): `n` per point, one request each,
 * with the provider's concurrency, retries and, with `out`, the crash-safe results file.
 * Returns the rows in grid order and the diversity metrics of each point; print them with
 * `formatSeedLayout` and `metricsTable`.
 *
 * @example
 * const run = await runGrid({ prompt: 'The robot', target: { provider: 'local', model: 'embedded' }, grid: 'temperature=0,0.5,1,1.5;top_p=1,0.9', n: 3, maxTokens: 50 }, { providerFor: providerFactory() });
 * run.cells.map((cell) => cell.metrics.distinct);
 */
export async function runGrid(request: GridRequest, options: RunExperimentOptions): Promise<GridRun> {
  const spec = gridSpec(request);
  const result = await runExperiment(spec, options);
  return { ...result, spec, cells: metricsBySetting(result.rows) };
}
