import { completionsByTemperature, nucleusByTemperature, type CompletionsByTemperature, type NucleusByTemperature } from '../demos/modelDemos.js';
import type { LanguageModel } from '../models/languageModel.js';
import { bold, dim, formatTable } from './terminal.js';

/** The terminal text of `nucleusByTemperature`. */
export function formatNucleusByTemperature(demo: NucleusByTemperature): string {
  const header = ['prompt', 'top token', 'entropy', ...demo.temperatures.map((t) => `T=${t.toFixed(1)}`)];
  const rows = demo.prompts.map((row) => [
    JSON.stringify(row.prompt),
    `${JSON.stringify(row.topToken)} ${(row.topProbability * 100).toFixed(1)}%`,
    row.entropy.toFixed(2),
    ...row.sizes.map(String),
  ]);
  return [
    formatTable(header, rows),
    `tokens kept by top-p = ${demo.p} after temperature T, on ${demo.model}'s next-token distribution over its whole vocabulary.`,
    'the same p keeps a handful of tokens at low T and thousands at high T, and far more after an open prompt than after a predictable one.',
  ].join('\n');
}

/** The terminal text of `completionsByTemperature`. */
export function formatCompletionsByTemperature(demo: CompletionsByTemperature): string {
  const rows = demo.completions.map((completion) => [
    completion.temperature.toFixed(1),
    JSON.stringify(completion.text) + (completion.finishReason === 'stop' ? ' (end)' : ''),
  ]);
  return [
    formatTable(['T', `${JSON.stringify(demo.prompt)} ...`], rows),
    `${demo.model}, seed ${demo.seed}, ${demo.maxTokens} tokens at most; T = 0 is greedy (always the most likely token), higher T wanders further.`,
    dim('an n-gram model of the Brown corpus (1961 American English): fluent for a few words, then it loses the thread.'),
  ].join('\n');
}

/**
 * Both model demonstrations with their titles, as the tour prints them.
 *
 * @example
 * process.stdout.write(await modelDemoText(await openModel('embedded')));
 */
export async function modelDemoText(model: LanguageModel, options: { seed?: number } = {}): Promise<string> {
  const nucleus = await nucleusByTemperature(model);
  const completions = await completionsByTemperature(model, { seed: options.seed ?? 1 });
  return [
    `${bold('Temperature x top-p on a real model: nucleus size at p = 0.9 after four prompts')}\n`,
    formatNucleusByTemperature(nucleus),
    '',
    `${bold('Temperature on a real model: one prompt completed at five temperatures, same seed')}\n`,
    formatCompletionsByTemperature(completions),
    '',
  ].join('\n');
}
