import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCounts } from '../../src/analysis/sampleCounts.js';
import { entropy } from '../../src/core/entropy.js';
import { parseDistribution } from '../../src/core/parseDistribution.js';
import { getExample } from '../../src/examples/index.js';
import { generate } from '../../src/models/generate.js';
import { localCatalog, openModel } from '../../src/models/localModels.js';
import { startPlayground, type RunningPlayground } from '../../src/playground/server.js';
import { createSampler } from '../../src/samplers/chain.js';
import { ENGINE_NAMES } from '../../src/samplers/profiles.js';
import type { ChainSpec, StageSpec } from '../../src/samplers/spec.js';
import { buildPage, collectErrors, hasChromium, launchChromium, CHROMIUM } from './harness.js';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
if (!hasChromium) console.warn(`skipping the playground's browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('the playground in Chromium', () => {
  let playground: RunningPlayground;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let removeBuild: () => void = () => {};

  beforeAll(async () => {
    const built = buildPage();
    removeBuild = built.remove;
    playground = await startPlayground({
      staticDir: built.dir,
      catalog: localCatalog(),
      version: 'test',
      // Stands in for OpenAI (no network in tests): the page's OpenAI source is exercised end to end.
      topLogprobs: async (_prompt, model) => ({ model: `${model}-fake`, tokens: [' Paris', ' the', ' a'], logprobs: [Math.log(0.9), Math.log(0.05), Math.log(0.03)] }),
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
    removeBuild();
  });

  /** A fresh page at `search` (the state in the URL), failing the test on any console error. */
  async function open(search: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    context = await browser.newContext({ viewport });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    errors = collectErrors(page);
    await page.goto(new URL(search, playground.url).href);
    await page.waitForSelector('[data-testid="stat-entropy"]');
    return page;
  }

  afterEach(async () => {
    await context?.close();
    expect(errors, 'console errors on the page').toEqual([]);
  });

  const url = (state: Record<string, string>): string => `?${new URLSearchParams(state).toString()}`;
  const statValue = async (id: string): Promise<number> => Number(await page.getAttribute(`[data-testid="stat-${id}"]`, 'data-value'));
  /** The final probability shown for every token row of the table, by token id. */
  const shownAfter = async (): Promise<Map<number, number>> =>
    new Map(
      await page.$$eval('[data-testid="token-table"] tbody tr', (rows) =>
        rows.map((row) => [Number(row.getAttribute('data-token-id')), Number(row.getAttribute('data-after'))] as [number, number]),
      ),
    );
  const keptIds = async (): Promise<number[]> =>
    [...(await shownAfter()).entries()]
      .filter(([, p]) => p > 0)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  const library = (logits: Float32Array, chain: ChainSpec, engine = 'knobs'): Float32Array => createSampler(chain, { engine }).distribution(logits);

  it('moving the temperature slider by keyboard shows the library\'s entropy and probabilities', async () => {
    const logits = Float32Array.from(getExample('top-p-8').logits);
    await open(url({ src: 'example', example: 'top-p-8', chain: '[{"temperature":1}]', seed: '0' }));
    const slider = page.getByRole('slider', { name: 'temperature t', exact: true });
    await slider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    expect(await slider.inputValue()).toBe('1.05');
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-entropy"]')?.getAttribute('data-value') !== null);
    const expected = library(logits, [{ temperature: 1.05 }]);
    await expect.poll(() => statValue('entropy')).toBeCloseTo(entropy(expected), 12);
    expect(await page.textContent('[data-testid="stat-entropy"] strong')).toBe(entropy(expected).toFixed(4));
    const shown = await shownAfter();
    expect(shown.size).toBe(8);
    for (const [id, p] of shown) expect(p).toBe(expected[id]);
    expect(await page.textContent('[data-testid="after-0"]')).toBe((expected[0] as number).toFixed(4));
    // Home goes to t = 0: greedy keeps one token.
    await page.keyboard.press('Home');
    await expect.poll(() => statValue('kept')).toBe(1);
    await expect.poll(() => statValue('entropy')).toBe(0);
  });

  it('reordering two samplers changes the kept set, as the library says', async () => {
    const logits = Float32Array.from(getExample('top-p-8').logits);
    await open(url({ src: 'example', example: 'top-p-8', chain: '[{"min_p":0.3},{"temperature":2.5}]' }));
    const idsOf = (probs: Float32Array): number[] => [...probs.keys()].filter((id) => (probs[id] as number) > 0);
    const minPFirst = idsOf(library(logits, [{ min_p: 0.3 }, { temperature: 2.5 }]));
    const temperatureFirst = idsOf(library(logits, [{ temperature: 2.5 }, { min_p: 0.3 }]));
    expect(minPFirst).not.toEqual(temperatureFirst);
    await expect.poll(keptIds).toEqual(minPFirst);
    await page.getByRole('button', { name: 'Move temperature up', exact: true }).click();
    await expect.poll(keptIds).toEqual(temperatureFirst);
    expect(await page.$$eval('.stage', (stages) => stages.map((stage) => stage.getAttribute('data-stage')))).toEqual(['temperature', 'min_p']);
    // The focus stays on the moved stage (its "down" button, since "up" is now disabled).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move temperature down');
    await page.keyboard.press('Enter');
    await expect.poll(keptIds).toEqual(minPFirst);
    await expect.poll(() => new URL(page.url()).searchParams.get('chain')).toBe('[{"min_p":0.3},{"temperature":2.5}]');
  });

  it('draws 10,000 tokens with a seed: the same counts as knobs sample', async () => {
    const logits = Float32Array.from(getExample('top-p-8').logits);
    const chain: StageSpec[] = [{ top_p: 0.9 }, { temperature: 0.7 }];
    await open(url({ src: 'example', example: 'top-p-8', chain: JSON.stringify(chain), seed: '42' }));
    await page.click('[data-testid="draw-10000"]');
    await page.waitForSelector('[data-testid="histogram"]');
    const expected = sampleCounts(logits, chain, 10_000, { seed: 42 });
    const shown = await page.$$eval('[data-testid="histogram"] g[data-token-id]', (groups) =>
      groups.map((group) => [Number(group.getAttribute('data-token-id')), Number(group.getAttribute('data-count'))] as [number, number]),
    );
    expect(shown.length).toBeGreaterThan(0);
    for (const [id, count] of shown) expect(count).toBe(expected.counts[id]);
    expect(Number(await page.getAttribute('[data-testid="draw-result"]', 'data-chi2'))).toBe(expected.chi2);
    await page.click('[data-testid="draw-1"]');
    await page.waitForSelector('[data-testid="draw-result"][data-token-id]');
    const one = sampleCounts(logits, chain, 1, { seed: 42 });
    expect(Number(await page.getAttribute('[data-testid="draw-result"]', 'data-token-id'))).toBe(one.counts.indexOf(1));
  });

  it('generates five tokens with a seed: the same text as knobs generate, and restores them from the link', async () => {
    const prompt = 'The weather today is';
    const chain: StageSpec[] = [{ top_k: 40 }, { temperature: 0.8 }];
    await open(url({ src: 'model', model: 'embedded', prompt, chain: JSON.stringify(chain), seed: '7' }));
    await page.click('[data-testid="generate-5"]');
    await expect.poll(() => page.textContent('[data-testid="generation-status"]'), { timeout: 60_000 }).toBe('5 tokens');
    const model = await openModel('embedded');
    const [completion] = await generate(model, prompt, chain, { seed: 7, maxTokens: 5 });
    await expect.poll(() => page.getAttribute('[data-testid="generated-text"]', 'data-text')).toBe(completion?.text);
    const gen = new URL(page.url()).searchParams.get('gen');
    expect(gen).toBe(completion?.tokens.join(','));
    const cli = spawnSync(process.execPath, [bin, 'generate', prompt, JSON.stringify(chain), '--seed', '7', '--max-tokens', '5', '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(cli.status, cli.stderr).toBe(0);
    const printed = JSON.parse(cli.stdout) as { completions: { text: string; tokens: number[] }[] };
    expect(printed.completions[0]?.text).toBe(completion?.text);
    expect(printed.completions[0]?.tokens).toEqual(completion?.tokens);
    // The link restores the generation (replaying the draws).
    const link = page.url();
    await context.close();
    expect(errors).toEqual([]);
    await open(link);
    await expect.poll(() => page.getAttribute('[data-testid="generated-text"]', 'data-text'), { timeout: 60_000 }).toBe(completion?.text);
    // Rewind to before token 3, then draw again: the same tokens come back (the generator is replayed).
    await page.locator('.chip').nth(2).click();
    await expect.poll(() => page.locator('.chip').count()).toBe(2);
    await page.click('[data-testid="generate-1"]');
    await expect.poll(() => page.locator('.chip').count()).toBe(3);
    expect(await waitForGen(3)).toBe(completion?.tokens.slice(0, 3).join(','));
    // Branch at step 1 with its second alternative.
    const alternative = page.locator('.step').first().locator('button.alt:not(.chosen)').first();
    await alternative.click();
    await expect.poll(() => page.locator('.chip').count()).toBe(1);
    await expect.poll(() => page.locator('.chip.branched').count()).toBe(1);
  });

  async function waitForGen(count: number): Promise<string> {
    await expect.poll(() => (new URL(page.url()).searchParams.get('gen') ?? '').split(',').filter(Boolean).length).toBe(count);
    return new URL(page.url()).searchParams.get('gen') as string;
  }

  it('provider presets show and enforce the ranges each API accepts', async () => {
    await open(url({ src: 'example', example: 'softmax-5' }));
    await page.getByRole('button', { name: 'Anthropic API', exact: true }).click();
    const slider = page.getByRole('slider', { name: 'temperature t', exact: true });
    expect(await slider.getAttribute('max')).toBe('1');
    const exact = page.getByRole('spinbutton', { name: 'temperature t (exact value)', exact: true });
    await exact.fill('1.5');
    await exact.press('Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('temperature t = 1.5 is out of range: expected a number in [0, 1]');
    expect(await slider.inputValue()).toBe('1');
    const addable = await page.$$eval('#add-sampler option', (options) => options.map((option) => option.getAttribute('value')));
    expect(addable.every((name) => ['top_k', 'top_p', 'temperature'].includes(name ?? ''))).toBe(true);
    await page.getByRole('button', { name: 'OpenAI API', exact: true }).click();
    expect(await page.getByRole('slider', { name: 'temperature t', exact: true }).getAttribute('max')).toBe('2');
    await expect.poll(() => new URL(page.url()).searchParams.get('preset')).toBe('openai');
  });

  it('a value the engine refuses is reported with its range, and the last good views stay', async () => {
    await open(url({ src: 'example', example: 'top-p-8', chain: '[{"temperature":0}]' }));
    await expect.poll(() => statValue('kept')).toBe(1);
    await page.selectOption('#engine', 'hf');
    await expect.poll(() => page.textContent('[data-testid="chain-error"]')).toContain('temperature.t = 0 is out of range: expected a number > 0 under hf');
    expect(await statValue('kept')).toBe(1);
    await page.selectOption('#engine', 'llama.cpp');
    await expect.poll(() => page.locator('[data-testid="chain-error"]').count()).toBe(0);
  });

  it('pasted logits with ties: each engine side by side (exact top-k vs keep-ties)', async () => {
    await open(url({ src: 'paste', mode: 'logits', text: '{"logits":[1,1,1,0],"tokens":["x","y","z","w"]}', chain: '[{"top_k":2}]' }));
    const kept = async (engine: string): Promise<number> => Number(await page.getAttribute(`[data-engine="${engine}"]`, 'data-kept'));
    await expect.poll(() => kept('knobs')).toBe(2);
    expect(await kept('hf')).toBe(3);
    const probs = parseDistribution('[0.5, 0.25, 0.25]', 'probs');
    await page.fill('#paste', '{"probs":[0.5,0.25,0.25],"tokens":["a","b","c"]}');
    await page.getByRole('radio', { name: 'probabilities (key "probs")', exact: true }).check();
    await page.getByRole('button', { name: 'Use these numbers' }).click();
    await expect.poll(() => statValue('kept')).toBe(2);
    const expected = library(probs.logits, [{ top_k: 2 }]);
    for (const [id, p] of await shownAfter()) expect(p).toBe(expected[id]);
  });

  it('every engine profile is in the side-by-side view, with the knobs it ignores', async () => {
    const chain: ChainSpec = [{ top_p: 0.9 }, { min_p: 0.05 }, { temperature: 0.8 }];
    await open(url({ src: 'example', example: 'figure-20', chain: JSON.stringify(chain) }));
    await expect.poll(() => page.locator('[data-engine]').count()).toBe(ENGINE_NAMES.length);
    expect(await page.locator('#engine option').count()).toBe(ENGINE_NAMES.length);
    const logits = Float32Array.from(getExample('figure-20').logits);
    for (const engine of ENGINE_NAMES) {
      const expected = library(logits, chain, engine).filter((p) => p > 0).length;
      expect(Number(await page.getAttribute(`[data-engine="${engine}"]`, 'data-kept')), engine).toBe(expected);
    }
    const notes = await page.locator('[data-engine="transformers.js"] [data-testid="engine-warning"]').allTextContents();
    expect(notes).toEqual(['transformers.js ignores top_p (p = 0.9)', 'transformers.js ignores min_p (p = 0.05)']);
    expect(await page.locator('[data-engine="vllm"] [data-testid="engine-warning"]').count()).toBe(0);
    // choosing that engine says so above the views
    await page.selectOption('#engine', 'transformers.js');
    await expect.poll(() => page.textContent('[data-testid="engine-warnings"]')).toContain('transformers.js ignores top_p (p = 0.9)');
    await page.selectOption('#engine', 'koboldcpp');
    await expect.poll(() => page.locator('[data-testid="engine-warnings"]').count()).toBe(0);
  });

  it('OpenAI top log-probabilities are a source (renormalised over the top tokens, coverage shown)', async () => {
    await open(url({ src: 'example', example: 'top-p-8' }));
    await page.getByRole('radio', { name: 'OpenAI top log-probabilities', exact: true }).check();
    await page.fill('#prompt', 'The capital of France is');
    await page.getByRole('button', { name: 'Ask OpenAI for the next token' }).click();
    await expect.poll(() => page.textContent('[data-testid="source-status"]')).toContain('cover 98.0% of the mass');
    await expect.poll(() => page.locator('[data-testid="token-table"] tbody tr').count()).toBe(3);
    expect(await page.textContent('[data-testid="token-table"] tbody tr:first-child .tok')).toBe(' Paris');
    expect(Number(await page.getAttribute('[data-testid="token-table"] tbody tr:first-child', 'data-before'))).toBeCloseTo(0.9 / 0.98, 6);
  });

  it('works at phone width: no sideways scrolling, every control has a name', async () => {
    await open(url({ src: 'model', model: 'embedded', prompt: 'Once upon a time' }), { width: 390, height: 844 });
    await page.waitForSelector('[data-testid="token-table"] tbody tr');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const unnamed = await page.$$eval('input, select, textarea, button', (elements) =>
      elements
        .filter((element) => {
          const labelled = (element as HTMLInputElement).labels?.length ?? 0;
          const aria = element.getAttribute('aria-label') ?? '';
          const text = element.tagName === 'BUTTON' ? (element.textContent ?? '').trim() : '';
          return labelled === 0 && aria === '' && text === '';
        })
        .map((element) => element.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
    const slider = page.getByRole('slider', { name: 'top_p p', exact: true });
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    expect(await slider.inputValue()).toBe('0.94');
  });
});
