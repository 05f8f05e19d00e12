import { createHash } from 'node:crypto';
import type { ExperimentSpec } from './experimentSpec.js';
import { jobKey, type Job, type JobIdentity } from './job.js';

/**
 * Every job of an experiment, in the order prompts → targets → points → samples (the
 * last varying fastest), `n` samples per cell (or the prompt's own `n`); `ordinal` numbers
 * them from 0. Sample `i` of a cell is sent
 * seed `seed + i` when the spec fixes a seed (or `seed` itself with `sameSeed`), so
 * the samples differ yet the run can be repeated.
 *
 * @example
 * expandJobs(parseExperimentSpec({ prompts: ['Hi'], providers: ['local'], grid: 'temperature=0,1', n: 3 })).length; // 6
 */
export function expandJobs(spec: ExperimentSpec): Job[] {
  const jobs: Job[] = [];
  for (const prompt of spec.prompts) {
    for (const target of spec.targets) {
      for (const point of spec.points) {
        for (let index = 0; index < (prompt.n ?? spec.n); index++) {
          const seed = spec.seed === undefined ? undefined : spec.sameSeed ? spec.seed : spec.seed + index;
          const identity: JobIdentity = {
            promptId: prompt.id,
            prompt: prompt.prompt,
            ...(prompt.system === undefined ? {} : { system: prompt.system }),
            target: { provider: target.provider, model: target.model, label: target.label ?? `${target.provider}/${target.model}`, ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }), ...(target.server === undefined ? {} : { server: target.server }), ...(target.apiKeyEnv === undefined ? {} : { apiKeyEnv: target.apiKeyEnv }) },
            point,
            index,
            ...(spec.maxTokens === undefined ? {} : { maxTokens: spec.maxTokens }),
            ...(seed === undefined ? {} : { seed }),
            ...(spec.logprobs === undefined ? {} : { logprobs: spec.logprobs }),
            ...(spec.topLogprobs === undefined ? {} : { topLogprobs: spec.topLogprobs }),
          };
          jobs.push({ ...identity, key: jobKey(identity), ordinal: jobs.length });
        }
      }
    }
  }
  return jobs;
}

/**
 * A fingerprint of a list of jobs: the first 20 hex digits of the SHA-256 of their keys,
 * sorted. Two runs with the same jobs have the same fingerprint whatever their order, so a
 * results file can tell whether `--resume` is continuing the same experiment.
 *
 * @example
 * jobsHash(expandJobs(spec)) === jobsHash(expandJobs(spec).reverse()); // true
 */
export function jobsHash(jobs: readonly Pick<Job, 'key'>[]): string {
  const keys = jobs.map((job) => job.key).sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 20);
}
