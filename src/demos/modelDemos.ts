import { entropy } from '../core/entropy.js';
import { softmax } from '../core/softmax.js';
import { nucleusSize } from '../analysis/nucleusSize.js';
import { INTERACTION_TEMPERATURES } from './interactionDemo.js';
import { generate } from '../models/generate.js';
import type { LanguageModel } from '../models/languageModel.js';

/** Prompts of the model demonstrations: from confident continuations to open ones. */
export const DEMO_PROMPTS = ['The weather today is', 'Once upon a time', 'The president said that', 'He opened the door and'] as const;

/** Nucleus sizes of one prompt's next-token distribution at several temperatures. */
export interface PromptNucleus {
  readonly prompt: string;
  /** Entropy (nats) of the model's next-token distribution at T = 1. */
  readonly entropy: number;
  /** Probability of the most likely next token at T = 1. */
  readonly topProbability: number;
  readonly topToken: string;
  /** `sizes[i]`: tokens kept by top-p after temperature `temperatures[i]`. */
  readonly sizes: readonly number[];
}

/** The seed's temperature × top-p interaction on the model's real next-token distributions. */
export interface NucleusByTemperature {
  readonly model: string;
  readonly p: number;
  readonly temperatures: readonly number[];
  readonly prompts: readonly PromptNucleus[];
}

/**
 * Nucleus size (tokens kept by top-p = p after temperature T, in that order, as the seed's
 * temp_topp_interaction.py did) of the model's next-token distribution after each prompt,
 * at each temperature: the seed's demonstration on a real ~200k-token vocabulary instead of
 * 100 Gaussian logits.
 *
 * @example
 * const demo = await nucleusByTemperature(model);
 * demo.prompts[0].sizes; // grows with T, e.g. [2, 9, 64, 1100, 14000]
 */
export async function nucleusByTemperature(
  model: LanguageModel,
  options: { prompts?: readonly string[]; temperatures?: readonly number[]; p?: number } = {},
): Promise<NucleusByTemperature> {
  const prompts = options.prompts ?? DEMO_PROMPTS;
  const temperatures = options.temperatures ?? INTERACTION_TEMPERATURES;
  const p = options.p ?? 0.9;
  const rows: PromptNucleus[] = [];
  for (const prompt of prompts) {
    const logits = await model.nextLogits(model.encode(prompt));
    const probs = softmax(logits);
    let top = 0;
    for (let id = 1; id < probs.length; id++) if ((probs[id] as number) > (probs[top] as number)) top = id;
    rows.push({
      prompt,
      entropy: entropy(probs),
      topProbability: probs[top] as number,
      topToken: model.tokenText(top),
      sizes: temperatures.map((temperature) => nucleusSize(logits, temperature, p)),
    });
  }
  return { model: model.id, p, temperatures, prompts: rows };
}

/** One completion at one temperature. */
export interface TemperatureCompletion {
  readonly temperature: number;
  readonly text: string;
  readonly finishReason: 'stop' | 'length';
}

/** Completions of one prompt at several temperatures. */
export interface CompletionsByTemperature {
  readonly model: string;
  readonly prompt: string;
  readonly seed: number;
  readonly maxTokens: number;
  readonly completions: readonly TemperatureCompletion[];
}

/**
 * Completions of one prompt at several temperatures with the same seed (`generate` with the
 * chain `[{temperature: T}]`): T = 0 is greedy and repeats itself, higher T wanders further.
 *
 * @example
 * const demo = await completionsByTemperature(model, { prompt: 'The weather today is', seed: 1 });
 * demo.completions.map((c) => c.temperature); // [0, 0.5, 0.8, 1, 1.5]
 */
export async function completionsByTemperature(
  model: LanguageModel,
  options: { prompt?: string; temperatures?: readonly number[]; seed?: number; maxTokens?: number } = {},
): Promise<CompletionsByTemperature> {
  const prompt = options.prompt ?? DEMO_PROMPTS[0];
  const temperatures = options.temperatures ?? [0, 0.5, 0.8, 1, 1.5];
  const seed = options.seed ?? 1;
  const maxTokens = options.maxTokens ?? 24;
  const completions: TemperatureCompletion[] = [];
  for (const temperature of temperatures) {
    const [completion] = await generate(model, prompt, [{ temperature }], { seed, maxTokens });
    if (completion) completions.push({ temperature, text: completion.text, finishReason: completion.finishReason });
  }
  return { model: model.id, prompt, seed, maxTokens, completions };
}
