import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/experiments/canonicalJson.js';
import { expandJobs, jobsHash } from '../../src/experiments/expandJobs.js';
import { parseExperimentSpec } from '../../src/experiments/experimentSpec.js';
import { cellKey, jobKey, type JobIdentity } from '../../src/experiments/job.js';

const base: JobIdentity = {
  promptId: 'p1',
  prompt: 'The robot looked at the sunset and felt',
  target: { provider: 'local', model: 'embedded' },
  point: { settings: { temperature: 1 } },
  index: 0,
  maxTokens: 50,
};

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], e: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });
});

describe('jobKey', () => {
  it('is 20 hex digits and stable across versions (resume depends on it)', () => {
    expect(jobKey(base)).toMatch(/^[0-9a-f]{20}$/);
    // Pinned: changing the identity rule would orphan every results file written before.
    expect(jobKey(base)).toBe(PINNED);
  });

  it('does not depend on key order in settings, the display label or the key variable', () => {
    const a = jobKey({ ...base, point: { settings: { temperature: 1, top_p: 0.9 } } });
    const b = jobKey({ ...base, point: { settings: { top_p: 0.9, temperature: 1 } }, target: { provider: 'local', model: 'embedded', label: 'mine', apiKeyEnv: 'X' } });
    expect(a).toBe(b);
  });

  it('changes with the sample index, the seed, the settings, the prompt and the server', () => {
    const keys = [
      jobKey(base),
      jobKey({ ...base, index: 1 }),
      jobKey({ ...base, seed: 1 }),
      jobKey({ ...base, point: { settings: { temperature: 0.5 } } }),
      jobKey({ ...base, prompt: 'Hi' }),
      jobKey({ ...base, target: { provider: 'local', model: 'embedded', baseUrl: 'http://127.0.0.1:1/v1' } }),
      jobKey({ ...base, system: 'Be brief.' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('cellKey is shared by the samples of a cell', () => {
    expect(cellKey(base)).toBe(cellKey({ ...base, index: 2 }));
  });
});

describe('expandJobs', () => {
  const spec = parseExperimentSpec({
    prompts: ['A', 'B'],
    providers: ['local', { provider: 'openai-compatible', model: 'embedded', base_url: 'http://127.0.0.1:9/v1' }],
    grid: 'temperature=0,1',
    n: 3,
    seed: 10,
  });
  const jobs = expandJobs(spec);

  it('has prompts x providers x points x n jobs, numbered in order', () => {
    expect(jobs).toHaveLength(2 * 2 * 2 * 3);
    expect(jobs.map((job) => job.ordinal)).toEqual([...Array(24).keys()]);
    expect(new Set(jobs.map((job) => job.key)).size).toBe(24);
  });

  it('varies samples fastest, then points, targets, prompts', () => {
    expect(jobs.slice(0, 7).map((job) => [job.promptId, job.target.provider, job.point.settings.temperature, job.index])).toEqual([
      ['p1', 'local', 0, 0],
      ['p1', 'local', 0, 1],
      ['p1', 'local', 0, 2],
      ['p1', 'local', 1, 0],
      ['p1', 'local', 1, 1],
      ['p1', 'local', 1, 2],
      ['p1', 'openai-compatible', 0, 0],
    ]);
  });

  it('sends sample i seed + i, or the same seed with same_seed', () => {
    expect(jobs.slice(0, 3).map((job) => job.seed)).toEqual([10, 11, 12]);
    const same = expandJobs({ ...spec, sameSeed: true });
    expect(same.slice(0, 3).map((job) => job.seed)).toEqual([10, 10, 10]);
  });

  it('jobsHash does not depend on order', () => {
    expect(jobsHash([...jobs].reverse())).toBe(jobsHash(jobs));
    expect(jobsHash(jobs.slice(1))).not.toBe(jobsHash(jobs));
  });
});

// sha256 of '{"index":0,"maxTokens":50,"model":"embedded","prompt":"The robot looked at the sunset and felt","provider":"local","settings":{"temperature":1}}' (sha256sum), first 20 hex digits.
const PINNED = 'b33c418820d8a50928bc';
