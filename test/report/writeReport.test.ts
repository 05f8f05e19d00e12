import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/report/atomicWrite.js';
import { completionsSection, distributionSection } from '../../src/report/sections.js';
import { seedSectionSources } from '../../src/report/seedSections.js';
import type { SectionSource } from '../../src/report/types.js';
import { buildSections, writeReport, type ReportProgress } from '../../src/report/writeReport.js';
import { seedExamples } from '../../src/examples/index.js';
import type { FigureSpec } from '../../src/charts/theme.js';

const root = mkdtempSync(join(tmpdir(), 'knobs-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const leftovers = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).filter((name) => name.includes('.tmp-'));

describe('writeReport on the seed sections', () => {
  it('writes index.html with every figure inline and as SVG, PNG and Vega-Lite files', async () => {
    const dir = join(root, 'seed');
    const events: ReportProgress[] = [];
    const sections = await buildSections(seedSectionSources({ seeds: 100 }), (event) => events.push(event));
    const result = await writeReport(sections, { dir, onProgress: (event) => events.push(event) });
    const expectedFigures = sections.reduce((count, section) => count + (section.figures?.length ?? 0), 0);
    expect(result.failedFigures).toEqual([]);
    expect(result.unavailable).toEqual([]);
    expect(result.figures).toBe(expectedFigures);
    expect(expectedFigures).toBeGreaterThanOrEqual(11);
    const html = readFileSync(result.indexPath, 'utf8');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(expectedFigures);
    expect(html.match(/<svg role="img"/g)).toHaveLength(expectedFigures);
    for (const label of ['59.0%', '45.5%', '35.7%', '24.8%']) expect(html).toContain(`>${label}</text>`);
    for (const match of html.matchAll(/href="(figures\/[^"]+)"/g)) expect(existsSync(join(dir, match[1] as string)), match[1]).toBe(true);
    expect(existsSync(join(dir, 'figures', 'temperature-figure.png'))).toBe(true);
    expect(existsSync(join(dir, 'fonts', 'DejaVuSans.ttf'))).toBe(true);
    expect(leftovers(dir)).toEqual([]);
    expect(events.filter((event) => event.phase === 'render').at(-1)).toMatchObject({ done: expectedFigures, total: expectedFigures });
  });
});

describe('the engine profiles section', () => {
  it('runs the flags under every profile and names the knobs an engine ignores', async () => {
    const source = seedSectionSources().find((entry) => entry.id === 'engines');
    const section = await source?.build();
    const rows = section?.tables?.[0]?.rows ?? [];
    expect(rows.map((row) => row[0])).toEqual(['knobs', 'llama.cpp', 'hf', 'vllm', 'sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp']);
    const js = rows.find((row) => row[0] === 'transformers.js');
    expect(js?.[5]).toMatch(/^transformers\.js ignores top_p \(p = 0\.8\)/); // the flags are top_p 0.8 and temperature 1.5
    expect(rows.find((row) => row[0] === 'llama.cpp')?.[5]).toBe('');
    expect(section?.tables?.[1]?.rows.find((row) => row[0] === 'node-llama-cpp')?.[3]).toMatch(/^run/);
  });
});

describe('a report survives missing data', () => {
  it('a source that throws becomes a section that says why; the others are written', async () => {
    const sources: SectionSource[] = [
      { id: 'model', title: 'The embedded model', build: () => Promise.reject(new Error('no model file at ~/.cache/knobs')) },
      { id: 'completions', title: 'Completions', build: () => completionsSection({ id: 'completions', title: 'Completions', prompt: 'The robot', rows: [{ setting: 'temperature=0.7', seed: 1, text: 'felt <calm>' }] }) },
    ];
    const result = await writeReport(await buildSections(sources), { dir: join(root, 'missing'), png: false });
    expect(result.unavailable).toEqual([{ id: 'model', reason: 'no model file at ~/.cache/knobs' }]);
    const html = readFileSync(result.indexPath, 'utf8');
    expect(html).toContain('This section is unavailable: no model file at ~/.cache/knobs');
    expect(html).toContain('felt &lt;calm&gt;');
  });

  it('a figure that cannot be drawn is replaced by a message', async () => {
    const broken = { mark: 'bar', encoding: { x: { field: 'a', type: 'nonsense' } }, data: { values: [{ a: 1 }] } } as unknown as FigureSpec;
    const result = await writeReport([{ id: 's', title: 'S', figures: [{ name: 'bad', title: 'Bad', spec: broken }] }], { dir: join(root, 'broken'), png: false });
    expect(result.failedFigures).toHaveLength(1);
    expect(readFileSync(result.indexPath, 'utf8')).toContain('The figure could not be drawn');
  });
});

describe('distributionSection (the hook for real model distributions)', () => {
  it('draws any distribution with tokens, and a chain when given', async () => {
    const section = distributionSection({ id: 'eight', title: 'Eight tokens', logits: Float32Array.from(seedExamples.top_p_8.logits), tokens: seedExamples.top_p_8.tokens, chain: 'top_k=5,top_p=0.9' });
    expect(section.figures?.map((figure) => figure.name)).toEqual(['temperature', 'entropy', 'top-p', 'waterfall', 'engines']);
    expect(section.tables?.[0]?.rows[0]).toEqual(['1', 'the', '0', '0.4367', '0.4367']);
    const result = await writeReport([section], { dir: join(root, 'distribution'), png: false });
    expect(result.failedFigures).toEqual([]);
  });

  it('handles a large vocabulary with impossible tokens', async () => {
    const logits = new Float32Array(5000).map((_, id) => (id % 7 === 0 ? -Infinity : Math.sin(id) * 3));
    const section = distributionSection({ id: 'large', title: 'Large', logits, chain: 'top_k=40,top_p=0.95,temperature=0.8' });
    const result = await writeReport([section], { dir: join(root, 'large'), png: false });
    expect(result.failedFigures).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const path = join(root, 'atomic', 'a.txt');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(leftovers(join(root, 'atomic'))).toEqual([]);
  });

  it('leaves the old file untouched when the write fails', async () => {
    const path = join(root, 'atomic', 'b.txt');
    await writeFileAtomic(path, 'kept');
    await expect(writeFileAtomic(path, 42 as unknown as string)).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('kept');
    expect(leftovers(join(root, 'atomic'))).toEqual([]);
  });
});
