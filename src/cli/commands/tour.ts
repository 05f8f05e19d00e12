import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import type { LanguageModel } from '../../models/languageModel.js';
import type { SectionSource } from '../../report/types.js';
import type { ReportProgress } from '../../report/writeReport.js';
import { readModel, vocabularyTexts } from '../modelInput.js';
import { parseCount } from '../options.js';
import { bold, dim, fancyOutput } from '../terminal.js';

interface TourOptions {
  report?: boolean;
  model?: string | false;
  decoding?: string;
  out?: string;
  png?: boolean;
  seeds?: string;
}

/**
 * The sections of the tour's report, in order: the seed's demonstrations first, then the
 * model sections given (each a `SectionSource`; one that throws becomes a section that says
 * why, and the report is still written).
 */
export async function tourSections(options: { seeds?: number } = {}, modelSources: readonly SectionSource[] = []): Promise<SectionSource[]> {
  const { seedSectionSources } = await import('../../report/seedSections.js');
  return [...seedSectionSources(options.seeds !== undefined ? { seeds: options.seeds } : {}), ...modelSources];
}

const MODEL_PROMPT = 'The weather today is';

/**
 * Runs the seed's demonstrations on the embedded model's real distributions, prints them,
 * and returns their report sections. If the model cannot be opened, says why and returns
 * sections that carry the reason.
 */
async function modelPart(modelId: string, decodingPrompts: number): Promise<SectionSource[]> {
  let model: LanguageModel;
  try {
    model = await readModel({ model: modelId });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stdout.write(`the language model is unavailable (${reason}); skipping its demonstrations\n\n`);
    return [{ id: 'model', title: 'The embedded language model', build: () => Promise.reject(new Error(reason)) }];
  }
  const { completionsByTemperature, nucleusByTemperature } = await import('../../demos/modelDemos.js');
  const { decodingSectionSource } = await import('../../report/decodingSectionSource.js');
  const { completionsByTemperatureSection, modelDistributionSection, nucleusByTemperatureSection, topPByEngineSection } = await import('../../report/modelSections.js');
  const { formatCompletionsByTemperature, formatNucleusByTemperature } = await import('../modelDemoText.js');
  const nucleus = await nucleusByTemperature(model);
  const completions = await completionsByTemperature(model, { seed: 1 });
  const logits = await model.nextLogits(model.encode(MODEL_PROMPT));
  process.stdout.write(`${bold('Temperature x top-p on a real model: nucleus size at p = 0.9 after four prompts')}\n\n${formatNucleusByTemperature(nucleus)}\n\n`);
  process.stdout.write(`${bold('Temperature on a real model: one prompt completed at five temperatures, same seed')}\n\n${formatCompletionsByTemperature(completions)}\n\n`);
  return [
    { id: 'model-nucleus', title: 'Temperature × top-p on a real model', build: () => nucleusByTemperatureSection(nucleus) },
    { id: 'model-distribution', title: 'A real next-token distribution', build: () => modelDistributionSection(model.id, MODEL_PROMPT, logits, vocabularyTexts(model)) },
    { id: 'model-completions', title: 'Completions at several temperatures', build: () => completionsByTemperatureSection(completions) },
    { id: 'model-top-p-engines', title: 'Top-p on a 200k vocabulary, engine by engine', build: () => topPByEngineSection(model.id, MODEL_PROMPT, logits) },
    // Holtzman et al. (2020), Table 1, small enough for the tour; `knobs compare-decoding` runs it in full.
    ...(decodingPrompts > 0 ? [decodingSectionSource({ model, count: decodingPrompts, maxTokens: 30 })] : []),
  ];
}

/** `knobs tour`: every demonstration in order, then the HTML report (what `npm start` runs). */
export function tourCommand(): Command {
  return new Command('tour')
    .description('run every demonstration in order and write the HTML report with every figure (what `npm start` runs)')
    .option('--out <dir>', 'directory of the report', 'knobs-report')
    .option('--no-report', 'only print the demonstrations')
    .option('--no-png', 'write the figures as SVG and Vega-Lite only (no PNG files)')
    .option('--seeds <n>', 'seeded draws of the interaction demonstration', '1000')
    .option('--model <id>', 'language model of the real-distribution demonstrations', 'embedded')
    .option('--no-model', 'skip the language-model demonstrations')
    .option('--decoding <prompts>', 'held-out prompts of the decoding-strategy comparison in the report (0 skips it)', '5')
    .action(async (options: TourOptions) => {
      const started = performance.now();
      const { DEMOS, demoText } = await import('./demoText.js');
      const seeds = parseCount('--seeds', options.seeds, 1000, 1, 1_000_000);
      process.stdout.write(`${bold('creativity-knobs: a tour of the sampling knobs')}\n\n`);
      const names = Object.keys(DEMOS);
      for (const [index, name] of names.entries()) process.stdout.write(`[${index + 1}/${names.length}] ${await demoText(name, { seeds })}\n`);
      const decoding = parseCount('--decoding', options.decoding, 5, 0, 50);
      const modelSources = options.model === false ? [] : await modelPart(options.model ?? 'embedded', decoding);
      if (options.report !== false) await writeTourReport(options.out ?? 'knobs-report', options.png !== false, seeds, modelSources);
      process.stdout.write(`tour finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    });
}

async function writeTourReport(dir: string, png: boolean, seeds: number, modelSources: readonly SectionSource[]): Promise<void> {
  const started = performance.now();
  const fancy = fancyOutput();
  const progress = (event: ReportProgress): void => {
    if (!fancy) return;
    const verb = event.phase === 'build' ? 'computing' : 'drawing';
    const line = event.done < event.total ? `report: ${verb} ${event.done + 1}/${event.total} ${event.name}` : '';
    // One line, rewritten in place: cut to the terminal's width so it never wraps.
    process.stdout.write(`\r\u001b[2K${dim(line.slice(0, Math.max(20, (process.stdout.columns || 80) - 1)))}`);
  };
  if (!fancy) process.stdout.write('writing the report...\n');
  const { buildSections, writeReport } = await import('../../report/writeReport.js');
  const sections = await buildSections(await tourSections({ seeds }, modelSources), progress);
  const result = await writeReport(sections, {
    dir,
    png,
    title: 'creativity-knobs: the sampling knobs, in figures',
    subtitle: `Every demonstration of the seed scripts, reproduced and extended. Written by knobs tour on ${new Date().toISOString().slice(0, 10)}.`,
    onProgress: progress,
  });
  if (fancy) process.stdout.write('\r\u001b[2K');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const shown = relative(process.cwd(), result.indexPath) || result.indexPath;
  process.stdout.write(`${bold('report:')} ${shown} (${result.sections} sections, ${result.figures} figures${png && !result.pngError ? ' as SVG and PNG' : ' as SVG'}, ${seconds} s)\n`);
  process.stdout.write(`open it in a browser: ${pathToFileURL(resolve(result.indexPath)).href}\n`);
  for (const section of result.unavailable) process.stdout.write(`  section ${section.id} unavailable: ${section.reason}\n`);
  for (const figure of result.failedFigures) process.stdout.write(`  figure ${figure.name} could not be drawn: ${figure.error}\n`);
  if (result.pngError) process.stdout.write(`  PNG files skipped: ${result.pngError}\n`);
}
