import { describe, expect, it } from 'vitest';
import { expandJobs } from '../../src/experiments/expandJobs.js';
import { CONFIRM_ABOVE, describePreview, previewRun } from '../../src/experiments/preview.js';
import { parseExperimentSpec } from '../../src/experiments/experimentSpec.js';
import {
  ANTHROPIC_TEMPERATURE_ERRATUM,
  clampAnthropicTemperature,
  presetTarget,
  pythonFloat,
  SEED_ANTHROPIC_SYSTEM,
  SEED_DETERMINISM_TESTS,
  seedAnthropicPreset,
  seedOpenAIPreset,
} from '../../src/experiments/presets.js';
import { determinismSpec } from '../../src/experiments/runDeterminism.js';

describe('seed presets', () => {
  it('seed-openai is openai_generate.py: gpt-4o-mini, temperatures 0 / 0.5 / 1 / 1.5 with top_p 1, 3 x 50 tokens, 70 characters', () => {
    const preset = seedOpenAIPreset();
    expect(preset.title).toBe('TEMPERATURE EXPERIMENT (OpenAI)');
    expect(preset.printChars).toBe(70);
    expect(preset.spec.targets).toEqual([{ provider: 'openai', model: 'gpt-4o-mini', label: 'openai/gpt-4o-mini', concurrency: 4 }]);
    expect(preset.spec.prompts).toEqual([{ id: 'robot-sunset', prompt: 'Complete this sentence creatively: The robot looked at the sunset and felt' }]);
    expect(preset.spec.points.map((point) => point.settings)).toEqual([
      { top_p: 1, temperature: 0 },
      { top_p: 1, temperature: 0.5 },
      { top_p: 1, temperature: 1 },
      { top_p: 1, temperature: 1.5 },
    ]);
    expect([preset.spec.n, preset.spec.maxTokens]).toEqual([3, 50]);
    expect(expandJobs(preset.spec)).toHaveLength(12);
  });

  it('seed-anthropic is anthropic_generate.py with the system prompt, 0 / 0.3 / 0.7 / 1, 80 characters, and the correction', () => {
    const preset = seedAnthropicPreset();
    expect(preset.title).toBe('TEMPERATURE EXPERIMENT (Anthropic Claude)');
    expect(preset.printChars).toBe(80);
    expect(preset.spec.targets[0]).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-haiku-20241022' });
    expect(preset.spec.prompts[0]).toEqual({
      id: 'robot-sunset',
      prompt: 'Complete this sentence with a single continuation: The robot looked at the sunset and felt',
      system: 'You are a creative writing assistant. Reply with only the sentence completion: no preamble, no alternatives, no explanation.',
    });
    expect(SEED_ANTHROPIC_SYSTEM).not.toContain('paraphrase');
    expect(preset.spec.points.map((point) => point.settings)).toEqual([{ temperature: 0 }, { temperature: 0.3 }, { temperature: 0.7 }, { temperature: 1 }]);
    expect(preset.notes).toEqual([
      "Note: Since Anthropic's temperature range is 0.0–1.0, we test at 0.0, 0.3, 0.7, and 1.0.",
      'Correction (blog errata): Anthropic temperatures are clamped to [0,1], not scaled proportionally',
    ]);
    expect(ANTHROPIC_TEMPERATURE_ERRATUM).toBe('Anthropic temperatures are clamped to [0,1], not scaled proportionally');
  });

  it('clamps like max(0.0, min(1.0, t)), not scaling: 1.5 -> 1, not 0.75', () => {
    expect([-0.5, 0, 0.3, 1, 1.5, 2].map(clampAnthropicTemperature)).toEqual([0, 0, 0.3, 1, 1, 1]);
  });

  it('run offline with --provider local on the embedded model, naming where they ran', () => {
    const preset = seedOpenAIPreset({ provider: 'local', n: 2, seed: 7 });
    expect(preset.title).toBe('TEMPERATURE EXPERIMENT (OpenAI on local/embedded)');
    expect(preset.spec.targets[0]).toMatchObject({ provider: 'local', model: 'embedded' });
    expect(expandJobs(preset.spec).slice(0, 2).map((job) => job.seed)).toEqual([7, 8]);
    expect(() => presetTarget('openai', { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1' })).toThrow('--model = undefined is out of range: expected a model name for the openai-compatible provider');
  });

  it('pythonFloat prints like Python', () => {
    expect([0, 0.5, 1, 1.5].map(pythonFloat)).toEqual(['0.0', '0.5', '1.0', '1.5']);
  });
});

describe('the determinism preset', () => {
  it('is test_determinism.py: "What is 2 + 2?" x 10 and the robot paragraph x 5', () => {
    expect(SEED_DETERMINISM_TESTS).toEqual([
      { title: 'Simple math question', prompt: 'What is 2 + 2?', trials: 10, publishedUnique: 1 },
      { title: 'Creative prompt (longer output)', prompt: 'Write a paragraph about a robot discovering emotions.', trials: 5, publishedUnique: 2 },
    ]);
  });

  it('sends temperature 0 and top_p 1 (top_p left out where exclusive), 50 tokens, the same seed each trial', () => {
    const request = { prompts: SEED_DETERMINISM_TESTS, target: { provider: 'local', model: 'embedded' }, seed: 3 };
    const spec = determinismSpec(request, { logprobs: true, exclusiveTopP: false });
    const jobs = expandJobs(spec);
    expect(jobs).toHaveLength(15);
    expect(new Set(jobs.map((job) => job.seed))).toEqual(new Set([3]));
    expect(spec.points).toEqual([{ settings: { temperature: 0, top_p: 1 } }]);
    expect([spec.maxTokens, spec.logprobs, spec.topLogprobs]).toEqual([50, true, 5]);
    expect(determinismSpec(request, { logprobs: false, exclusiveTopP: true }).points).toEqual([{ settings: { temperature: 0 } }]);
  });
});

describe('previewRun', () => {
  it(`counts pending and paid requests per target; more than ${CONFIRM_ABOVE} paid ask for confirmation`, () => {
    const spec = parseExperimentSpec({ prompts: ['a', 'b'], providers: ['local', 'openai:gpt-4o-mini'], grid: 'temperature=0,1', n: 30 });
    const preview = previewRun(spec);
    expect(preview).toEqual({
      total: 240,
      pending: 240,
      paid: 120,
      byTarget: [
        { label: 'local/embedded', pending: 120, paid: false },
        { label: 'openai/gpt-4o-mini', pending: 120, paid: true },
      ],
    });
    expect(describePreview(preview)).toBe('240 requests (120 paid): local/embedded 120, openai/gpt-4o-mini 120 (paid)');
    // Jobs run prompt by prompt: the first 130 are prompt a (60 local, 60 openai) and 10 local of b.
    const done = new Set(expandJobs(spec).slice(0, 130).map((job) => job.key));
    expect(describePreview(previewRun(spec, done))).toBe('110 requests (60 paid), 130 already done: local/embedded 50, openai/gpt-4o-mini 60 (paid)');
  });
});
