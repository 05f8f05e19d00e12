import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { InvalidParameterError, KnobsError } from '../../src/core/errors.js';
import { generate } from '../../src/models/generate.js';
import { openGgufModel, type GgufModel } from '../../src/models/ggufModel.js';
import { openModel } from '../../src/models/localModels.js';
import { ggufEnvironment, TEST_SETTINGS, type GgufEnvironment } from './ggufEnvironment.js';
import { logSoftmax, referenceLogits } from './referenceForward.js';
import { buildTinyLlama, writeTinyLlama, type TinyLlama } from './tinyLlama.js';

/** The low-level node-llama-cpp objects the tests use to ask llama.cpp directly. */
interface RawSequence {
  evaluateWithMetadata(tokens: number[], metadata: { probabilities: true }, options: Record<string, number>): AsyncGenerator<{ token: number; probabilities: Map<number, number> }>;
  evaluate(tokens: number[], options: Record<string, number>): AsyncGenerator<number>;
  controlledEvaluate(input: unknown[]): Promise<({ next: { probabilities?: Map<number, number> } } | undefined)[]>;
}
interface RawModel {
  createContext(options: Record<string, unknown>): Promise<{ getSequence(): RawSequence; dispose(): Promise<void> }>;
  dispose(): Promise<void>;
}
interface RawLlama {
  loadModel(options: { modelPath: string }): Promise<RawModel>;
}

const directory = mkdtempSync(join(tmpdir(), 'knobs-gguf-model-'));
const spm = buildTinyLlama({ tokenizer: 'spm' });
const bpe = buildTinyLlama({ tokenizer: 'bpe' });
const plain = buildTinyLlama({ tokenizer: 'bpe', chatTemplate: false, seed: 7 });
const paths = { spm: writeTinyLlama(directory, spm), bpe: writeTinyLlama(directory, bpe), plain: writeTinyLlama(directory, plain, 'plain.gguf') };
let environment: GgufEnvironment;
const opened: GgufModel[] = [];

async function open(path: string, options: { sequences?: number; contextSize?: number } = {}): Promise<GgufModel> {
  if (!environment.ok) throw new Error('unreachable');
  const model = await openGgufModel(path, { ...TEST_SETTINGS, runtime: environment.runtime, ...options });
  opened.push(model);
  return model;
}

/** Skips the test when node-llama-cpp or its binary is not there, with the reason. */
function needsLlama(context: TestContext): void {
  if (!environment.ok) context.skip(environment.reason);
}

/** llama.cpp itself, without our model: a raw context on the same file. */
async function rawLlama(): Promise<RawLlama> {
  if (!environment.ok) throw new Error('unreachable');
  const { loadLlama } = await import('../../src/models/ggufRuntime.js');
  return (await loadLlama(environment.runtime, TEST_SETTINGS)) as unknown as RawLlama;
}

function probabilitiesOf(logits: Float32Array): number[] {
  return Array.from(logits, (value) => Math.exp(value));
}

function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total += Math.abs((p[i] as number) - (q[i] as number));
  return total / 2;
}

beforeAll(async () => {
  environment = await ggufEnvironment();
});

afterAll(async () => {
  for (const model of opened) await model.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('openGgufModel: loading', () => {
  it('opens the file as a LanguageModel: vocabulary, BOS, stop tokens, architecture, chat template', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    expect(model.id).toBe(`gguf:${paths.spm}`);
    expect(model.architecture).toBe('llama');
    expect(model.vocabSize).toBe(spm.config.vocabSize);
    expect(model.bos).toBe(spm.bos);
    expect(model.addsBos).toBe(true);
    expect(model.contextSize).toBe(256);
    expect(model.stopTokens).toEqual([spm.eos, spm.imEnd]);
    expect(model.chatTemplate).toBe('ChatML');
    const withoutTemplate = await open(paths.plain);
    expect(withoutTemplate.chatTemplate).toBeNull();
    expect(() => withoutTemplate.chatPrompt([{ role: 'user', content: 'hi' }])).toThrow(/no chat template/);
  });

  it('opens through openModel("gguf:PATH")', async (context) => {
    needsLlama(context);
    const model = await openModel(`gguf:${paths.bpe}`, { gguf: { ...TEST_SETTINGS, ...(environment.ok ? { runtime: environment.runtime } : {}) } });
    opened.push(model as GgufModel);
    expect(model.id).toBe(`gguf:${paths.bpe}`);
    expect(model.vocabSize).toBe(bpe.config.vocabSize);
  });

  it('says which file llama.cpp rejects', async (context) => {
    needsLlama(context);
    const broken = buildTinyLlama().bytes.subarray(0, 4000); // a cut file: header fine, tensors missing
    const path = join(directory, 'broken.gguf');
    (await import('node:fs')).writeFileSync(path, broken);
    await expect(open(path)).rejects.toThrow(/broken\.gguf/);
  });
});

describe('nextLogits: the raw next-token distribution', () => {
  it('covers the whole vocabulary, sums to 1, and is what llama.cpp reports at temperature 1', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    const prompt = model.encode('the cat is on the mat. The');
    const logits = await model.nextLogits(prompt);
    expect(logits).toHaveLength(spm.config.vocabSize);
    const probabilities = probabilitiesOf(logits);
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    expect(probabilities.every((p) => p > 0)).toBe(true); // a softmax: nothing truncated
    // llama.cpp's own evaluation, on a fresh context: the first token's probabilities at temperature 1, no truncation
    const raw = await (await rawLlama()).loadModel({ modelPath: paths.spm });
    const rawContext = await raw.createContext({ contextSize: 256, threads: 1 });
    const iterator = rawContext.getSequence().evaluateWithMetadata([spm.bos, ...prompt], { probabilities: true }, { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 1 });
    const first = (await iterator.next()).value as { probabilities: Map<number, number> };
    await iterator.return(undefined);
    expect(first.probabilities.size).toBe(spm.config.vocabSize);
    for (let token = 0; token < spm.config.vocabSize; token++) expect(probabilities[token]).toBeCloseTo(first.probabilities.get(token) as number, 6);
    await rawContext.dispose();
    await raw.dispose();
  });

  it("is the model's distribution: a float64 forward pass of the same weights agrees", async (context) => {
    needsLlama(context);
    for (const [tiny, path] of [
      [spm, paths.spm],
      [bpe, paths.bpe],
    ] as [TinyLlama, string][]) {
      const model = await open(path);
      const prompt = model.encode('the cat is on the mat. The Cat');
      const expected = logSoftmax(referenceLogits(tiny, [tiny.bos, ...prompt]));
      // llama.cpp with a float32 KV cache and no flash attention: the same numbers to ~1e-5
      const raw = await (await rawLlama()).loadModel({ modelPath: path });
      const exact = await raw.createContext({ contextSize: 256, threads: 1, flashAttention: false, experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32' });
      const tokens = [tiny.bos, ...prompt];
      const results = await exact.getSequence().controlledEvaluate([...tokens.slice(0, -1), [tokens[tokens.length - 1], { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 0 } } }]]);
      const exactProbabilities = results[tokens.length - 1]?.next.probabilities as Map<number, number>;
      for (let token = 0; token < tiny.config.vocabSize; token++) expect(Math.abs(Math.log(exactProbabilities.get(token) as number) - (expected[token] as number))).toBeLessThan(1e-4);
      await exact.dispose();
      await raw.dispose();
      // our model, with llama.cpp's default float16 KV cache: close in distribution
      const logits = await model.nextLogits(prompt);
      expect(totalVariation(probabilitiesOf(logits), Array.from(expected, Math.exp))).toBeLessThan(0.02);
      expect(logits.indexOf(Math.max(...logits))).toBe(expected.indexOf(Math.max(...expected)));
    }
  });

  it('reuses the cached prefix: growing, cut and branched contexts give the numbers of a fresh evaluation', async (context) => {
    needsLlama(context);
    const model = await open(paths.bpe);
    const fresh = async (tokens: number[]): Promise<Float32Array> => {
      const once = await open(paths.bpe);
      const logits = await once.nextLogits(tokens);
      await once.close();
      return logits;
    };
    const base = model.encode('the cat is on the mat');
    const steps = [base, [...base, 10], base.slice(0, 3), [...base.slice(0, 3), 42, 43], base, [bpe.bos, ...base]];
    for (const tokens of steps) {
      const logits = await model.nextLogits(tokens);
      const expected = await fresh(tokens);
      for (let token = 0; token < logits.length; token++) expect(logits[token]).toBeCloseTo(expected[token] as number, 4);
    }
  });

  it('fills and returns `out`, and answers concurrent calls as sequential ones', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm, { sequences: 2 });
    const contexts = [model.encode('the cat'), model.encode('on the mat'), model.encode('the cat is'), model.encode('an order')];
    const sequential: Float32Array[] = [];
    for (const tokens of contexts) sequential.push(Float32Array.from(await model.nextLogits(tokens)));
    const concurrent = await Promise.all([...contexts, ...contexts].map((tokens) => model.nextLogits(tokens)));
    concurrent.forEach((logits, index) => {
      const expected = sequential[index % contexts.length] as Float32Array;
      for (let token = 0; token < logits.length; token++) expect(logits[token]).toBeCloseTo(expected[token] as number, 4);
    });
    const out = new Float32Array(model.vocabSize);
    expect(await model.nextLogits(contexts[0] as number[], out)).toBe(out);
    out.forEach((value, token) => expect(value).toBeCloseTo((sequential[0] as Float32Array)[token] as number, 4));
  });

  it('rejects token ids outside the vocabulary, a wrong `out`, and contexts longer than the context size', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm, { contextSize: 16 });
    await expect(model.nextLogits([5, spm.config.vocabSize])).rejects.toThrow(InvalidParameterError);
    await expect(model.nextLogits([5, -1])).rejects.toThrow(/context\[1\] = -1 is out of range/);
    await expect(model.nextLogits([5], new Float32Array(3))).rejects.toThrow(/out.length = 3/);
    await expect(model.nextLogits(new Array<number>(16).fill(300))).rejects.toThrow(/at most 16 tokens/);
    expect((await model.nextLogits(new Array<number>(15).fill(300))).length).toBe(spm.config.vocabSize);
  });
});

describe("the model's tokenizer", () => {
  it('encodes and decodes: byte-level BPE round-trips any text exactly', async (context) => {
    needsLlama(context);
    const model = await open(paths.bpe);
    for (const text of ['the cat is on the mat.', 'The Cat! Ünïcödé ✓ 猫\nnew line', ' leading and trailing ', '']) {
      const tokens = model.encode(text);
      expect(tokens.every((token) => Number.isInteger(token) && token >= 0 && token < model.vocabSize)).toBe(true);
      expect(model.decode(tokens)).toBe(text);
    }
    expect(model.encode('the cat')).toEqual([116, bpe.tokens.indexOf('he'), bpe.tokens.indexOf('Ġcat')]);
    expect(model.encode('<|im_start|>user')[0]).toBe(bpe.imStart); // special-token text is the special token
    expect(model.decode([bpe.imStart, 117])).toBe('u'); // special tokens are left out of text
  });

  it("SentencePiece: merges by score, falls back to bytes, and decode keeps a continuation's leading space", async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    const tokens = model.encode('the cat');
    expect(tokens.map((token) => spm.tokens[token])).toEqual(['▁the', '▁cat']);
    expect(model.encode('É').map((token) => spm.tokens[token])).toEqual(['▁', '<0xC3>', '<0x89>']);
    expect(model.decode(tokens)).toBe(' the cat'); // as llama.cpp prints pieces: the text after a context
    expect(model.decode(model.encode('Ünïcödé ✓'))).toBe(' Ünïcödé ✓');
  });

  it('tokenText: readable pieces, special tokens by name, partial UTF-8 bytes escaped', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    expect(model.tokenText(spm.tokens.indexOf('▁cat'))).toBe(' cat');
    expect(model.tokenText(spm.imEnd)).toBe('<|im_end|>');
    expect(model.tokenText(spm.tokens.indexOf('<0xC3>'))).toBe('\\xC3');
    expect(model.tokenText(spm.tokens.indexOf('<0x41>'))).toBe('A');
    const byteLevel = await open(paths.bpe);
    expect(byteLevel.tokenText(byteLevel.encode(' cat')[0] as number)).toBe(' cat');
    expect(byteLevel.tokenText(bpe.tokens.indexOf('Ã'))).toBe('\\xC3');
    expect(() => model.tokenText(model.vocabSize)).toThrow(KnobsError);
  });
});

describe('generation with our chain', () => {
  it('is seeded: the same seed gives the same completion, another seed another one', async (context) => {
    needsLlama(context);
    const model = await open(paths.bpe);
    const run = (seed: number): Promise<number[]> => generate(model, 'the cat', [{ top_k: 50 }, { temperature: 1.5 }], { seed, maxTokens: 12, stopAtStopTokens: false }).then(([completion]) => completion?.tokens ?? []);
    const first = await run(1);
    expect(first).toHaveLength(12);
    expect(await run(1)).toEqual(first);
    const others = await Promise.all([2, 3, 4].map(run));
    expect(others.some((tokens) => tokens.join() !== first.join())).toBe(true);
  });

  it("greedy (temperature 0) takes llama.cpp's own greedy path, token for token", async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    const prompt = model.encode('the cat is on');
    const [completion] = await generate(model, prompt, [{ temperature: 0 }], { maxTokens: 10, stopAtStopTokens: false });
    const raw = await (await rawLlama()).loadModel({ modelPath: paths.spm });
    const rawContext = await raw.createContext({ contextSize: 256, threads: 1 });
    const expected: number[] = [];
    for await (const token of rawContext.getSequence().evaluate([spm.bos, ...prompt], { temperature: 0 })) {
      expected.push(token);
      if (expected.length === 10) break;
    }
    await rawContext.dispose();
    await raw.dispose();
    expect(completion?.tokens).toEqual(expected);
    expect(completion?.text).toBe(model.decode(expected));
  });

  it('stops at the end-of-generation tokens', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    const [completion] = await generate(model, 'the', [{ logit_bias: { [spm.eos]: 100 } }], { seed: 3, maxTokens: 5 });
    expect(completion?.finishReason).toBe('stop');
    expect(completion?.tokens).toEqual([]);
  });
});

describe('chat templates', () => {
  it("renders a conversation with the file's template, ready for the reply, with its stop tokens", async (context) => {
    needsLlama(context);
    const model = await open(paths.bpe);
    const prompt = model.chatPrompt([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
    expect(prompt.text).toBe('<|begin_of_text|><|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
    expect(prompt.tokens[0]).toBe(bpe.bos);
    expect(prompt.tokens.filter((token) => token === bpe.imStart)).toHaveLength(3);
    expect(prompt.stopTokens).toContain(bpe.imEnd);
    const logits = await model.nextLogits(prompt.tokens); // BOS already there: not added twice
    expect(logits).toEqual(await model.nextLogits(prompt.tokens.slice(1)));
  });
});

describe('close', () => {
  it('frees the model; using it afterwards is an error', async (context) => {
    needsLlama(context);
    const model = await open(paths.spm);
    await model.close();
    await model.close();
    expect(() => model.encode('the')).toThrow(/is closed/);
    await expect(model.nextLogits([300])).rejects.toThrow(/is closed/);
  });
});
