/**
 * `creativity-knobs/experiments` (Node): grids of settings across providers, crash-safe JSONL
 * results with resume, determinism tests, diversity metrics and the seed's presets.
 *
 * @example
 * import { providerFactory, readExperimentSpec, runExperiment } from 'creativity-knobs/experiments';
 * const spec = await readExperimentSpec('sweep.yaml');
 * await runExperiment(spec, { providerFor: providerFactory(), out: 'results.jsonl' });
 *
 * @module creativity-knobs/experiments
 */
export { parseGrid, gridPoints, settingsLabel, type GridAxis, type GridInput } from './grid.js';
export { canonicalJson } from './canonicalJson.js';
export { jobKey, cellKey, type Job, type JobIdentity, type ProviderTarget, type SettingPoint } from './job.js';
export { expandJobs, jobsHash } from './expandJobs.js';
export { EXPERIMENT_KEYS, ExperimentSpecError, isPaidTarget, parseExperimentSpec, POINT_KEYS, PROMPT_KEYS, PROVIDER_KEYS, readExperimentSpec, type ExperimentSpec, type PromptEntry, type TargetEntry } from './experimentSpec.js';
export type { ResultLine, ResultRow, RunHeader } from './resultRow.js';
export { ResultsAppender, readResultsFile, type ResultsFileContents } from './resultsFile.js';
export { lockResults, ResultsLockedError, type ResultsLock } from './resultsLock.js';
export { defaultRetryPolicy, retryAfterMs, type RetryDecision, type RetryOptions, type RetryPolicy } from './retryPolicy.js';
export { schedule, type LaneLimits, type ScheduleOptions, type TaskOutcome } from './scheduler.js';
export { ResultsFileError, runExperiment, type JobFailure, type ProviderFactory, type RunExperimentOptions, type RunProgress, type RunResult } from './runExperiment.js';
export { providerFactory, type ProviderFactoryOptions } from './providerFor.js';
export { analyzeDeterminism, distinctOutputs, type DeterminismAnalysis, type DeterminismTrial, type Divergence, type DivergenceCandidate, type DistinctOutput } from './determinism.js';
export { diversityMetrics, type DiversityMetrics, type MetricInput } from './diversityMetrics.js';
export { metricsBySetting, type SettingMetrics } from './metricsBySetting.js';
export { metricsTable, type TextTable } from './metricsTable.js';
export { clampAnthropicTemperature, SEED_DETERMINISM_TESTS, seedAnthropicPreset, seedOpenAIPreset, type DeterminismTest, type PresetOverrides, type TemperaturePreset } from './presets.js';
export { gridSpec, runGrid, type GridRequest, type GridRun } from './runGrid.js';
export { determinismSpec, runDeterminism, type DeterminismPrompt, type DeterminismOptions, type DeterminismRequest, type DeterminismResult, type DeterminismRun } from './runDeterminism.js';
export { CONFIRM_ABOVE, describePreview, previewRun, type RunPreview } from './preview.js';
export { formatProgress } from './progress.js';
export { formatSeedLayout, type SeedLayoutOptions } from './seedLayout.js';
export { formatDeterminism, type DeterminismLayoutOptions } from './determinismLayout.js';
export { determinismCells, type DeterminismResultRow } from './determinismCells.js';
