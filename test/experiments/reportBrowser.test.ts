import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, collectProblems, drawnFigures, hasChromium as available, launchChromium } from '../browser.js';
import { row, tokens } from './rows.js';

// `knobs experiment report` as a user runs it, on a results file with two providers, a
// temperature sweep and a non-deterministic temperature-0 cell; the page opened in Chromium.

if (!available) console.warn(`experiment report browser test skipped: ${CHROMIUM} does not exist`);
const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));

function results(): string {
  const lines: string[] = [JSON.stringify({ type: 'run', format: 1, experiment: 'sweep', jobs_hash: '0', jobs: 24, created_at: '2026-01-01T00:00:00.000Z' })];
  const texts: Record<number, string[]> = {
    0: ['the cat sat on the mat', 'the cat sat on the mat', 'the cat sat on the mat'],
    0.7: ['the cat sat on the mat', 'the dog sat on the rug', 'a cat lay on the mat'],
    1.4: ['purple engines hum softly', 'the moon ate static', 'seven clocks argue'],
  };
  for (const label of ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5']) {
    for (const temperature of [0, 0.7, 1.4]) {
      (texts[temperature] as string[]).forEach((text, index) => {
        const changed = label.startsWith('anthropic') && temperature === 0 && index === 2 ? 'the cat sat on a mat' : text;
        const withTokens =
          label.startsWith('openai') || temperature !== 0
            ? {}
            : { tokens: tokens(changed.split(/(?= )/).map((token, position) => [token, -0.2, position === 4 ? [[' the', -0.5], [' a', -0.8]] : undefined] as [string, number, [string, number][] | undefined])) };
        lines.push(JSON.stringify(row({ label, provider: label.split('/')[0] as string, model: label.split('/')[1] as string, settings: { temperature }, index, text: changed, ...withTokens, usage: { prompt_tokens: 9, completion_tokens: 6 } })));
      });
    }
  }
  // One refused request.
  lines.push(JSON.stringify(row({ label: 'anthropic/claude-haiku-4-5', provider: 'anthropic', model: 'claude-haiku-4-5', settings: { temperature: 1.5 }, status: 'rejected', text: null, rejected: [{ parameter: 'temperature', value: 1.5, reason: 'rejected by provider: temperature = 1.5 is out of range for claude-haiku-4-5: expected a number in [0, 1]' }] })));
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!available)('knobs experiment report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'knobs-exp-report-'));
  const file = join(dir, 'sweep.results.jsonl');
  let browser: Browser;
  let stdout = '';

  beforeAll(async () => {
    writeFileSync(file, results());
    const run = spawnSync(process.execPath, [bin, 'experiment', 'report', file], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    stdout = run.stdout;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the page beside the results file', () => {
    expect(stdout).toBe(`report written to ${join(dir, 'sweep-report', 'index.html')} (5 sections, 2 figures)\n`);
    expect(existsSync(join(dir, 'sweep-report', 'figures', 'diversity-temperature.png'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'sweep-report', 'figures', 'diversity-temperature.vl.json'), 'utf8')).facet.field).toBe('panel');
  });

  it('renders both charts, the tables and the samples with no error', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = collectProblems(page, { warnings: true });
    await page.goto(pathToFileURL(join(dir, 'sweep-report', 'index.html')).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const figures = await drawnFigures(page);
    expect(figures.map((figure) => figure.name)).toEqual(['diversity-temperature', 'determinism']);
    for (const figure of figures) {
      expect(figure.error).toBeNull();
      expect(figure.width).toBeGreaterThan(300);
      expect(figure.height).toBeGreaterThan(150);
      expect(figure.marks).toBeGreaterThan(10);
    }
    const diversity = figures[0]?.texts ?? [];
    for (const title of ['Diversity against temperature', 'distinct-2 (higher = more diverse)', 'self-BLEU-4 (lower = more diverse)', 'openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5', 'Temperature']) expect(diversity).toContain(title);
    expect(figures[1]?.texts).toEqual(expect.arrayContaining(['openai/gpt-4o-mini · p1', 'anthropic/claude-haiku-4-5 · p1', '1 / 3', '2 / 3']));

    const tables = await page.$$eval('section', (sections) => sections.map((section) => ({ id: section.id, rows: Array.from(section.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')) })));
    const byId = Object.fromEntries(tables.map((table) => [table.id, table.rows]));
    expect(Object.keys(byId)).toEqual(['run', 'diversity', 'metrics', 'determinism', 'samples']);
    // Run: 9 openai rows, 10 anthropic rows of which 1 refused; 9 x 9 prompt tokens and 9 x 6 completion tokens each.
    expect(byId.run?.map((cells) => cells.slice(0, 4).concat(cells.slice(5, 7)))).toEqual([
      ['openai/gpt-4o-mini', '9', '9', '0', '81', '54'],
      ['anthropic/claude-haiku-4-5', '10', '9', '1', '81', '54'],
    ]);
    // Determinism: anthropic diverges at token 4 ("the cat sat on" | " the" / " a"), gap -0.5 - (-0.8) = 0.3 nats.
    expect(byId.determinism).toEqual([
      ['openai/gpt-4o-mini', 'p1', '3', '1', '-', '-', '-'],
      ['anthropic/claude-haiku-4-5', 'p1', '3', '2', 'token 4', '0.3000', '" the" vs " a"'],
    ]);
    // Metrics: T = 0 on openai has one distinct completion and self-BLEU 1.
    expect(byId.metrics?.[0]?.slice(0, 4)).toEqual(['openai/gpt-4o-mini', 'temperature=0', '3', '1']);
    expect(byId.metrics?.[0]?.[8]).toBe('1.000');
    const notes = await page.$eval('#metrics .notes', (element) => element.textContent ?? '');
    expect(notes).toContain('temperature = 1.5 is out of range for claude-haiku-4-5');
    const samples = await page.$eval('#samples pre', (element) => element.textContent ?? '');
    expect(samples).toContain('Temperature = 0.7\n----------------------------------------\n  1. the cat sat on the mat...');
    expect(problems).toEqual([]);
    await page.close();
  });
});
