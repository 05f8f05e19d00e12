import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { auditTarget } from '../../src/audit/auditTarget.js';
import { ggufNativeTarget } from '../../src/audit/targets/ggufNative.js';
import { transformersTarget } from '../../src/audit/targets/transformersJs.js';
import type { AuditResult, KnobResult } from '../../src/audit/types.js';
import { INSTALL, peer } from '../adapters/peers.js';
import { writeTinyDecoder } from '../adapters/tinyDecoder.js';
import { ggufEnvironment, TEST_SETTINGS } from '../gguf/ggufEnvironment.js';
import { buildTinyLlama, writeTinyLlama } from '../gguf/tinyLlama.js';

// The runtimes' own sampling, audited: node-llama-cpp's native sampler on the tiny GGUF
// model (a careful reading of its C++ suggested top_p < 1 was never applied; the audit
// measures that it is), and transformers.js's generate() on the tiny ONNX decoder (which
// never applies top_p).

const directory = mkdtempSync(join(tmpdir(), 'knobs-audit-runtimes-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const table = (label: string, result: AuditResult): string =>
  `${label} (${result.requests} requests, ${(result.elapsed_ms / 1000).toFixed(1)} s):\n` +
  result.knobs.map((row) => `  ${row.knob.padEnd(21)} ${JSON.stringify(row.setting).padEnd(40)} ${row.verdict.padEnd(10)} N=${String(row.n).padStart(4)} p=${row.p_value?.toExponential(1) ?? '-'} p(applied)=${row.evidence.applied?.p_value.toFixed(3) ?? '-'} p(ignored)=${row.evidence.ignored ? row.evidence.ignored.p_value.toExponential(1) : '-'}`).join('\n') +
  '\n';

const verdictOf = (result: AuditResult, knob: string): KnobResult | undefined => result.knobs.find((row) => row.knob === knob && row.setting?.temperature !== 0);

describe('node-llama-cpp, its own sampler (--model gguf:PATH --sampler native)', () => {
  it('applies temperature, top_k, top_p and min_p (and the seed, and temperature 0)', async (context: TestContext) => {
    const gguf = await ggufEnvironment();
    if (!gguf.ok) return context.skip(gguf.reason);
    const path = writeTinyLlama(directory, buildTinyLlama({ tokenizer: 'spm', seed: 20261126 }));
    const target = await ggufNativeTarget(path, { runtime: gguf.runtime, ...TEST_SETTINGS });
    try {
      const result = await auditTarget(target, { knobs: ['temperature', 'top_k', 'top_p', 'min_p', 'xtc', 'logit_bias', 'seed'] });
      process.stdout.write(table('node-llama-cpp native sampler, tiny GGUF', result));
      for (const knob of ['temperature', 'top_k', 'top_p', 'min_p', 'xtc', 'logit_bias', 'seed']) expect(verdictOf(result, knob)?.verdict, knob).toBe('applied');
      expect(result.knobs.find((row) => row.setting?.temperature === 0)?.verdict).toBe('applied');
      expect(result.checks.find((check) => check.check === 'neutral')?.result).toBe('matches');
      // The profile: node-llama-cpp's own when there is one, else llama.cpp's rules (its samplers are llama.cpp's).
      expect(['node-llama-cpp', 'llama.cpp']).toContain(result.settings.profile);
    } finally {
      await target.close?.();
    }
  }, 180_000);

  it('a field node-llama-cpp has no option for is refused by the client, not sent', async (context: TestContext) => {
    const gguf = await ggufEnvironment();
    if (!gguf.ok) return context.skip(gguf.reason);
    const path = writeTinyLlama(directory, buildTinyLlama({ tokenizer: 'spm', seed: 7 }), 'tiny-refuse.gguf');
    const target = await ggufNativeTarget(path, { runtime: gguf.runtime, ...TEST_SETTINGS });
    try {
      const answer = await target.send({ prompt: { id: 'p', text: 'hello' }, fields: { temperature: 1, typical_p: 0.5 }, seed: 1, maxTokens: 1 });
      expect(answer).toEqual({ status: 'refused', reason: 'node-llama-cpp has no sampling option for typical_p', byServer: false });
    } finally {
      await target.close?.();
    }
  }, 60_000);
});

describe('transformers.js, its own generate() (--model transformers:DIR)', () => {
  it('ignores top_p (and min_p, typical_p); applies top_k, temperature and its repetition penalty', async (context: TestContext) => {
    const runtime = await peer('@huggingface/transformers', INSTALL.transformers);
    if (!runtime.ok) return context.skip(runtime.reason);
    const path = writeTinyDecoder(directory, 'tiny-bigram');
    const target = await transformersTarget(path);
    const warn = console.warn;
    console.warn = () => undefined; // transformers.js warns that temperature 0 switches do_sample off: the check's point
    let result: AuditResult;
    try {
      result = await auditTarget(target, { prompts: ['the cat', 'a big', 'red dog', 'the dog ran to the'] });
    } finally {
      console.warn = warn;
    }
    process.stdout.write(table('transformers.js generate(), tiny ONNX decoder', result));
    expect(verdictOf(result, 'top_p')?.verdict).toBe('ignored');
    expect(verdictOf(result, 'min_p')?.verdict).toBe('ignored');
    expect(verdictOf(result, 'typical_p')?.verdict).toBe('ignored');
    expect(verdictOf(result, 'top_k')?.verdict).toBe('applied');
    expect(verdictOf(result, 'temperature')?.verdict).toBe('applied');
    expect(verdictOf(result, 'repetition_penalty')?.verdict).toBe('applied');
    expect(verdictOf(result, 'seed')?.verdict).toBe('applied');
    expect(result.knobs.find((row) => row.setting?.temperature === 0)?.verdict).toBe('applied');
    expect(result.checks.find((check) => check.check === 'refusals')?.result).toBe('accepted and silently dropped: top_p, min_p, typical_p');
  }, 180_000);
});
