import { join } from 'node:path';
import { fontFiles } from '../charts/fonts.js';
import { renderPng, renderSvg } from '../charts/render.js';
import { copyFileAtomic, writeFileAtomic } from './atomicWrite.js';
import { pageHtml, prepareInlineSvg, type RenderedFigure } from './html.js';
import type { ReportSection, SectionSource } from './types.js';

/** Progress of building and writing a report. */
export interface ReportProgress {
  /** `build`: a section's data; `render`: a figure's SVG and PNG. */
  readonly phase: 'build' | 'render';
  /** Steps finished so far in this phase, and the phase's total. */
  readonly done: number;
  readonly total: number;
  /** The section or figure being worked on. */
  readonly name: string;
}

/** Options of `writeReport`. */
export interface WriteReportOptions {
  /** Output directory (created if missing); the page is `index.html` inside it. */
  readonly dir: string;
  readonly title?: string;
  readonly subtitle?: string;
  /** Also write every figure as PNG (default true). */
  readonly png?: boolean;
  /** Pixels per SVG unit of the PNG files (default 2). */
  readonly pngScale?: number;
  readonly onProgress?: (progress: ReportProgress) => void;
}

/** What `writeReport` wrote. */
export interface ReportResult {
  readonly dir: string;
  readonly indexPath: string;
  readonly sections: number;
  /** Figures drawn. */
  readonly figures: number;
  /** Figures that could not be drawn, with why (the page says so in their place). */
  readonly failedFigures: readonly { readonly name: string; readonly error: string }[];
  /** Sections whose data source was unavailable, with why. */
  readonly unavailable: readonly { readonly id: string; readonly reason: string }[];
  /** Set when PNG files could not be written (the SVGs were). */
  readonly pngError?: string;
}

/**
 * Builds every section of a report from its source, in order. A source that throws
 * becomes a section marked `unavailable` with the error's message, so one missing data
 * source (no model, no network) never stops the report.
 *
 * @example
 * const sections = await buildSections(seedSectionSources());
 */
export async function buildSections(sources: readonly SectionSource[], onProgress?: (progress: ReportProgress) => void): Promise<ReportSection[]> {
  const sections: ReportSection[] = [];
  for (const [index, source] of sources.entries()) {
    onProgress?.({ phase: 'build', done: index, total: sources.length, name: source.title });
    try {
      sections.push(await source.build());
    } catch (error) {
      sections.push({ id: source.id, title: source.title, unavailable: error instanceof Error ? error.message : String(error) });
    }
  }
  onProgress?.({ phase: 'build', done: sources.length, total: sources.length, name: '' });
  return sections;
}

/**
 * Writes the HTML report: `index.html` with every figure inline as SVG (so the page works
 * opened from disk, offline, with no script), and `figures/` with each figure as `.svg`,
 * `.png` and `.vl.json` (its Vega-Lite spec). Every file is written atomically
 * (temporary file, then rename) and `index.html` last, so a crash never leaves a
 * half-written page. A figure that cannot be drawn is replaced by a message.
 *
 * @example
 * const result = await writeReport(await buildSections(seedSectionSources()), { dir: 'knobs-report' });
 * result.indexPath; // 'knobs-report/index.html'
 */
export async function writeReport(sections: readonly ReportSection[], options: WriteReportOptions): Promise<ReportResult> {
  const figuresDir = join(options.dir, 'figures');
  const total = sections.reduce((count, section) => count + (section.figures?.length ?? 0), 0);
  const used = new Set<string>();
  const failedFigures: { name: string; error: string }[] = [];
  let pngError: string | undefined;
  let done = 0;
  const rendered: { section: ReportSection; figures: RenderedFigure[] }[] = [];
  for (const section of sections) {
    const figures: RenderedFigure[] = [];
    for (const figure of section.figures ?? []) {
      options.onProgress?.({ phase: 'render', done, total, name: figure.title });
      // `temperature-figure.svg`; prefixed with the section when two sections share a name.
      let stem = used.has(figure.name) ? `${section.id}-${figure.name}` : figure.name;
      for (let suffix = 2; used.has(stem); suffix++) stem = `${section.id}-${figure.name}-${suffix}`;
      used.add(stem);
      const files: [string, string][] = [];
      try {
        const svg = await renderSvg(figure.spec);
        await writeFileAtomic(join(figuresDir, `${stem}.svg`), svg);
        files.push(['SVG', `figures/${stem}.svg`]);
        if (options.png !== false && pngError === undefined) {
          try {
            await writeFileAtomic(join(figuresDir, `${stem}.png`), await renderPng(svg, { scale: options.pngScale ?? 2 }));
            files.push(['PNG', `figures/${stem}.png`]);
          } catch (error) {
            pngError = (error as Error).message;
          }
        }
        await writeFileAtomic(join(figuresDir, `${stem}.vl.json`), `${JSON.stringify(figure.spec, null, 2)}\n`);
        files.push(['Vega-Lite', `figures/${stem}.vl.json`]);
        figures.push({ name: stem, title: figure.title, ...(figure.caption ? { caption: figure.caption } : {}), svg: prepareInlineSvg(svg, stem, figure.title), files });
      } catch (error) {
        const message = (error as Error).message;
        failedFigures.push({ name: stem, error: message });
        figures.push({ name: stem, title: figure.title, ...(figure.caption ? { caption: figure.caption } : {}), error: message, files });
      }
      done++;
    }
    rendered.push({ section, figures });
  }
  options.onProgress?.({ phase: 'render', done, total, name: '' });
  let fonts: { regular: string; bold: string } | undefined;
  try {
    const files = fontFiles();
    await copyFileAtomic(files.regular, join(options.dir, 'fonts', 'DejaVuSans.ttf'));
    await copyFileAtomic(files.bold, join(options.dir, 'fonts', 'DejaVuSans-Bold.ttf'));
    fonts = { regular: 'fonts/DejaVuSans.ttf', bold: 'fonts/DejaVuSans-Bold.ttf' };
  } catch {
    fonts = undefined; // the page falls back to the browser's sans-serif
  }
  const html = pageHtml(
    {
      title: options.title ?? 'creativity-knobs report',
      subtitle: options.subtitle ?? `written ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
      ...(fonts ? { fonts } : {}),
    },
    rendered,
  );
  const indexPath = join(options.dir, 'index.html');
  await writeFileAtomic(indexPath, html);
  return {
    dir: options.dir,
    indexPath,
    sections: sections.length,
    figures: done - failedFigures.length,
    failedFigures,
    unavailable: sections.filter((section) => section.unavailable !== undefined).map((section) => ({ id: section.id, reason: section.unavailable as string })),
    ...(pngError !== undefined ? { pngError } : {}),
  };
}
