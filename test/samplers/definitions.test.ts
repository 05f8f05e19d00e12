import { Command } from 'commander';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChainOptions, addKnobFlags, chainFromOptions, knobFlags } from '../../src/cli/inputs.js';
import {
  checkParameter,
  createSampler,
  defineSampler,
  engineDefaultChain,
  engineDifferences,
  getProfile,
  listProfiles,
  registerSampler,
  resolveParameters,
  samplerDefinition,
  samplerDefinitions,
  unregisterSampler,
  type Candidates,
  type ParameterSpec,
  type Sampler,
} from '../../src/index.js';
import { chainFromKnobFields, isKnobField } from '../../src/providers/knobFields.js';
import { paramControl } from '../../web/src/knobs/ranges.js';
import { initialParams, samplerNames } from '../../web/src/state/stages.js';
import { model, startServer } from '../server/harness.js';

/**
 * One definition per sampler: a sampler registered at run time (here a test-only one that
 * keeps a single token id) shows up everywhere definitions are read, with no other edit.
 */
const ID: ParameterSpec = {
  name: 'id',
  kind: 'integer',
  default: -1,
  range: { min: -1, max: Infinity },
  neutral: -1,
  hint: 'the only token kept; -1 disables',
  control: { min: -1, max: 100, step: 1, initial: 3 },
  fields: ['test_keep_token'],
  flag: 'test-keep-token',
};

function keepToken({ id }: { id: number }): Sampler {
  checkParameter('test_keep_token', ID, id);
  return {
    name: 'test_keep_token',
    apply(candidates: Candidates) {
      if (id < 0) return;
      const position = Array.prototype.indexOf.call(candidates.ids.subarray(0, candidates.size), id);
      if (position >= 0) candidates.keepOnly(position);
    },
  };
}

const TEST_SAMPLER = defineSampler({
  name: 'test_keep_token',
  summary: 'test only: keep one token id',
  parameters: [ID],
  // between top_p (60) and min_p (70) under knobs; llama.cpp gets it first of all
  engines: { knobs: { order: 65 }, 'llama.cpp': { order: 5, defaults: { id: 2 } } },
  create: keepToken,
});

describe('a sampler registered at run time appears wherever definitions are read', () => {
  beforeAll(() => registerSampler(TEST_SAMPLER));
  afterAll(() => unregisterSampler('test_keep_token'));

  it('is in the profiles that list it, at its rank, and only there', () => {
    const knobsOrder = getProfile('knobs').defaultOrder;
    expect(knobsOrder.slice(knobsOrder.indexOf('top_p'), knobsOrder.indexOf('top_p') + 3)).toEqual(['top_p', 'test_keep_token', 'min_p']);
    expect(getProfile('llama.cpp').defaultOrder[0]).toBe('test_keep_token');
    expect(getProfile('hf').supported).not.toContain('test_keep_token');
    expect(() => createSampler([{ test_keep_token: 1 }], { engine: 'hf' })).toThrow(/test_keep_token is not available under --engine hf/);
  });

  it('has its parameters resolved in one place, with the engine default', () => {
    expect(resolveParameters(samplerDefinition('test_keep_token'), {}, getProfile('knobs'))).toEqual({ id: -1 });
    expect(resolveParameters(samplerDefinition('test_keep_token'), {}, getProfile('llama.cpp'))).toEqual({ id: 2 });
    expect(createSampler([{ test_keep_token: {} }], { engine: 'llama.cpp' }).distribution(new Float32Array([0, 0, 0, 0]))).toEqual(new Float32Array([0, 0, 1, 0]));
    expect(() => createSampler([{ test_keep_token: 1.5 }])).toThrow('test_keep_token.id = 1.5 is out of range: expected an integer >= -1');
  });

  it('is a CLI knob flag, ordered by the engine', () => {
    expect(knobFlags().map((knob) => knob.flag)).toContain('test-keep-token');
    const command = addKnobFlags(addChainOptions(new Command('dist')));
    expect(command.options.map((option) => option.long)).toContain('--test-keep-token');
    expect(chainFromOptions({ topP: '0.9', minP: '0.05', testKeepToken: '3' })).toEqual([{ top_p: 0.9 }, { test_keep_token: 3 }, { min_p: 0.05 }]);
  });

  it('is a request field of knobs serve, applied over HTTP', async () => {
    expect(isKnobField('test_keep_token')).toBe(true);
    expect(chainFromKnobFields({ test_keep_token: -1 }).chain).toEqual([]);
    const [w] = model.encode('w');
    expect(w).toBeTypeOf('number');
    const { serve, url } = await startServer();
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'none', maxRetries: 0 });
      const body = { model: 'tiny', max_tokens: 3, seed: 1, messages: [{ role: 'user' as const, content: 'Say something.' }], test_keep_token: w };
      const response = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
      expect(response.choices[0]?.message.content).toBe('www');
    } finally {
      await serve.close();
    }
  });

  it('is a control of the playground, with its range and hint', () => {
    expect(samplerNames()).toContain('test_keep_token');
    expect(paramControl('test_keep_token', 'id')).toEqual({ min: -1, max: 100, step: 1, initial: 3, integer: true, hint: 'the only token kept; -1 disables' });
    expect(initialParams('test_keep_token')).toEqual({ id: 3 });
  });

  it('is in knobs engines', () => {
    const order = engineDifferences(true).find((row) => row.aspect === 'default order (flag-style settings)');
    expect(order?.values.knobs).toContain('top_p > test_keep_token > min_p');
    const missing = engineDifferences(true).find((row) => row.aspect === 'samplers not available');
    expect(missing?.values.hf).toContain('test_keep_token');
    expect(missing?.values.knobs).not.toContain('test_keep_token');
  });
});

describe('the profile table is derived from the definitions', () => {
  it("gives each engine's default order as read from its source", () => {
    // Orders transcribed from the engines (llama.cpp common_sampler_init, transformers
    // _get_logits_processor, vLLM Sampler.forward), independent of the ranks in the files.
    expect(getProfile('llama.cpp').defaultOrder).toEqual(['logit_bias', 'penalties', 'dry', 'top_n_sigma', 'top_k', 'typical_p', 'top_p', 'min_p', 'xtc', 'dynatemp', 'temperature', 'mirostat', 'adaptive_p', 'greedy']);
    expect(getProfile('hf').defaultOrder).toEqual(['logit_bias', 'penalties', 'no_repeat_ngram', 'bad_words', 'min_tokens', 'temperature', 'top_h', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon', 'eta', 'greedy']);
    expect(getProfile('vllm').defaultOrder).toEqual(['allowed_tokens', 'bad_words', 'min_tokens', 'logit_bias', 'penalties', 'temperature', 'min_p', 'top_k', 'top_p', 'greedy']);
  });

  it("gives the new engines' orders as the research notes read them", () => {
    // SGLang apply_logits_bias: penalizers (incl. min_new_tokens) → logit_bias; then temperature, top-k/top-p, min-p
    expect(getProfile('sglang').defaultOrder).toEqual(['penalties', 'min_tokens', 'logit_bias', 'temperature', 'top_k', 'top_p', 'min_p', 'greedy']);
    // current Ollama sends these fields to llama-server, which applies llama.cpp's order
    expect(getProfile('ollama').defaultOrder).toEqual(['penalties', 'top_k', 'typical_p', 'top_p', 'min_p', 'temperature', 'greedy']);
    // the Go sampler: top-k → temperature → softmax → top-p → min-p
    expect(getProfile('ollama-go').defaultOrder).toEqual(['top_k', 'temperature', 'top_p', 'min_p', 'greedy']);
    // koboldcpp: bias, DRY, then sampler_order [6,0,1,3,4,2,5] (min-p inside top-p's step; smoothing and n-sigma inside temperature's), XTC, adaptive-p
    expect(getProfile('koboldcpp').defaultOrder).toEqual(['logit_bias', 'dry', 'penalties', 'top_k', 'top_a', 'tfs', 'typical_p', 'top_p', 'min_p', 'temperature', 'dynatemp', 'smoothing', 'top_n_sigma', 'xtc', 'adaptive_p', 'mirostat', 'greedy']);
    // exllamav2: penalties, bans, token bias, then sample_basic's order; skew is the draw
    expect(getProfile('exllamav2').defaultOrder).toEqual(['penalties', 'min_tokens', 'logit_bias', 'allowed_tokens', 'smoothing', 'temperature', 'top_k', 'top_p', 'top_a', 'min_p', 'tfs', 'typical_p', 'dynatemp', 'skew', 'greedy']);
    // transformers.js (run): repetition, no-repeat-ngram, bad words, min new tokens, temperature; top-k inside the sampler
    expect(getProfile('transformers.js').defaultOrder.slice(0, 6)).toEqual(['penalties', 'no_repeat_ngram', 'bad_words', 'min_tokens', 'temperature', 'top_k']);
    // node-llama-cpp (run): token bias → penalties → DRY → top-k → top-p → min-p → XTC → temperature
    expect(getProfile('node-llama-cpp').defaultOrder).toEqual(['logit_bias', 'penalties', 'dry', 'top_k', 'top_p', 'min_p', 'xtc', 'temperature', 'greedy']);
  });

  it('lists the knobs an engine accepts but ignores, and createSampler warns about them', () => {
    expect(Object.keys(getProfile('transformers.js').ignored).sort()).toEqual(['epsilon', 'eta', 'min_p', 'top_p', 'typical_p']);
    const sampler = createSampler([{ top_p: 0.5 }, { temperature: 0.7 }], { engine: 'transformers.js' });
    expect(sampler.warnings).toHaveLength(1);
    expect(sampler.warnings[0]).toMatch(/^transformers\.js ignores top_p \(p = 0\.5\): /);
    // the stage does nothing: the distribution is temperature's alone
    const logits = new Float32Array([2, 1, 0]);
    expect(sampler.distribution(logits)).toEqual(createSampler([{ temperature: 0.7 }], { engine: 'transformers.js' }).distribution(logits));
    // one parameter ignored: SGLang's repetition penalty (still validated in (0, 2])
    const sglang = createSampler([{ penalties: { repeat: 1.3, presence: 0.5 } }], { engine: 'sglang', history: [0] });
    expect(sglang.warnings[0]).toMatch(/^sglang ignores penalties\.repeat = 1\.3/);
    expect(sglang.distribution(logits)[0]).toBeCloseTo(Math.exp(1.5) / (Math.exp(1.5) + Math.exp(1) + 1), 6);
    expect(() => createSampler([{ penalties: { repeat: 2.5 } }], { engine: 'sglang' })).toThrow(/\(0, 2\] under sglang/);
    // a neutral value is no knob at all: no warning
    expect(createSampler([{ top_p: 1 }], { engine: 'transformers.js' }).warnings).toEqual([]);
    // a knob an engine lacks stays an error
    expect(() => createSampler([{ xtc: { threshold: 0.1, probability: 1 } }], { engine: 'transformers.js' })).toThrow(/not available/);
  });

  it("gives each engine's defaults when nothing is set", () => {
    expect(engineDefaultChain(getProfile('hf'))).toEqual([{ temperature: 1 }, { top_k: 50 }, { top_p: 1 }]);
    expect(engineDefaultChain(getProfile('ollama'))).toContainEqual({ top_p: 0.9 });
    expect(engineDefaultChain(getProfile('ollama'))).toContainEqual({ min_p: 0 });
    expect(engineDefaultChain(getProfile('koboldcpp'))).toContainEqual({ top_k: 100 });
    expect(engineDefaultChain(getProfile('koboldcpp'))).toContainEqual({ temperature: 0.7 });
    expect(engineDefaultChain(getProfile('node-llama-cpp'))).toContainEqual({ temperature: 0 });
    expect(resolveParameters(samplerDefinition('penalties'), {}, getProfile('koboldcpp')).last_n).toBe(320);
    const llama = engineDefaultChain(getProfile('llama.cpp'));
    expect(llama.map((stage) => Object.keys(stage)[0])).toEqual(['penalties', 'dry', 'top_k', 'typical_p', 'top_p', 'min_p', 'xtc', 'temperature']);
    expect(llama).toContainEqual({ top_k: 40 });
    expect(llama).toContainEqual({ temperature: 0.8 });
    expect(resolveParameters(samplerDefinition('penalties'), {}, getProfile('llama.cpp')).last_n).toBe(64);
  });

  it('declares every parameter with a kind, a default and a hint, and every ordered sampler in some engine', () => {
    for (const definition of samplerDefinitions()) {
      expect(Object.keys(definition.engines).length, definition.name).toBeGreaterThan(0);
      for (const spec of definition.parameters) {
        expect(spec.hint.length, `${definition.name}.${spec.name}`).toBeGreaterThan(5);
        expect(spec.default, `${definition.name}.${spec.name}`).not.toBeUndefined();
      }
    }
    for (const profile of listProfiles()) expect(profile.supported).toContain('greedy');
  });
});
