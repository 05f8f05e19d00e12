import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentSpec } from '../../src/experiments/experimentSpec.js';
import { expandJobs, jobsHash } from '../../src/experiments/expandJobs.js';
import { readResultsFile } from '../../src/experiments/resultsFile.js';
import { defaultRetryPolicy } from '../../src/experiments/retryPolicy.js';
import { runExperiment } from '../../src/experiments/runExperiment.js';
import { ProviderError } from '../../src/providers/errors.js';
import { fakeProvider } from './fakeProvider.js';

const dir = mkdtempSync(join(tmpdir(), 'knobs-run-'));
let counter = 0;
const file = (): string => join(dir, `run${counter++}.jsonl`);
const spec = parseExperimentSpec({ name: 'unit', prompts: ['Hi', 'Bye'], providers: ['local'], grid: 'temperature=0,1', n: 2, seed: 100, max_tokens: 5 });

describe('runExperiment', () => {
  it('sends one request per job with its settings and seed, and stores one row each', async () => {
    const provider = fakeProvider();
    const out = file();
    const result = await runExperiment(spec, { providerFor: () => provider, out });
    expect(result.total).toBe(8);
    expect(result.written).toBe(8);
    expect(provider.requests).toHaveLength(8);
    expect(provider.requests.map((request) => [request.prompt, request.settings?.temperature, request.seed, request.n, request.maxTokens]).sort()).toEqual(
      [
        ['Bye', 0, 100, 1, 5],
        ['Bye', 0, 101, 1, 5],
        ['Bye', 1, 100, 1, 5],
        ['Bye', 1, 101, 1, 5],
        ['Hi', 0, 100, 1, 5],
        ['Hi', 0, 101, 1, 5],
        ['Hi', 1, 100, 1, 5],
        ['Hi', 1, 101, 1, 5],
      ].sort(),
    );
    const contents = readResultsFile(out);
    expect(contents.header).toMatchObject({ type: 'run', experiment: 'unit', jobs: 8 });
    expect(contents.rows.map((row) => row.text).sort()).toEqual(result.rows.map((row) => row.text).sort());
    const row = result.rows[0];
    expect(row).toMatchObject({ ordinal: 0, prompt_id: 'p1', prompt: 'Hi', provider: 'local', model: 'embedded', settings: { temperature: 0 }, index: 0, seed: 100, status: 'ok', text: 'Hi t=0 s=100', finish_reason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 4 }, latency_ms: 1.5, attempts: 1 });
  });

  it('asks for log-probabilities only from providers that have them', async () => {
    const without = fakeProvider({ logprobs: false });
    await runExperiment({ ...spec, logprobs: true, topLogprobs: 2 }, { providerFor: () => without });
    expect(without.requests.every((request) => request.logprobs === undefined && request.topLogprobs === undefined)).toBe(true);
    const withThem = fakeProvider({ logprobs: true });
    await runExperiment({ ...spec, logprobs: true, topLogprobs: 2 }, { providerFor: () => withThem });
    expect(withThem.requests.every((request) => request.logprobs === true && request.topLogprobs === 2)).toBe(true);
  });

  it('sends a system prompt as messages', async () => {
    const provider = fakeProvider();
    await runExperiment(parseExperimentSpec({ system: 'Be brief.', prompt: 'Hi', providers: ['local'] }), { providerFor: () => provider });
    expect(provider.requests[0]?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(provider.requests[0]?.prompt).toBeUndefined();
  });

  it('resumes: keeps the rows there, runs only the missing jobs, writes no duplicate', async () => {
    const out = file();
    const jobs = expandJobs(spec);
    // A first run that died after three rows, the third cut in half.
    const partial = await runExperiment({ ...spec, prompts: spec.prompts.slice(0, 1) }, { providerFor: () => fakeProvider(), out: file() });
    const header = { type: 'run', format: 1, experiment: 'unit', jobs: 8, created_at: 't' };
    const three = partial.rows.slice(0, 3).map((row) => JSON.stringify(row));
    writeFileSync(out, `${JSON.stringify({ ...header, jobs_hash: jobsHash(jobs) })}\n${three[0]}\n${three[1]}\n${(three[2] as string).slice(0, 40)}`);
    const provider = fakeProvider();
    const result = await runExperiment(spec, { providerFor: () => provider, out, resume: true });
    expect(result.resumed).toBe(2);
    expect(result.tornLineDropped).toBe(true);
    expect(result.written).toBe(6);
    expect(provider.requests).toHaveLength(6);
    const contents = readResultsFile(out);
    expect(contents.torn).toBe(false);
    expect(contents.duplicates).toBe(0);
    expect(contents.rows.map((row) => row.key).sort()).toEqual(jobs.map((job) => job.key).sort());
    // Resuming a finished run sends nothing.
    const again = fakeProvider();
    const done = await runExperiment(spec, { providerFor: () => again, out, resume: true });
    expect(again.requests).toHaveLength(0);
    expect(done.rows).toHaveLength(8);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(9);
  });

  it('refuses an existing file without --resume, and a file of another experiment with it', async () => {
    const out = file();
    await runExperiment(spec, { providerFor: () => fakeProvider(), out });
    await expect(runExperiment(spec, { providerFor: () => fakeProvider(), out })).rejects.toThrow(/already holds 8 result rows: pass --resume to continue that run, or --overwrite/);
    const other = { ...spec, n: 3 };
    await expect(runExperiment(other, { providerFor: () => fakeProvider(), out, resume: true })).rejects.toThrow(/belongs to another experiment \("unit", 8 jobs, jobs hash [0-9a-f]{20}\); this spec has 12 jobs/);
    const fresh = await runExperiment(other, { providerFor: () => fakeProvider(), out, overwrite: true });
    expect(fresh.written).toBe(12);
    expect(readResultsFile(out).rows).toHaveLength(12);
  });

  it('stores a refused request as a rejected row, with the reason', async () => {
    const provider = fakeProvider({
      answer: (request) =>
        request.settings?.temperature === 1
          ? { status: 'rejected', completions: [], rejected: [{ parameter: 'temperature', value: 1, reason: 'rejected by provider: temperature = 1 is out of range for m: expected a number in [0, 0.5]' }] }
          : {},
    });
    const result = await runExperiment(spec, { providerFor: () => provider });
    const refused = result.rows.filter((row) => row.status === 'rejected');
    expect(refused).toHaveLength(4);
    expect(refused[0]).toMatchObject({ text: null, rejected: [{ parameter: 'temperature' }] });
    expect(refused[0]?.finish_reason).toBeUndefined();
  });

  it('retries a failed request; one that keeps failing gets no row and is reported', async () => {
    const failing = new ProviderError('server error (HTTP 503)', 'fake', 'server', 503);
    const provider = fakeProvider({ answer: (request, call) => (request.prompt === 'Bye' && request.settings?.temperature === 1 ? failing : call === 1 ? new ProviderError('timeout', 'fake', 'timeout') : {}) });
    const retries: number[] = [];
    const out = file();
    const result = await runExperiment(spec, { providerFor: () => provider, out, retry: defaultRetryPolicy({ maxAttempts: 3, baseDelayMs: 1 }), onRetry: (_job, attempt) => retries.push(attempt) });
    expect(result.failures).toHaveLength(2);
    expect(result.failures.every((failure) => failure.attempts === 3 && failure.error === failing)).toBe(true);
    expect(result.rows).toHaveLength(6);
    expect(result.rows.find((row) => row.ordinal === 0)?.attempts).toBe(2); // the first call timed out
    expect(readResultsFile(out).rows).toHaveLength(6);
    // Resuming later runs only the two that failed.
    const healthy = fakeProvider();
    const resumed = await runExperiment(spec, { providerFor: () => healthy, out, resume: true });
    expect(healthy.requests).toHaveLength(2);
    expect(resumed.rows).toHaveLength(8);
  });

  it('reports progress after every completion, ending at total', async () => {
    const seen: number[] = [];
    await runExperiment(spec, { providerFor: () => fakeProvider(), onProgress: (progress) => seen.push(progress.done) });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a missing key fails before any request is sent', async () => {
    const keyed = parseExperimentSpec({ prompt: 'Hi', providers: ['local', 'openai:gpt-4o-mini'] });
    let sent = 0;
    const factory = (target: { provider: string }) => {
      if (target.provider === 'openai') throw new Error('OPENAI_API_KEY is not set');
      return fakeProvider({ answer: () => (sent++, {}) });
    };
    await expect(runExperiment(keyed, { providerFor: factory })).rejects.toThrow('OPENAI_API_KEY is not set');
    expect(sent).toBe(0);
  });
});
