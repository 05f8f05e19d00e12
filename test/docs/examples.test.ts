/**
 * The guides' examples run: every `sh`, `ts` and `js` block of README.md and docs/*.md is
 * run as a reader would run it (see runner.ts for how), and where a `text` block follows
 * it, its output must be that text, durations, timestamps and ids aside. A block is left
 * out only with a `# skip: REASON` first line whose reason is one CI cannot meet (a key,
 * WebGPU, an optional peer, minutes of time). Generated regions and the figures in
 * docs/figures must be what the code gives now. At least 80% of the blocks must run.
 *
 * `npm run docs:examples` runs this file with KNOBS_DOCS_WRITE=1: it then rewrites the
 * output blocks, the generated regions and docs/figures in place instead of comparing.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CACHE_DIRECTORY } from '../models/sharedModel.js';
import { GENERATORS } from './generators.js';
import { parseMarkdown, splice, type CodeBlock } from './markdown.js';
import { normaliseOutput, runDocuments, SKIP_REASONS, writeFigures, type BlockResult, type DocumentInput, type DocumentRun } from './runner.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const write = process.env.KNOBS_DOCS_WRITE === '1';
const built = existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'cli', 'main.js'));
const figureDir = join(root, 'docs', 'figures');

const only = process.env.KNOBS_DOCS_ONLY?.split(',');
const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)].filter((file) => only === undefined || only.includes(file));
const inputs: DocumentInput[] = files.map((file) => ({ file, document: parseMarkdown(readFileSync(join(root, file), 'utf8')) }));
const runnable = (block: CodeBlock): boolean => block.kind === 'sh' || block.kind === 'ts' || block.kind === 'js';

let runs: DocumentRun[] = [];
const generated = new Map<string, string>();
const results = new Map<CodeBlock, BlockResult>();

beforeAll(async () => {
  if (!built) return;
  const started = performance.now();
  runs = await runDocuments(inputs, { root, cacheDirectory: TEST_CACHE_DIRECTORY, jobs: Number(process.env.KNOBS_DOCS_JOBS ?? 2) });
  for (const run of runs) for (const result of run.results) results.set(result.block, result);
  const context = { root, cacheDirectory: TEST_CACHE_DIRECTORY };
  for (const input of inputs) {
    for (const region of input.document.regions) {
      const generator = GENERATORS[region.name];
      if (generator) generated.set(`${input.file}:${region.line}`, await generator(context, region.args));
    }
  }
  if (write) rewrite();
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const slowest = [...results.values()].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(`docs examples ran in ${seconds} s; slowest blocks: ${slowest.map((result) => `${fileOf(result.block)}:${result.block.line} ${(result.ms / 1000).toFixed(1)} s`).join(', ')}`);
}, 1_800_000);

afterAll(() => {
  if (!built) return;
  const all = inputs.flatMap((input) => input.document.blocks.filter(runnable).map((block) => ({ file: input.file, block })));
  const skipped = all.filter(({ block }) => block.skip !== undefined);
  const ran = all.length - skipped.length;
  console.log(`docs examples: ${ran} of ${all.length} blocks ran, ${skipped.length} skipped:\n${skipped.map(({ file, block }) => `  ${file}:${block.line} (${block.kind}) ${block.skip}`).join('\n')}`);
});

function fileOf(block: CodeBlock): string {
  return inputs.find((input) => input.document.blocks.includes(block))?.file ?? '?';
}

/** Writes outputs, generated regions and figures back (npm run docs:examples). */
function rewrite(): void {
  for (const input of inputs) {
    const path = join(root, input.file);
    const edits: { start: number; end: number; text: string }[] = [];
    for (const block of input.document.blocks) {
      const result = results.get(block);
      // only where the output changed beyond what the comparison ignores (ids, times), so that a rerun changes nothing
      if (block.output && result?.status === 'ran' && normaliseOutput(result.output ?? '') !== normaliseOutput(block.output.code)) {
        edits.push({ start: block.output.start, end: block.output.end, text: result.output ?? '' });
      }
    }
    for (const region of input.document.regions) {
      const content = generated.get(`${input.file}:${region.line}`);
      if (content !== undefined) edits.push({ start: region.start, end: region.end, text: content });
    }
    const before = readFileSync(path, 'utf8');
    const after = splice(before, edits);
    const shape = (text: string): string => parseMarkdown(text).blocks.map((block) => `${block.kind}:${block.lang}`).join(' ');
    if (shape(after) !== shape(before)) throw new Error(`${input.file}: rewriting it would change its blocks (an output that closes a fence?); nothing written`);
    if (after !== before) writeFileSync(path, after);
  }
  const figures = new Map(runs.filter((run) => run.file.startsWith('docs/')).flatMap((run) => [...run.figures]));
  if (existsSync(figureDir) && only === undefined) for (const name of readdirSync(figureDir)) if (!figures.has(name)) rmSync(join(figureDir, name));
  writeFigures(figures, figureDir);
}

describe.skipIf(!built)('the examples of README.md and docs/*.md run', () => {
  // A guide without runnable blocks (the docs index) has nothing to run.
  for (const input of inputs.filter((entry) => entry.document.blocks.some(runnable))) {
    describe(input.file, () => {
      for (const block of input.document.blocks.filter(runnable)) {
        const name = `line ${block.line} (${block.kind})`;
        if (block.skip !== undefined) {
          it(`${name} has a skip reason CI cannot meet, and shows no output`, () => {
            expect(block.skip, 'skip reasons: needs a key / needs WebGPU / needs the optional peer ... / takes minutes').toMatch(SKIP_REASONS);
            expect(block.output, 'a skipped block cannot show output: nothing would check it').toBeUndefined();
          });
          it.skip(`${name}: ${block.skip}`, () => {});
          continue;
        }
        it(name, () => {
          const result = results.get(block);
          expect(result, 'the block was run').toBeDefined();
          expect(result?.status, result?.error).toBe('ran');
          if (block.output && !write) {
            const hint = `the output shown at ${input.file}:${block.output.line} differs (npm run docs:examples rewrites it)`;
            expect(normaliseOutput(result?.output ?? ''), hint).toBe(normaliseOutput(block.output.code));
          }
        });
      }
      for (const region of input.document.regions) {
        it(`generated ${region.name} (line ${region.line}) is current`, () => {
          expect(Object.keys(GENERATORS), `unknown generator ${region.name}`).toContain(region.name);
          if (!write) expect(region.content, `npm run docs:examples regenerates it`).toBe(generated.get(`${input.file}:${region.line}`));
        });
      }
    });
  }

  it('docs/figures holds exactly the figures the guides draw, as they draw them now', () => {
    const drawn = new Map(runs.filter((run) => run.file.startsWith('docs/')).flatMap((run) => [...run.figures]));
    const committed = existsSync(figureDir) ? readdirSync(figureDir).sort() : [];
    if (only === undefined) expect(committed, 'npm run docs:examples rewrites docs/figures').toEqual([...drawn.keys()].sort());
    for (const [name, bytes] of drawn) expect(readFileSync(join(figureDir, name)).equals(bytes), `docs/figures/${name} is stale: npm run docs:examples`).toBe(true);
    for (const input of inputs.filter((entry) => entry.file.startsWith('docs/'))) {
      const text = readFileSync(join(root, input.file), 'utf8');
      for (const match of text.matchAll(/\]\((figures\/[^)\s]+)\)/g)) expect(existsSync(join(root, 'docs', match[1] as string)), `${input.file} shows ${match[1]}`).toBe(true);
    }
  });

  it.skipIf(only !== undefined)('at least 80% of the blocks run', () => {
    const all = inputs.flatMap((input) => input.document.blocks.filter(runnable));
    const ran = all.filter((block) => block.skip === undefined).length;
    expect(ran / all.length).toBeGreaterThanOrEqual(0.8);
  });
});
