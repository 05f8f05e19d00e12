import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { chiSquareTest } from '../../src/analysis/chiSquare.js';
import { createSampler } from '../../src/samplers/chain.js';
import type { ChainSpec } from '../../src/samplers/spec.js';
import { INSTALL, peer, type Peer } from './peers.js';
import { encodeWords, referenceTokens, tableProbabilities, tableRow, VOCAB_SIZE, writeTinyDecoder } from './tinyDecoder.js';

type Adapter = typeof import('../../src/adapters/transformers.js');

/** What the tests use of transformers.js (described here, so that type-checking needs no peer installed). */
interface Tensor {
  readonly type: string;
  readonly dims: number[];
  readonly data: unknown;
  tolist(): unknown[];
}
interface Model {
  generate(options: Record<string, unknown>): Promise<unknown>;
  readonly generation_config: unknown;
}
interface Transformers {
  env: { allowRemoteModels: boolean; localModelPath: string };
  AutoModelForCausalLM: { from_pretrained(id: string, options: Record<string, unknown>): Promise<Model> };
  Tensor: new (type: string, data: ArrayLike<number | bigint>, dims: number[]) => Tensor;
  LogitsProcessor: abstract new () => object;
  random: { seed(seed: number): void };
}

const directory = mkdtempSync(join(tmpdir(), 'knobs-transformers-'));
let runtime: Peer<Transformers>;
let adapter: Adapter;
let model32: Model;
let model16: Model;

beforeAll(async () => {
  runtime = await peer<Transformers>('@huggingface/transformers', INSTALL.transformers);
  if (!runtime.ok) return;
  writeTinyDecoder(directory, 'tiny-bigram');
  const { env, AutoModelForCausalLM } = runtime.module;
  env.allowRemoteModels = false;
  env.localModelPath = directory;
  model32 = await AutoModelForCausalLM.from_pretrained('tiny-bigram', { local_files_only: true, dtype: 'fp32', device: 'cpu' });
  model16 = await AutoModelForCausalLM.from_pretrained('tiny-bigram', { local_files_only: true, dtype: 'fp16', device: 'cpu' });
  adapter = await import('../../src/adapters/transformers.js');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function needs(context: TestContext): Transformers {
  if (!runtime.ok) context.skip(runtime.reason);
  return (runtime as { module: Transformers }).module;
}

/** A batch of prompts (equal lengths) as an int64 input_ids tensor and its attention mask. */
function batch(tf: Transformers, prompts: number[][]): { input_ids: Tensor; attention_mask: Tensor } {
  const width = (prompts[0] as number[]).length;
  const ids = BigInt64Array.from(prompts.flat(), (id) => BigInt(id));
  return {
    input_ids: new tf.Tensor('int64', ids, [prompts.length, width]),
    attention_mask: new tf.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [prompts.length, width]),
  };
}

/** The generated ids of each row (after the prompt) of generate()'s output. */
function generated(output: unknown, promptLength: number): number[][] {
  return (output as { tolist(): bigint[][] }).tolist().map((row) => row.slice(promptLength).map(Number));
}

/** Counts of the next token over all rows. */
function counts(rows: number[][]): number[] {
  const result = new Array<number>(VOCAB_SIZE).fill(0);
  for (const row of rows) result[row[0] as number]! += 1;
  return result;
}

/** The top-p nucleus of a float64 distribution, by hand: most likely first (ties: lower id), the smallest prefix reaching p. */
function nucleus(probabilities: number[], p: number): Set<number> {
  const order = probabilities.map((_, id) => id).sort((a, b) => (probabilities[b] as number) - (probabilities[a] as number) || a - b);
  const kept = new Set<number>();
  let mass = 0;
  for (const id of order) {
    kept.add(id);
    mass += probabilities[id] as number;
    if (mass >= p) break;
  }
  return kept;
}

const CHAIN: ChainSpec = [{ penalties: { repeat: 1.3, frequency: 0.4, presence: 0.2 } }, { top_k: 8 }, { top_p: 0.9 }, { min_p: 0.08 }, { temperature: 0.9 }];
const PROMPTS = [encodeWords('the cat'), encodeWords('a big'), encodeWords('red dog')];
const STEPS = 12;

describe('creativity-knobs/transformers inside transformers.js generate()', () => {
  it("the written model really is the table: transformers.js's greedy decoding follows its argmax", async (context) => {
    const tf = needs(context);
    const output = await model32.generate({ ...batch(tf, [encodeWords('the')]), max_new_tokens: 6, do_sample: false });
    let last = encodeWords('the')[0] as number;
    const expected: number[] = [];
    for (let step = 0; step < 6; step++) {
      const row = tableRow(last);
      last = row.indexOf(Math.max(...row));
      expected.push(last);
    }
    expect(generated(output, 1)[0]).toEqual(expected);
  });

  it('pick mode: generate() with the processor gives exactly the tokens our sampler draws, each row with seed + row', async (context) => {
    const tf = needs(context);
    const processor = adapter.knobsLogitsProcessor(CHAIN, { seed: 11 });
    const run = async () => generated(await model32.generate({ ...batch(tf, PROMPTS), max_new_tokens: STEPS, do_sample: false, logits_processor: [processor] }), 2);
    const rows = await run();
    const expected = PROMPTS.map((prompt, row) => referenceTokens(CHAIN, { seed: 11 + row, prompt, steps: STEPS }));
    expect(rows).toEqual(expected);
    // a second generate() with the same processor starts again from the seed
    expect(await run()).toEqual(expected);
    // and the draws are not those of transformers.js's greedy choice
    expect(expected.some((tokens, row) => tokens[0] !== tableRow(PROMPTS[row]!.at(-1)!).indexOf(1.5))).toBe(true);
  });

  it('penalties tell the prompt from the generated tokens (vLLM profile: additive penalties count generated tokens only)', async (context) => {
    const tf = needs(context);
    const chain: ChainSpec = [{ penalties: { frequency: 1.5, presence: 1.5 } }, { temperature: 0.7 }];
    const prompt = encodeWords('the a and park cat sat');
    const output = await model32.generate({ ...batch(tf, [prompt]), max_new_tokens: STEPS, do_sample: false, logits_processor: [adapter.knobsLogitsProcessor(chain, { seed: 3, engine: 'vllm' })] });
    const tokens = generated(output, prompt.length)[0];
    expect(tokens).toEqual(referenceTokens(chain, { seed: 3, prompt, steps: STEPS, engine: 'vllm' }));
    // had the prompt been counted as generated, the draws would differ: the test can tell
    const asHistory = createSampler(chain, { seed: 3, engine: 'vllm', history: prompt.slice(0, -1), prompt: [] });
    let last = prompt.at(-1) as number;
    const wrong: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      last = asHistory.sample(Float32Array.from(tableRow(last)));
      asHistory.accept(last);
      wrong.push(last);
    }
    expect(tokens).not.toEqual(wrong);
  });

  it('knobsGenerate: the float16 model gives the same tokens, and the sampling options it overrides are reported', async (context) => {
    const tf = needs(context);
    const warnings: string[] = [];
    const output = await adapter.knobsGenerate(model16, batch(tf, PROMPTS).input_ids, CHAIN, {
      seed: 11,
      max_new_tokens: STEPS,
      temperature: 0.5,
      top_p: 0.3,
      onWarning: (message) => warnings.push(message),
    });
    expect(generated(output, 2)).toEqual(PROMPTS.map((prompt, row) => referenceTokens(CHAIN, { seed: 11 + row, prompt, steps: STEPS })));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/temperature = 0\.5 ignored/);
    expect(warnings[1]).toMatch(/top_p = 0\.3 ignored \(transformers\.js never applies it\)/);
  });

  it("knobsGenerate warns about the model's own generation config and runs with it neutral", async (context) => {
    const tf = needs(context);
    const config = model32.generation_config as unknown as Record<string, unknown>;
    const saved = new Map(['temperature', 'repetition_penalty'].map((key) => [key, Object.getOwnPropertyDescriptor(config, key)]));
    Object.assign(config, { temperature: 0.2, repetition_penalty: 1.5 });
    try {
      const warnings: string[] = [];
      const output = await adapter.knobsGenerate(model32, batch(tf, PROMPTS), CHAIN, { seed: 5, max_new_tokens: STEPS, onWarning: (message) => warnings.push(message) });
      expect(warnings.map((message) => /sets (\w+) =/.exec(message)?.[1])).toEqual(['temperature', 'repetition_penalty']);
      expect(generated(output, 2)).toEqual(PROMPTS.map((prompt, row) => referenceTokens(CHAIN, { seed: 5 + row, prompt, steps: STEPS })));
    } finally {
      for (const [key, descriptor] of saved) {
        if (descriptor) Object.defineProperty(config, key, descriptor);
        else delete config[key];
      }
    }
  });

  const DRAWS = 256;
  const THE = encodeWords('the');
  const probabilities = tableProbabilities(THE[0] as number);
  const core = nucleus(probabilities, 0.5);

  it("transformers.js alone ignores top_p: its draws leave the nucleus and follow the plain softmax", async (context) => {
    const tf = needs(context);
    expect([...core].sort((a, b) => a - b)).toEqual(encodeWords('sat on mat a').sort((a, b) => a - b)); // by hand: 0.195 + 0.152 + 0.118 + 0.092 >= 0.5
    tf.random.seed(2024);
    const output = await model32.generate({ ...batch(tf, Array.from({ length: DRAWS }, () => THE)), max_new_tokens: 1, do_sample: true, top_p: 0.5, top_k: 0 });
    const observed = counts(generated(output, 1));
    const outside = observed.reduce((sum, count, id) => sum + (core.has(id) ? 0 : count), 0);
    expect(outside).toBeGreaterThan(DRAWS * 0.3); // about 44% of the mass lies outside the nucleus
    expect(chiSquareTest(observed, probabilities).pValue).toBeGreaterThan(0.001);
    const nucleusOnly = probabilities.map((p, id) => (core.has(id) ? p : 0));
    expect(chiSquareTest(observed, nucleusOnly).pValue).toBe(0);
  });

  it("filter mode: transformers.js's own draws stay inside the nucleus and follow our probabilities", async (context) => {
    const tf = needs(context);
    const chain: ChainSpec = [{ top_p: 0.5 }];
    const ours = createSampler(chain).distribution(Float32Array.from(tableRow(THE[0] as number)));
    expect([...ours.keys()].filter((id) => (ours[id] as number) > 0)).toEqual([...core].sort((a, b) => a - b));
    const output = await adapter.knobsGenerate(model32, batch(tf, Array.from({ length: DRAWS }, () => THE)), chain, { mode: 'filter', seed: 2024, max_new_tokens: 1 });
    const observed = counts(generated(output, 1));
    expect(observed.reduce((sum, count, id) => sum + (core.has(id) ? 0 : count), 0)).toBe(0);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(DRAWS);
    expect(chiSquareTest(observed, ours).pValue).toBeGreaterThan(0.001);
  });

  it('pick mode over 256 rows: our draws, inside the nucleus, following our probabilities', async (context) => {
    const tf = needs(context);
    const chain: ChainSpec = [{ top_p: 0.5 }];
    const output = await model32.generate({ ...batch(tf, Array.from({ length: DRAWS }, () => THE)), max_new_tokens: 1, do_sample: false, logits_processor: [adapter.knobsLogitsProcessor(chain, { seed: 100 })] });
    const rows = generated(output, 1);
    expect(rows.map((row) => row[0])).toEqual(rows.map((_, row) => referenceTokens(chain, { seed: 100 + row, prompt: THE, steps: 1 })[0]));
    const observed = counts(rows);
    expect(observed.reduce((sum, count, id) => sum + (core.has(id) ? 0 : count), 0)).toBe(0);
    expect(chiSquareTest(observed, createSampler(chain).distribution(Float32Array.from(tableRow(THE[0] as number)))).pValue).toBeGreaterThan(0.001);
  });

  it('filter mode refuses a chain whose stage draws by itself; a bad chain throws before generate()', (context) => {
    needs(context);
    expect(() => adapter.knobsLogitsProcessor([{ top_k: 5 }, { xtc: { threshold: 0.1, probability: 0.5 } }], { mode: 'filter' })).toThrow(/chain\[1\] xtc draws by itself.*use mode "pick"/);
    expect(() => adapter.knobsLogitsProcessor([{ mirostat: { version: 2, tau: 5, eta: 0.1 } }], { mode: 'filter' })).toThrow(/mirostat draws by itself/);
    expect(() => adapter.knobsLogitsProcessor([{ xtc: { threshold: 0.1, probability: 0.5 } }])).not.toThrow();
    expect(() => adapter.knobsLogitsProcessor([{ top_p: 2 }])).toThrow(/top_p/);
    expect(() => adapter.knobsLogitsProcessor([{ top_k: 5 }], { mode: 'sample' as never })).toThrow(/mode = "sample" is invalid/);
  });

  it('the processor is a real transformers.js LogitsProcessor', (context) => {
    const tf = needs(context);
    const processor = adapter.knobsLogitsProcessor([{ top_k: 2 }]);
    expect(processor).toBeInstanceOf(tf.LogitsProcessor);
    const logits = new tf.Tensor('float32', Float32Array.of(0, 3, 1, 2), [1, 4]);
    processor([[1n]], logits);
    expect(Array.from(logits.data as Float32Array).filter(Number.isFinite)).toEqual([0]);
  });
});
