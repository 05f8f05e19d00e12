import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandJobs } from '../../src/experiments/expandJobs.js';
import { readExperimentSpec } from '../../src/experiments/experimentSpec.js';
import type { ResultLine, ResultRow } from '../../src/experiments/resultRow.js';

// The real thing: `knobs serve` and `knobs experiment run` as child processes (the built
// CLI, as a user runs it), the run killed with SIGKILL mid-way — twice — and resumed.

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'knobs-crash-'));
const env = { ...process.env, CI: 'true' };
let serve: ChildProcess | undefined;
let baseUrl = '';

function startServe(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    serve = child;
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)/m.exec(out);
      if (url) resolve(url[1] as string);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`knobs serve exited (${code}): ${err}`)));
  });
}

function completionLines(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.includes('"type":"completion"')).length;
}

/** Runs the CLI; with `killAt`, SIGKILLs it as soon as the results file holds that many rows. */
function runCli(args: readonly string[], out: string, killAt?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      killAt === undefined
        ? undefined
        : setInterval(() => {
            if (completionLines(out) >= killAt) child.kill('SIGKILL');
          }, 5);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stderr, stdout });
    });
  });
}

function readLines(path: string): ResultLine[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ResultLine);
}

beforeAll(async () => {
  baseUrl = await startServe();
}, 120_000);

afterAll(() => {
  serve?.kill('SIGTERM');
});

describe('a run killed with SIGKILL resumes to exactly the expected rows', () => {
  it('kill, resume, kill, resume: every job once, texts equal to an uninterrupted run', async () => {
    const spec = join(dir, 'sweep.yaml');
    writeFileSync(
      spec,
      [
        'name: crash-test',
        'prompts:',
        '  - The robot looked at the sunset and felt',
        '  - { id: news, prompt: "The president said" }',
        'providers:',
        '  - { provider: local, model: embedded, concurrency: 2 }',
        `  - { provider: openai-compatible, model: embedded, base_url: "${baseUrl}/v1", server: knobs, label: serve, concurrency: 3 }`,
        'grid: temperature=0,0.8,1.5',
        'n: 3',
        'max_tokens: 8',
        'seed: 11',
        '',
      ].join('\n'),
    );
    const jobs = expandJobs(await readExperimentSpec(spec));
    expect(jobs).toHaveLength(2 * 2 * 3 * 3);
    const out = join(dir, 'sweep.results.jsonl');

    const first = await runCli(['experiment', 'run', spec, '--out', out], out, 5);
    expect(first.signal).toBe('SIGKILL');
    const afterFirst = completionLines(out);
    expect(afterFirst).toBeGreaterThanOrEqual(5);
    expect(afterFirst).toBeLessThan(jobs.length);

    // Without --resume the run refuses to touch the file.
    const refused = await runCli(['experiment', 'run', spec, '--out', out], out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds \d+ result rows: pass --resume to continue that run, or --overwrite/);

    const second = await runCli(['experiment', 'run', spec, '--out', out, '--resume'], out, Math.min(afterFirst + 8, jobs.length - 4));
    expect(second.signal).toBe('SIGKILL');
    // A crash in the middle of a write leaves half a line: add one, as SIGKILL can.
    const lastLine = readFileSync(out, 'utf8').trimEnd().split('\n').at(-1) as string;
    appendFileSync(out, lastLine.slice(0, Math.floor(lastLine.length / 2)));

    const third = await runCli(['experiment', 'run', spec, '--out', out, '--resume'], out);
    expect(third.stderr).toMatch(/torn last line/);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(new RegExp(`crash-test: ${jobs.length}/${jobs.length} completions`));

    expect(existsSync(`${out}.lock`)).toBe(false); // the killed runs' lock was taken over and released
    const lines = readLines(out);
    const headers = lines.filter((line) => line.type === 'run');
    const rows = lines.filter((line): line is ResultRow => line.type === 'completion');
    expect(headers).toHaveLength(1);
    expect(rows).toHaveLength(jobs.length);
    expect(new Set(rows.map((row) => row.key))).toEqual(new Set(jobs.map((job) => job.key)));
    expect(rows.every((row) => row.status === 'ok' && typeof row.text === 'string' && row.usage?.completion_tokens !== undefined)).toBe(true);

    // The same spec run without interruption gives the same text for every job (seeded).
    const clean = join(dir, 'clean.results.jsonl');
    const uninterrupted = await runCli(['experiment', 'run', spec, '--out', clean], clean);
    expect(uninterrupted.code).toBe(0);
    const cleanRows = readLines(clean).filter((line): line is ResultRow => line.type === 'completion');
    const byKey = new Map(cleanRows.map((row) => [row.key, row.text]));
    for (const row of rows) expect(row.text).toBe(byKey.get(row.key));
    // The local provider and knobs serve run the same sampler: same seed, same text.
    const local = rows.filter((row) => row.provider === 'local');
    for (const row of local) {
      const twin = rows.find((other) => other.label === 'serve' && other.prompt_id === row.prompt_id && other.index === row.index && other.settings.temperature === row.settings.temperature);
      expect(twin?.text).toBe(row.text);
    }
  }, 180_000);
});
