import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ggufEnvironment, type GgufEnvironment } from './ggufEnvironment.js';
import { buildTinyLlama, writeTinyLlama } from './tinyLlama.js';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/models/ggufModel.js', import.meta.url)));
const directory = mkdtempSync(join(tmpdir(), 'knobs-gguf-cli-'));
const tiny = buildTinyLlama({ tokenizer: 'bpe' });
const path = writeTinyLlama(directory, tiny);
let environment: GgufEnvironment;

beforeAll(async () => {
  environment = await ggufEnvironment();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function knobs(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', KNOBS_GGUF_THREADS: '1', KNOBS_GGUF_GPU: 'cpu' },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function needsBuiltCli(context: TestContext, llama: boolean): void {
  if (!built) context.skip('dist/ is not built (npm run build)');
  if (llama && !environment.ok) context.skip(environment.reason);
}

describe('knobs with --model gguf:PATH', () => {
  it("knobs next shows the model's whole next-token distribution", (context) => {
    needsBuiltCli(context, true);
    const result = knobs(['next', '--model', `gguf:${path}`, 'the cat is on the', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.model).toBe(`gguf:${path}`);
    expect(output.vocab_size).toBe(tiny.config.vocabSize);
    expect((output.prompt_tokens as number[]).map((token) => tiny.tokens[token])).toEqual(['t', 'he', 'Ġcat', 'Ġis', 'Ġon', 'Ġthe']);
    expect(Math.abs((output.probs as number[]).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    expect(output.kept).toBe(tiny.config.vocabSize);
    expect(output.tokens[tiny.tokens.indexOf('Ġcat')]).toBe(' cat');
    const table = knobs(['next', '--model', `gguf:${path}`, 'the cat is on the', 'top_k=3']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain(`gguf:${path}`);
    expect(table.stdout).toContain(`kept 3 of ${tiny.config.vocabSize} tokens`);
  });

  it('knobs generate runs our chain on it: seeded, the same text for the same seed', (context) => {
    needsBuiltCli(context, true);
    const args = ['generate', '--model', `gguf:${path}`, 'the cat', 'top_p=0.9,temperature=1.2', '--seed', '5', '--n', '2', '--max-tokens', '10', '--json'];
    const first = knobs(args);
    expect(first.status, first.stderr).toBe(0);
    const output = JSON.parse(first.stdout);
    expect(output.completions).toHaveLength(2);
    expect(output.completions[0].tokens.length).toBeGreaterThan(0);
    expect(JSON.parse(knobs(args).stdout).completions).toEqual(output.completions);
  });

  it('a missing file is an error that names it, without a stack trace', (context) => {
    needsBuiltCli(context, false);
    const result = knobs(['next', '--model', `gguf:${join(directory, 'missing.gguf')}`, 'hi']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('missing.gguf');
    expect(result.stderr).toContain('an existing GGUF file');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help mentions gguf:PATH', (context) => {
    needsBuiltCli(context, false);
    expect(knobs(['generate', '--help']).stdout).toContain('gguf:PATH');
  });
});
