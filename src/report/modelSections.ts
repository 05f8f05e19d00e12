import type { CompletionsByTemperature, NucleusByTemperature } from '../demos/modelDemos.js';
import { topPByEngine } from '../samplers/topPByEngine.js';
import { completionsSection, distributionSection } from './sections.js';
import type { ReportSection } from './types.js';

/**
 * The report section of the seed's temperature × top-p interaction on a real model:
 * nucleus size after each prompt at each temperature.
 *
 * @example
 * nucleusByTemperatureSection(await nucleusByTemperature(model));
 */
export function nucleusByTemperatureSection(demo: NucleusByTemperature): ReportSection {
  return {
    id: 'model-nucleus',
    title: 'Temperature × top-p on a real model',
    paragraphs: [
      `Tokens kept by top-p = ${demo.p} after temperature T, on ${demo.model}'s next-token distribution over its whole vocabulary.`,
      'The same p keeps a handful of tokens at low temperature and thousands at high temperature, and more after an open prompt than after a predictable one.',
    ],
    tables: [
      {
        header: ['prompt', 'top token', 'entropy (nats)', ...demo.temperatures.map((t) => `T = ${t.toFixed(1)}`)],
        rows: demo.prompts.map((row) => [
          row.prompt,
          `${JSON.stringify(row.topToken)} ${(row.topProbability * 100).toFixed(1)}%`,
          row.entropy.toFixed(2),
          ...row.sizes.map(String),
        ]),
      },
    ],
  };
}

/** The report section of one prompt completed at several temperatures with one seed. */
export function completionsByTemperatureSection(demo: CompletionsByTemperature): ReportSection {
  return completionsSection({
    id: 'model-completions',
    title: 'Completions at several temperatures',
    prompt: demo.prompt,
    description: `${demo.model}, ${demo.maxTokens} tokens at most, the same seed for every row. T = 0 is greedy; higher temperatures wander further.`,
    rows: demo.completions.map((completion) => ({ setting: `temperature=${completion.temperature}`, text: completion.text, seed: demo.seed })),
  });
}

/** A real next-token distribution of the model after a prompt, through a typical chain. */
export function modelDistributionSection(model: string, prompt: string, logits: Float32Array, tokens: readonly string[]): ReportSection {
  return distributionSection({
    id: 'model-distribution',
    title: `A real next-token distribution: after "${prompt}"`,
    description: `${model}'s distribution over its whole vocabulary, through top_k=40, top_p=0.95, min_p=0.05, temperature=0.8.`,
    logits,
    tokens,
    chain: 'top_k=40,top_p=0.95,min_p=0.05,temperature=0.8',
  });
}

/**
 * Top-p on the model's whole vocabulary, engine by engine: how many tokens each keeps against
 * the exact rule, and why (llama.cpp's float32 running sum stops growing on the long tail).
 *
 * @example
 * topPByEngineSection(model.id, 'The weather today is', logits);
 */
export function topPByEngineSection(model: string, prompt: string, logits: Float32Array, p = 0.95, temperatures: readonly number[] = [1, 1.5]): ReportSection {
  const runs = temperatures.map((t) => topPByEngine(logits, p, t));
  const first = runs[0] ?? [];
  const reasons = new Map<string, string>();
  for (const run of runs) for (const entry of run) if (entry.why) reasons.set(entry.engine, entry.why);
  return {
    id: 'model-top-p-engines',
    title: 'Top-p on a 200k vocabulary, engine by engine',
    paragraphs: [
      `Tokens kept by temperature T then top-p = ${p} on ${model}'s next-token distribution after "${prompt}" (${logits.length.toLocaleString('en-US')} tokens), under each engine's rule. The knobs profile cuts on the exact mass.`,
      ...[...reasons].map(([engine, why]) => `${engine}: ${why}.`),
    ],
    tables: [
      {
        header: ['engine', ...temperatures.map((t) => `T = ${t}`)],
        rows: first.map((entry, index) => [entry.engine, ...runs.map((run) => (run[index]?.kept ?? 0).toLocaleString('en-US'))]),
      },
    ],
  };
}
