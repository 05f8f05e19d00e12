import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, collectProblems, drawnFigures, hasChromium as available, launchChromium } from '../browser.js';
import { fontMetrics } from '../../src/charts/fonts.js';
import { seedExamples } from '../../src/examples/index.js';
import { distributionSection } from '../../src/report/sections.js';
import { seedSectionSources } from '../../src/report/seedSections.js';
import { buildSections, writeReport, type ReportResult } from '../../src/report/writeReport.js';

if (!available) console.warn(`report browser test skipped: ${CHROMIUM} does not exist (install Debian's chromium package to run it)`);

describe.skipIf(!available)(`the report in headless Chromium${available ? '' : ` (skipped: ${CHROMIUM} does not exist)`}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'knobs-browser-'));
  let browser: Browser;
  let result: ReportResult;
  let figureCount = 0;

  beforeAll(async () => {
    const sections = await buildSections(seedSectionSources({ seeds: 200 }));
    sections.push(distributionSection({ id: 'any-distribution', title: 'Any distribution', logits: Float32Array.from(seedExamples.top_p_8.logits), tokens: seedExamples.top_p_8.tokens, chain: 'top_k=5,top_p=0.9' }));
    figureCount = sections.reduce((count, section) => count + (section.figures?.length ?? 0), 0);
    result = await writeReport(sections, { dir, png: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from disk with no console error, no page error and no failed request, and every figure is drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = collectProblems(page, { warnings: true });
    await page.goto(pathToFileURL(result.indexPath).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);

    const figures = await drawnFigures(page);
    expect(figures).toHaveLength(figureCount);
    for (const figure of figures) {
      expect(figure.error, `${figure.name} failed`).toBeNull();
      expect(figure.width, `${figure.name} width`).toBeGreaterThan(300);
      expect(figure.height, `${figure.name} height`).toBeGreaterThan(150);
      expect(figure.marks, `${figure.name} marks`).toBeGreaterThan(10);
      expect(figure.texts.some((text) => text.length > 3), `${figure.name} has titles`).toBe(true);
      expect(figure.font).toContain('DejaVu Sans');
    }
    const seedFigure = figures.find((figure) => figure.name === 'temperature-figure');
    expect(seedFigure?.texts.filter((text) => text.endsWith('%'))).toEqual(['59.0%', '45.5%', '35.7%', '24.8%']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('loads the bundled DejaVu Sans, whose widths in Chromium match the metrics the layout used', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(result.indexPath).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const faces = await page.evaluate(() => {
      const list: string[] = [];
      document.fonts.forEach((face) => list.push(`${face.family} ${face.weight} ${face.status}`));
      return list;
    });
    expect(faces).toEqual(expect.arrayContaining(['DejaVu Sans normal loaded', 'DejaVu Sans bold loaded']));
    const samples = ['Probability', 'Token rank (1 = most likely)', '59.0%', 'Temperature = 0.3', 'Entropy (nats)'];
    const widths = await page.evaluate((texts) => {
      const context = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      return texts.flatMap((text) =>
        (['normal', 'bold'] as const).map((weight) => {
          context.font = `${weight} 100px "DejaVu Sans"`;
          return context.measureText(text).width;
        }),
      );
    }, samples);
    const { regular, bold } = fontMetrics();
    samples.forEach((text, index) => {
      // Chromium shapes the text (HarfBuzz, GPOS); the layout sums advances and kern pairs. They agree within 0.5%.
      expect(Math.abs((widths[2 * index] as number) / regular.width(text, 100) - 1), text).toBeLessThan(0.005);
      expect(Math.abs((widths[2 * index + 1] as number) / bold.width(text, 100) - 1), `${text} (bold)`).toBeLessThan(0.005);
    });
    await page.close();
  });
});
