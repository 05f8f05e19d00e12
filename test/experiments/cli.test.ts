import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The commands as a user runs them: the built CLI, offline, on the embedded model.

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'knobs-cli-exp-'));

function knobs(args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The numbered completion lines under a heading of the seed layout. */
function block(stdout: string, heading: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThan(0);
  expect(lines[start + 1]).toBe('-'.repeat(40));
  const out: string[] = [];
  for (let i = start + 2; i < lines.length && /^ {2}\d+\. /.test(lines[i] as string); i++) out.push(lines[i] as string);
  return out;
}

describe('knobs experiment seed-openai --provider local', () => {
  const result = knobs(['experiment', 'seed-openai', '--provider', 'local', '--seed', '1']);

  it("prints openai_generate.py's layout: banner, four temperatures, three completions of at most 70 characters each", () => {
    expect(result.stderr.replace(/^knobs: (building|model built).*\n/gm, '')).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['='.repeat(60), 'TEMPERATURE EXPERIMENT (OpenAI on local/embedded)', '='.repeat(60)]);
    for (const heading of ['Temperature = 0.0', 'Temperature = 0.5', 'Temperature = 1.0', 'Temperature = 1.5']) {
      const completions = block(result.stdout, heading);
      expect(completions.map((line) => line.slice(0, 5))).toEqual(['  1. ', '  2. ', '  3. ']);
      for (const line of completions) {
        expect(line.endsWith('...')).toBe(true);
        expect(Array.from(line).length).toBeLessThanOrEqual(5 + 70 + 3);
      }
    }
    // Temperature 0 is greedy: the three completions are the same text.
    const greedy = block(result.stdout, 'Temperature = 0.0').map((line) => line.slice(5));
    expect(new Set(greedy).size).toBe(1);
  });

  it('adds the diversity of every setting: one distinct completion at T = 0, three at T = 1.5', () => {
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('top_p=1 temperature='));
    expect(rows).toHaveLength(4);
    const cells = rows.map((line) => line.split(/\s{2,}/));
    expect(cells.map((cell) => [cell[0], cell[1], cell[2]])).toEqual([
      ['top_p=1 temperature=0', '3', '1'],
      ['top_p=1 temperature=0.5', '3', expect.any(String)],
      ['top_p=1 temperature=1', '3', expect.any(String)],
      ['top_p=1 temperature=1.5', '3', '3'],
    ]);
    // self-BLEU of three identical completions is 1
    expect(cells[0]?.[6]).toBe('1.000');
  });

  it('is reproducible with --seed', () => {
    const args = ['experiment', 'seed-openai', '--provider', 'local', '--seed', '5', '-n', '2', '--max-tokens', '8'];
    const first = knobs(args);
    expect(first.status).toBe(0);
    expect(knobs(args).stdout).toBe(first.stdout);
  });
});

describe('knobs experiment seed-anthropic --provider local', () => {
  it("prints anthropic_generate.py's layout with the note and the blog's correction, 80 characters per line", () => {
    const result = knobs(['experiment', 'seed-anthropic', '--provider', 'local', '--seed', '2', '-n', '2']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '='.repeat(60),
      'TEMPERATURE EXPERIMENT (Anthropic Claude on local/embedded)',
      '='.repeat(60),
      "Note: Since Anthropic's temperature range is 0.0–1.0, we test at 0.0, 0.3, 0.7, and 1.0.",
      'Correction (blog errata): Anthropic temperatures are clamped to [0,1], not scaled proportionally',
    ]);
    for (const heading of ['Temperature = 0.0', 'Temperature = 0.3', 'Temperature = 0.7', 'Temperature = 1.0']) {
      const completions = block(result.stdout, heading);
      expect(completions).toHaveLength(2);
      for (const line of completions) expect(Array.from(line).length).toBeLessThanOrEqual(5 + 80 + 3);
    }
  });
});

describe('knobs determinism', () => {
  it('--preset seed --provider local: the two tests in the seed layout, deterministic on the local model', () => {
    const result = knobs(['determinism', '--preset', 'seed', '--provider', 'local']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Test 1: Simple math question',
      '-'.repeat(40),
      'local/embedded, temperature 0, top_p 1, 50 tokens',
      'Unique responses at T=0: 1 / 10',
      'Deterministic behavior confirmed!',
    ]);
    expect(lines).toContain('Test 2: Creative prompt (longer output)');
    expect(lines).toContain('Unique responses at T=0: 1 / 5');
  });

  it('PROMPT --json: the analysis of N trials with the same seed', () => {
    const result = knobs(['determinism', 'What is 2 + 2?', '-n', '4', '--seed', '9', '--max-tokens', '10', '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { provider: string; settings: unknown; seed: number; logprobs: boolean; tests: { trials: number; distinct: number; deterministic: boolean; outputs: { count: number }[] }[] };
    expect(json).toMatchObject({ provider: 'local', settings: { temperature: 0, top_p: 1 }, seed: 9, logprobs: true });
    expect(json.tests[0]).toMatchObject({ trials: 4, distinct: 1, deterministic: true });
    expect(json.tests[0]?.outputs[0]?.count).toBe(4);
  });

  it('names a missing prompt and a bad preset', () => {
    expect(knobs(['determinism']).stderr).toContain('no prompt: give one (knobs determinism "What is 2 + 2?") or --preset seed');
    expect(knobs(['determinism', '--preset', 'x']).stderr).toContain('--preset = "x" is not a preset: expected seed');
  });
});

describe('knobs experiment run', () => {
  it('asks before more than 100 paid requests and refuses without a terminal unless --yes (nothing is sent)', () => {
    const spec = join(dir, 'paid.yaml');
    writeFileSync(spec, 'prompts: [Hi]\nproviders: ["openai:gpt-4o-mini"]\ngrid: temperature=0,1\nn: 51\n');
    const result = knobs(['experiment', 'run', spec, '--out', join(dir, 'paid.jsonl')], { OPENAI_API_KEY: 'sk-test-not-a-key' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('knobs: this run sends 102 paid requests (102 requests (102 paid): openai/gpt-4o-mini 102 (paid)); pass --yes to confirm (more than 100 paid requests need confirmation)\n');
  });

  it('names a bad spec field', () => {
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, 'prompts: [Hi]\nproviders: [local]\ngrid: temprature=0,1\n');
    const result = knobs(['experiment', 'run', spec]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^knobs: .*bad.yaml: grid: grid field = "temprature" is out of range: expected a numeric knob field \(temperature, /);
  });

  it('runs a spec into its default results file and prints the metrics; the key never appears', () => {
    const spec = join(dir, 'small.yaml');
    writeFileSync(spec, 'name: small\nprompts: [The robot]\nproviders: [local]\ngrid: temperature=0,1\nn: 2\nmax_tokens: 6\nseed: 4\n');
    const result = knobs(['experiment', 'run', spec, '--json'], { OPENAI_API_KEY: 'sk-secret-value' });
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { out: string; total: number; written: number; metrics: unknown[] };
    expect(json).toMatchObject({ out: join(dir, 'small.results.jsonl'), total: 4, written: 4 });
    expect(json.metrics).toHaveLength(2);
    expect(result.stdout + result.stderr).not.toContain('sk-secret-value');
  });
});

describe('knobs generate --provider --grid', () => {
  it('gives n completions at every point of the grid, grouped by setting', () => {
    const args = ['generate', 'The robot looked at the sunset and felt', '--provider', 'local', '--grid', 'temperature=0,1;top_p=1,0.9', '-n', '2', '--max-tokens', '6', '--seed', '3'];
    const json = knobs([...args, '--json']);
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as { provider: string; model: string; points: { settings: Record<string, number>; completions: { index: number; seed: number; text: string }[]; metrics: { distinct: number } }[] };
    expect(parsed).toMatchObject({ provider: 'local', model: 'embedded' });
    expect(parsed.points.map((point) => point.settings)).toEqual([
      { temperature: 0, top_p: 1 },
      { temperature: 0, top_p: 0.9 },
      { temperature: 1, top_p: 1 },
      { temperature: 1, top_p: 0.9 },
    ]);
    for (const point of parsed.points) expect(point.completions.map((completion) => [completion.index, completion.seed])).toEqual([[0, 3], [1, 4]]);
    // Greedy at T = 0: both completions are the same text, with or without top-p.
    expect(parsed.points[0]?.metrics.distinct).toBe(1);
    expect(parsed.points[1]?.completions.map((completion) => completion.text)).toEqual(parsed.points[0]?.completions.map((completion) => completion.text));
    const text = knobs(args);
    expect(text.status).toBe(0);
    for (const heading of ['Temperature = 0.0, top_p = 1.0', 'Temperature = 0.0, top_p = 0.9', 'Temperature = 1.0, top_p = 1.0', 'Temperature = 1.0, top_p = 0.9']) {
      expect(block(text.stdout, heading)).toHaveLength(2);
    }
  });

  it('refuses --chain with --grid', () => {
    const result = knobs(['generate', 'x', '--grid', 'temperature=0', '--chain', 'top_k=3']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--grid and --provider take knob flags (--top-p 0.9), not --chain');
  });
});
