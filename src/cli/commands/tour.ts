import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { seedSectionSources } from '../../report/seedSections.js';
import type { SectionSource } from '../../report/types.js';
import { buildSections, writeReport, type ReportProgress } from '../../report/writeReport.js';
import { parseCount } from '../inputs.js';
import { bold, dim, fancyOutput } from '../terminal.js';
import { DEMOS, demoText } from './demoText.js';

interface TourOptions {
  report?: boolean;
  out?: string;
  png?: boolean;
  seeds?: string;
}

/**
 * The sections of the tour's report, in order: the seed's demonstrations first. Sections
 * on the embedded model's real distributions and its sample completions go after them:
 * add a `SectionSource` whose `build` loads the model and returns
 * `distributionSection({ id, title, logits: await model.nextLogits(model.encode(prompt)), tokens, chain })`
 * or `completionsSection({ id, title, prompt, rows })` (src/report/sections.ts). A source
 * that throws (no model, no data) becomes a section that says why; the report is still written.
 */
export function tourSections(options: { seeds?: number } = {}): SectionSource[] {
  return [...seedSectionSources(options.seeds !== undefined ? { seeds: options.seeds } : {})];
}

/** `knobs tour`: every demonstration in order, then the HTML report (what `npm start` runs). */
export function tourCommand(): Command {
  return new Command('tour')
    .description('run every demonstration in order and write the HTML report with every figure (what `npm start` runs)')
    .option('--out <dir>', 'directory of the report', 'knobs-report')
    .option('--no-report', 'only print the demonstrations')
    .option('--no-png', 'write the figures as SVG and Vega-Lite only (no PNG files)')
    .option('--seeds <n>', 'seeded draws of the interaction demonstration', '1000')
    .action(async (options: TourOptions) => {
      const started = performance.now();
      const seeds = parseCount('--seeds', options.seeds, 1000, 1, 1_000_000);
      process.stdout.write(`${bold('creativity-knobs: a tour of the sampling knobs')}\n\n`);
      const names = Object.keys(DEMOS);
      names.forEach((name, index) => {
        process.stdout.write(`[${index + 1}/${names.length}] ${demoText(name, { seeds })}\n`);
      });
      if (options.report !== false) await writeTourReport(options.out ?? 'knobs-report', options.png !== false, seeds);
      process.stdout.write(`tour finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    });
}

async function writeTourReport(dir: string, png: boolean, seeds: number): Promise<void> {
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
  const sections = await buildSections(tourSections({ seeds }), progress);
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
