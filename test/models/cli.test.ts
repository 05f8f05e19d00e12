import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedEmbeddedData, TEST_CACHE_DIRECTORY } from './sharedModel.js';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));

function knobs(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', KNOBS_CACHE_DIR: TEST_CACHE_DIRECTORY },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed and prints JSON. */
function knobsJson(args: string[]): ReturnType<typeof JSON.parse> {
  const result = knobs(args);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  await sharedEmbeddedData(); // build the shared cache once, before the CLI processes read it
});

describe('knobs next', () => {
  it('--json: the dist contract over the whole 200k vocabulary, summing to 1, with token strings', () => {
    const output = knobsJson(['next', 'The weather today is', '--json']);
    expect(output.vocab_size).toBe(200_007);
    expect(output.probs).toHaveLength(200_007);
    expect(output.tokens).toHaveLength(200_007);
    expect(output.tokens[13225]).toBe('Hello');
    expect(output.prompt_tokens).toEqual([976, 11122, 4044, 382]);
    const sum = (output.probs as number[]).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    expect(output.kept).toBe(200_006);
    expect(output.entropy.before).toBeGreaterThan(0);
    expect(output.entropy.after).toBeCloseTo(output.entropy.before, 6);
  });

  it('takes the chain as an argument or as flags', () => {
    const positional = knobsJson(['next', 'The weather today is', 'top_k=5', '--json']);
    expect(positional.kept).toBe(5);
    expect((positional.probs as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const flags = knobsJson(['next', 'The weather today is', '--top-k', '5', '--json']);
    expect(flags.probs).toEqual(positional.probs);
  });

  it('prints a table of the most likely tokens', () => {
    const result = knobs(['next', 'The weather today is', '--top', '5', '--top-p', '0.9']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('" the"');
    expect(result.stdout).toMatch(/kept \d+ of 200007 tokens/);
  });
});

describe('knobs generate', () => {
  it('the same seed prints the same text', () => {
    const args = ['generate', 'The weather today is', '--temperature', '0.9', '-n', '2', '--max-tokens', '12', '--seed', '1'];
    const first = knobs(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('[2] seed 2');
    expect(knobs(args).stdout).toBe(first.stdout);
    const json = knobsJson([...args, '--json']);
    expect(json.completions).toHaveLength(2);
    expect(json.completions[0].tokens).toHaveLength(12);
    expect(first.stdout).toContain(json.completions[0].text);
  });
});

describe('knobs model', () => {
  it('info --json describes the cached model', () => {
    const info = knobsJson(['model', 'info', '--json']);
    expect(info.id).toBe('embedded:brown-kn4');
    expect(info.source).toBe('cache');
    expect(info.cache_bytes).toBeLessThan(300e6);
    expect(info.ngrams).toHaveLength(4);
  });

  it('eval --json reports held-out perplexities of Kneser-Ney and add-k at orders 1 to 4', () => {
    const result = knobsJson(['model', 'eval', '--json']);
    expect(result.orders.map((row: { order: number }) => row.order)).toEqual([1, 2, 3, 4]);
    expect(result.held_out_documents).toBe(50);
    for (const row of result.orders) expect(row.kneser_ney).toBeGreaterThan(1);
    expect(result.perplexity.kneser_ney['3']).toBeLessThan(result.perplexity.kneser_ney['1']);
  });
});

describe('errors', () => {
  it('name the bad value and the allowed range, without a stack trace', () => {
    const model = knobs(['next', 'x', '--model', 'gpt-9']);
    expect(model.status).toBe(2);
    expect(model.stderr).toMatch(/^knobs: model = "gpt-9" is out of range: expected one of embedded, embedded:brown-kn1/);
    const tokens = knobs(['generate', 'x', '--max-tokens', '-3']);
    expect(tokens.stderr).toMatch(/--max-tokens = "-3" is out of range: expected an integer in \[0, 100000\]/);
    const twice = knobs(['next', 'x', 'top_k=2', '--chain', 'top_p=0.5']);
    expect(twice.stderr).toMatch(/give the chain once/);
    const order = knobs(['model', 'eval', '--orders', '1,7']);
    expect(order.stderr).toMatch(/--orders entry "7" is out of range: expected an integer in \[1, 4\]/);
    for (const result of [model, tokens, twice, order]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
