import { isPaidTarget, type ExperimentSpec } from './experimentSpec.js';
import { expandJobs } from './expandJobs.js';

/** Requests of a run, before it starts. */
export interface RunPreview {
  readonly total: number;
  /** Jobs without a row yet (all of them unless resuming). */
  readonly pending: number;
  /** Pending requests to targets that may cost money (`isPaidTarget`). */
  readonly paid: number;
  readonly byTarget: readonly { readonly label: string; readonly pending: number; readonly paid: boolean }[];
}

export { CONFIRM_ABOVE } from './confirmAbove.js';

/**
 * Counts the requests a run will send: all jobs minus those already done, per target,
 * and how many go to paid APIs.
 *
 * @example
 * previewRun(spec).paid; // 0 for a spec that only uses the local provider
 */
export function previewRun(spec: ExperimentSpec, done: ReadonlySet<string> = new Set()): RunPreview {
  const jobs = expandJobs(spec);
  const byTarget = spec.targets.map((target) => {
    const label = target.label ?? `${target.provider}/${target.model}`;
    const pending = jobs.filter((job) => job.target.label === label && !done.has(job.key)).length;
    return { label, pending, paid: isPaidTarget(target) };
  });
  const pending = byTarget.reduce((sum, entry) => sum + entry.pending, 0);
  return { total: jobs.length, pending, paid: byTarget.reduce((sum, entry) => sum + (entry.paid ? entry.pending : 0), 0), byTarget };
}

/**
 * The preview as one line: `240 requests (240 paid): openai/gpt-4o-mini 240 (paid)`.
 *
 * @example
 * describePreview(previewRun(spec)); // '12 requests: local/embedded 12'
 */
export function describePreview(preview: RunPreview): string {
  const parts = preview.byTarget.map((entry) => `${entry.label} ${entry.pending}${entry.paid ? ' (paid)' : ''}`);
  const resumed = preview.total - preview.pending;
  return `${preview.pending} requests${preview.paid > 0 ? ` (${preview.paid} paid)` : ''}${resumed > 0 ? `, ${resumed} already done` : ''}: ${parts.join(', ')}`;
}
