import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCatalog } from '../../src/models/catalog.js';
import { createKnobsServer, type KnobsServer } from '../../src/server/server.js';
import { AUDIT_PROMPTS, auditModel } from './fixtures.js';

// `knobs audit` as a user runs it: a child process (the built CLI) against knobs serve in
// this process, so the server must keep answering while the CLI runs (no spawnSync).

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'knobs-audit-cli-'));
let serve: KnobsServer;
let url: string;
const posts: string[] = [];

function knobs(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, CI: 'true' }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  serve = createKnobsServer({ catalog: modelCatalog({ tiny: auditModel }), host: '127.0.0.1', port: 0, log: (line) => (line.startsWith('POST') ? posts.push(line) : undefined) });
  ({ url } = await serve.listen());
});
afterAll(async () => {
  await serve.close(1000);
  rmSync(directory, { recursive: true, force: true });
});

const prompts = AUDIT_PROMPTS.flatMap((prompt) => ['--prompt', prompt]);

describe('knobs audit', () => {
  it('--json follows the contract, --report writes one chart per measured knob, --out keeps every request', async () => {
    const out = join(directory, 'requests.jsonl');
    const report = join(directory, 'report');
    const args = ['audit', '--base-url', `${url}/v1`, '--server', 'knobs', '--knobs', 'top_k,top_p=0.9,min_p,seed', ...prompts, '--json', '--out', out, '--report', report, '--no-png'];
    const run = await knobs(args);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { target: Record<string, unknown>; knobs: { knob: string; setting: unknown; verdict: string; p_value: number | null; n: number; evidence: Record<string, unknown> }[] };
    expect(result.target).toMatchObject({ provider: 'openai-compatible', server: 'knobs', base_url: `${url}/v1`, model: 'tiny', profile: 'knobs' });
    expect(result.knobs.map((row) => [row.knob, row.verdict])).toEqual([['top_k', 'applied'], ['top_p', 'applied'], ['min_p', 'applied'], ['seed', 'applied']]);
    for (const row of result.knobs) {
      expect(Object.keys(row).sort()).toEqual(['evidence', 'knob', 'n', 'p_value', 'setting', 'verdict']);
      expect(row.p_value).toBeLessThan(1e-4);
      expect(row.n).toBeGreaterThan(0);
    }
    expect(result.knobs[1]?.setting).toEqual({ top_p: 0.9 });
    // The report: the page, and each measured knob's chart as SVG and Vega-Lite.
    const html = readFileSync(join(report, 'index.html'), 'utf8');
    for (const title of ['Verdicts', 'Checks of the target', 'top_k (top_k 2): applied', 'top_p (top_p 0.9): applied', 'min_p']) expect(html).toContain(title);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const figures = readdirSync(join(report, 'figures'));
    expect(figures.filter((name) => name.endsWith('.svg'))).toHaveLength(3);
    expect(figures.filter((name) => name.endsWith('.vl.json'))).toHaveLength(3);
    // Every request is in --out with its own seed.
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; seed?: number; answer?: unknown });
    expect(lines[0]?.type).toBe('audit');
    const recorded = lines.filter((line) => line.type === 'request');
    expect(recorded.length).toBe(posts.length);
    expect(recorded.every((line) => Number.isInteger(line.seed) && line.answer !== undefined)).toBe(true);

    // --resume sends nothing more and finds the same verdicts.
    const sent = posts.length;
    const again = await knobs([...args.filter((arg) => arg !== '--report' && arg !== report && arg !== '--no-png'), '--resume']);
    expect(again.status).toBe(0);
    expect(posts.length).toBe(sent);
    const resumed = JSON.parse(again.stdout) as typeof result;
    expect(resumed.knobs.map((row) => [row.knob, row.verdict, row.p_value, row.n])).toEqual(result.knobs.map((row) => [row.knob, row.verdict, row.p_value, row.n]));
    // Without --resume or --overwrite an existing file is not touched.
    const refused = await knobs(args.filter((arg) => arg !== '--report' && arg !== report && arg !== '--no-png'));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already holds an audit's requests: pass --resume to continue it, or --overwrite/);
  }, 120_000);

  it('prints a table with the verdicts, the p-values and the checks', async () => {
    const run = await knobs(['audit', '--base-url', `${url}/v1`, '--server', 'knobs', '--knobs', 'top_k,seed', ...prompts]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Audit of knobs tiny at http:\/\/127\.0\.0\.1:\d+\/v1\nengine profile: knobs\n/);
    expect(run.stdout).toMatch(/top_k\s+top_k 2\s+applied\s+\S+\s+100\s+p\(applied\) [\d.]+, p\(ignored\) [\d.e-]+/);
    expect(run.stdout).toMatch(/seed\s+seed 900000\s+applied/);
    expect(run.stdout).toContain('neutral: draws with the baseline settings follow the returned log-probabilities');
    expect(existsSync(join(directory, 'nothing'))).toBe(false);
  }, 120_000);

  it('says what is missing, without a stack trace', async () => {
    const gguf = await knobs(['audit', '--model', 'gguf:/tmp/none.gguf']);
    expect(gguf.status).toBe(2);
    expect(gguf.stderr).toBe("knobs: --model gguf:/tmp/none.gguf is audited with node-llama-cpp's own sampler: add --sampler native (our own samplers on it are exact by construction; knobs dist --model shows them)\n");
    const none = await knobs(['audit']);
    expect(none.stderr).toMatch(/^knobs: no target: give --base-url URL/);
    const knob = await knobs(['audit', '--base-url', `${url}/v1`, '--server', 'knobs', '--knobs', 'top_q']);
    expect(knob.stderr).toMatch(/^knobs: --knobs = "top_q" is out of range: expected knob names among temperature, top_k, top_p/);
    const server = await knobs(['audit', '--base-url', `${url}/v1`, '--server', 'tgi']);
    expect(server.stderr).toMatch(/--server = "tgi" is out of range: expected one of generic, vllm, llama.cpp, ollama, sglang, lmstudio, knobs/);
  }, 60_000);
});
