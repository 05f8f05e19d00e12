import { InvalidParameterError } from '../core/errors.js';
import { seedExamples } from '../examples/index.js';
import { DEFAULT_MODELS, parseExperimentSpec, type ExperimentSpec } from './experimentSpec.js';
import type { ProviderTarget } from './job.js';

/** Where a preset is sent instead of the seed's provider (flags `--provider --model --base-url ...`). */
export interface TargetOverride {
  readonly provider?: string;
  readonly model?: string;
  readonly baseUrl?: string;
  readonly server?: string;
  readonly apiKeyEnv?: string;
}

/** Settings of a preset a user may change (`-n`, `--max-tokens`, `--seed`). */
export interface PresetOverrides extends TargetOverride {
  readonly n?: number;
  readonly maxTokens?: number;
  readonly seed?: number;
}

/** A seed experiment ready to run and print in the seed's layout. */
export interface TemperaturePreset {
  readonly spec: ExperimentSpec;
  /** The banner, e.g. `TEMPERATURE EXPERIMENT (OpenAI)`. */
  readonly title: string;
  /** Characters of each completion printed (the seed's `r[:70]`). */
  readonly printChars: number;
  /** Lines printed under the banner: the seed's note and corrections of the blog. */
  readonly notes: readonly string[];
}

const api = seedExamples.api_experiments;

/** The model a preset uses on a provider when `--model` is not given. */
const PRESET_MODELS: Readonly<Record<string, string>> = { openai: api.openai.model, anthropic: api.anthropic.model, ...DEFAULT_MODELS };

/**
 * The target of a preset: the seed's provider and model, or the override's provider with
 * its `--model` (the local provider defaults to `embedded`; OpenAI and Anthropic to the
 * seed's models; an OpenAI-compatible server needs both `--model` and `--base-url`).
 *
 * @example
 * presetTarget('openai', { provider: 'local' }); // { provider: 'local', model: 'embedded' }
 */
export function presetTarget(seedProvider: string, override: TargetOverride = {}): ProviderTarget {
  const provider = override.provider ?? seedProvider;
  const model = override.model ?? PRESET_MODELS[provider];
  if (model === undefined) throw new InvalidParameterError('--model', undefined, `a model name for the ${provider} provider`);
  return {
    provider,
    model,
    ...(override.baseUrl === undefined ? {} : { baseUrl: override.baseUrl }),
    ...(override.server === undefined ? {} : { server: override.server }),
    ...(override.apiKeyEnv === undefined ? {} : { apiKeyEnv: override.apiKeyEnv }),
  };
}

/** The spec's provider entry of a target. */
export function providerEntry(target: ProviderTarget): Record<string, unknown> {
  return {
    provider: target.provider,
    model: target.model,
    ...(target.baseUrl === undefined ? {} : { base_url: target.baseUrl }),
    ...(target.server === undefined ? {} : { server: target.server }),
    ...(target.apiKeyEnv === undefined ? {} : { api_key_env: target.apiKeyEnv }),
  };
}

const where = (target: ProviderTarget, seedProvider: string): string => (target.provider === seedProvider ? '' : ` on ${target.provider}/${target.model}`);

/**
 * `knobs experiment seed-openai`: openai_generate.py — the robot-sunset prompt at
 * temperatures 0, 0.5, 1, 1.5 with top_p 1, three completions each (one request each),
 * 50 tokens, the first 70 characters printed.
 *
 * @example
 * seedOpenAIPreset({ provider: 'local' }).spec.points.length; // 4
 */
export function seedOpenAIPreset(overrides: PresetOverrides = {}): TemperaturePreset {
  const seed = api.openai;
  const target = presetTarget('openai', overrides);
  const spec = parseExperimentSpec({
    name: 'seed-openai',
    prompts: [{ id: 'robot-sunset', prompt: seed.prompt }],
    providers: [providerEntry(target)],
    settings: { top_p: seed.top_p },
    grid: { temperature: seed.temperatures },
    n: overrides.n ?? seed.n,
    max_tokens: overrides.maxTokens ?? seed.max_tokens,
    ...(overrides.seed === undefined ? {} : { seed: overrides.seed }),
  });
  return { spec, title: `TEMPERATURE EXPERIMENT (OpenAI${where(target, 'openai')})`, printChars: seed.print_chars, notes: [] };
}

/** The system prompt of anthropic_generate.py, as the reference data paraphrases it. */
export const SEED_ANTHROPIC_SYSTEM = api.anthropic.system_gist.replace(/\s*\(paraphrase[^)]*\)\s*$/, '');

/** The blog's correction about Anthropic temperatures (from `blog_errata`). */
export const ANTHROPIC_TEMPERATURE_ERRATUM = seedExamples.blog_errata.find((line) => line.startsWith('Anthropic')) ?? 'Anthropic temperatures are clamped to [0,1], not scaled proportionally';

/**
 * Clamps a temperature to Anthropic's range [0, 1], as anthropic_generate.py did
 * (`max(0.0, min(1.0, t))`): 1.5 becomes 1, not 0.75 — the blog's "scaled proportionally"
 * is wrong.
 *
 * @example
 * clampAnthropicTemperature(1.5); // 1
 */
export function clampAnthropicTemperature(temperature: number): number {
  return Math.max(0, Math.min(1, temperature));
}

/**
 * `knobs experiment seed-anthropic`: anthropic_generate.py — the single-continuation
 * prompt with the creative-writing system prompt, at temperatures 0, 0.3, 0.7, 1 (clamped
 * to [0, 1] as the script did), three completions each, 50 tokens, 80 characters printed.
 * Its notes print the blog's correction: temperatures are clamped, not scaled.
 *
 * @example
 * seedAnthropicPreset({ provider: 'local' }).notes[1]; // 'Correction (blog errata): Anthropic temperatures are clamped to [0,1], not scaled proportionally'
 */
export function seedAnthropicPreset(overrides: PresetOverrides = {}): TemperaturePreset {
  const seed = api.anthropic;
  const target = presetTarget('anthropic', overrides);
  const temperatures = [...new Set(seed.temperatures.map(clampAnthropicTemperature))];
  const spec = parseExperimentSpec({
    name: 'seed-anthropic',
    system: SEED_ANTHROPIC_SYSTEM,
    prompts: [{ id: 'robot-sunset', prompt: seed.prompt }],
    providers: [providerEntry(target)],
    grid: { temperature: temperatures },
    n: overrides.n ?? seed.n,
    max_tokens: overrides.maxTokens ?? seed.max_tokens,
    ...(overrides.seed === undefined ? {} : { seed: overrides.seed }),
  });
  return {
    spec,
    title: `TEMPERATURE EXPERIMENT (Anthropic Claude${where(target, 'anthropic')})`,
    printChars: seed.print_chars,
    notes: [
      `Note: Since Anthropic's temperature range is 0.0–1.0, we test at ${temperatures.map(pythonFloat).join(', ').replace(/, ([^,]*)$/, ', and $1')}.`,
      `Correction (blog errata): ${ANTHROPIC_TEMPERATURE_ERRATUM}`,
    ],
  };
}

/** One test of test_determinism.py. */
export interface DeterminismTest {
  readonly title: string;
  readonly prompt: string;
  readonly trials: number;
  /** What the blog printed for gpt-4o-mini. */
  readonly publishedUnique: number;
}

const TITLES = ['Simple math question', 'Creative prompt (longer output)'];

/**
 * test_determinism.py: "What is 2 + 2?" ten times and the robot paragraph five times, at
 * temperature 0 with top_p 1 and 50 tokens, counting distinct responses.
 *
 * @example
 * SEED_DETERMINISM_TESTS.map((test) => test.trials); // [10, 5]
 */
export const SEED_DETERMINISM_TESTS: readonly DeterminismTest[] = seedExamples.determinism.tests.map((test, index) => ({
  title: TITLES[index] ?? `Test ${index + 1}`,
  prompt: test.prompt,
  trials: test.trials,
  publishedUnique: test.published_unique,
}));

/** Settings of a determinism test: temperature 0, top_p 1 (as test_determinism.py sent them). */
export const DETERMINISM_SETTINGS: Readonly<Record<string, number>> = { temperature: 0, top_p: 1 };

/**
 * A number as Python prints a float: `0.0`, `0.5`, `1.0`, `1.5`.
 *
 * @example
 * pythonFloat(1); // '1.0'
 */
export function pythonFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
