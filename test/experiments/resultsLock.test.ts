import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockResults } from '../../src/experiments/resultsLock.js';
import { parseExperimentSpec } from '../../src/experiments/experimentSpec.js';
import { runExperiment } from '../../src/experiments/runExperiment.js';
import { fakeProvider } from './fakeProvider.js';

const dir = mkdtempSync(join(tmpdir(), 'knobs-lock-'));

describe('lockResults', () => {
  it('writes the owner pid, refuses a second lock in this process, and is gone after release', () => {
    const results = join(dir, 'a.jsonl');
    const lock = lockResults(results);
    expect(readFileSync(`${results}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(() => lockResults(results)).toThrow(`${results} is being written by another run in this process`);
    lock.release();
    lock.release();
    expect(existsSync(`${results}.lock`)).toBe(false);
  });

  it('refuses a lock held by another live process, naming it', () => {
    const results = join(dir, 'other.jsonl');
    // As another process would see this one holding the file:
    writeFileSync(`${results}.lock`, `${process.pid}\n`);
    expect(() => lockResults(results, 2_000_000_000)).toThrow(`${results} is being written by process ${process.pid} (${results}.lock): wait for that run to end`);
  });

  it('takes over a lock left by a process that no longer exists (a SIGKILLed run)', () => {
    const results = join(dir, 'b.jsonl');
    writeFileSync(`${results}.lock`, '2147483646\n');
    const lock = lockResults(results);
    expect(readFileSync(`${results}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
  });

  it('keeps two runs from writing one file at once', async () => {
    const out = join(dir, 'c.jsonl');
    const spec = parseExperimentSpec({ prompt: 'Hi', providers: ['local'], n: 3 });
    const slow = runExperiment(spec, { providerFor: () => fakeProvider({ delayMs: 30 }), out });
    await expect(runExperiment(spec, { providerFor: () => fakeProvider(), out, resume: true })).rejects.toThrow(`${out} is being written by another run in this process`);
    expect((await slow).written).toBe(3);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});
