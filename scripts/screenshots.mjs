#!/usr/bin/env node
/**
 * Screenshots of the playground's main states, for docs/screenshots/. Run after a build:
 *
 *   npm run screenshots        (builds, then runs this script)
 *   node scripts/screenshots.mjs [--out docs/screenshots] [--chromium /usr/bin/chromium]
 *
 * Starts `knobs playground` in-process on 127.0.0.1 (a free port) with the embedded
 * model, drives Debian's Chromium with playwright-core, and writes one PNG per state.
 * Fails on any console error of the page.
 */
/* global document, URLSearchParams -- document is used inside page.waitForFunction callbacks, which run in the browser */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
};
const out = resolve(argument('--out', join(root, 'docs', 'screenshots')));
const executablePath = argument('--chromium', '/usr/bin/chromium');

const { startPlayground } = await import(new URL('../dist/playground/index.js', import.meta.url).href);
const { localCatalog } = await import(new URL('../dist/models/localModels.js', import.meta.url).href);
const playground = await startPlayground({ catalog: localCatalog(), version: 'screenshots' });
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--font-render-hinting=none'],
});
mkdirSync(out, { recursive: true });
const errors = [];
const written = [];

/** Opens the page at a state (URL search parameters) in a fresh context. */
async function open(state, viewport = { width: 1400, height: 1000 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL(`?${new URLSearchParams(state)}`, playground.url).href);
  await page.waitForSelector('[data-testid="token-table"] tbody tr');
  return { page, context };
}

async function shot(target, name, options = {}) {
  const path = join(out, name);
  await target.screenshot({ path, ...options });
  written.push(path);
}

const panel = (page, title) => page.locator('section.panel', { has: page.getByRole('heading', { name: title, exact: true }) });

try {
  // 1. The whole page on the embedded model: source, chain, every view.
  {
    const { page, context } = await open({ src: 'model', model: 'embedded', prompt: 'The weather today is', chain: '[{"top_k":40},{"top_p":0.95},{"min_p":0.05},{"temperature":0.8}]' });
    await shot(page, 'playground-model.png', { fullPage: true });
    await context.close();
  }
  // 2. A chain on the 8-token example: before/after bars, cut tokens, the stage waterfall.
  {
    const { page, context } = await open({ src: 'example', example: 'top-p-8', chain: '[{"temperature":1.5},{"top_k":6},{"top_p":0.9},{"min_p":0.1}]' });
    await shot(panel(page, 'Top tokens, before and after'), 'bars-cut-tokens.png');
    await shot(panel(page, 'Stage by stage'), 'waterfall.png');
    await shot(panel(page, 'Cumulative probability by rank'), 'cumulative.png');
    await shot(panel(page, 'Chain'), 'chain-editor.png');
    await context.close();
  }
  // 3. Generation step by step with alternatives, and a branch.
  {
    const { page, context } = await open({ src: 'model', model: 'embedded', prompt: 'It was a dark and stormy night', chain: '[{"top_k":40},{"temperature":0.9}]', seed: '3' });
    await page.click('[data-testid="generate-5"]');
    await page.waitForFunction(() => document.querySelectorAll('.chip').length === 5);
    await page.locator('.step').nth(2).locator('button.alt:not(.chosen)').first().click();
    await page.waitForFunction(() => document.querySelectorAll('.chip').length === 3);
    await page.click('[data-testid="generate-5"]');
    await page.waitForFunction(() => document.querySelectorAll('.chip').length === 8);
    await page.waitForFunction(() => (document.querySelector('[data-testid="generated-text"]')?.getAttribute('data-text') ?? '').length > 0);
    await shot(panel(page, 'Generation, step by step'), 'generation-branch.png');
    await context.close();
  }
  // 4. 10,000 seeded draws against the expected probabilities.
  {
    const { page, context } = await open({ src: 'example', example: 'figure-20', chain: '[{"top_p":0.9},{"temperature":0.7}]', seed: '42' });
    await page.click('[data-testid="draw-10000"]');
    await page.waitForSelector('[data-testid="histogram"]');
    await shot(panel(page, 'Sampling'), 'sampling-histogram.png');
    await context.close();
  }
  // 5. The same input through every engine: ties at top-k, keep-ties vs exact.
  {
    const { page, context } = await open({ src: 'paste', mode: 'logits', text: '{"logits":[2,1,1,1,0.5,0],"tokens":["sun","rain","snow","fog","wind","hail"]}', chain: '[{"top_k":2},{"top_p":0.8}]' });
    await shot(panel(page, 'Each engine, side by side'), 'engines-side-by-side.png');
    await context.close();
  }
  // 6. A provider preset: the OpenAI API's accepted ranges, enforced.
  {
    const { page, context } = await open({ src: 'example', example: 'softmax-5', preset: 'openai' });
    await page.getByRole('button', { name: 'OpenAI API', exact: true }).click();
    await shot(page, 'preset-openai.png', { clip: { x: 0, y: 0, width: 1400, height: 900 } });
    await context.close();
  }
  // 7. The llama.cpp preset: its whole default chain, every stage a slider.
  {
    const { page, context } = await open({ src: 'model', model: 'embedded', prompt: 'The weather today is', preset: 'llama.cpp' });
    await shot(panel(page, 'Chain'), 'preset-llama-cpp-chain.png');
    await context.close();
  }
  // 8. Phone width.
  {
    const { page, context } = await open({ src: 'model', model: 'embedded', prompt: 'Once upon a time', chain: '[{"min_p":0.05},{"temperature":1.2}]' }, { width: 390, height: 844 });
    await shot(page, 'phone.png');
    await page.locator('#bars-title').scrollIntoViewIfNeeded();
    await shot(page, 'phone-bars.png');
    await context.close();
  }
} finally {
  await browser.close();
  await playground.close();
}
if (errors.length > 0) {
  process.stderr.write(`console errors on the page:\n${errors.join('\n')}\n`);
  process.exitCode = 1;
}
process.stdout.write(`${written.map((path) => `wrote ${path}`).join('\n')}\n`);
