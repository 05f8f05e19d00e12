import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { plotCommand } from '../../src/cli/commands/plot.js';
import { addKnobFlags } from '../../src/cli/knobFlags.js';
import { FIGURES } from '../../src/report/figures.js';

const dir = mkdtempSync(join(tmpdir(), 'knobs-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `knobs plot ARGS` and returns what it printed. */
async function plot(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  await addKnobFlags(plotCommand()).exitOverride().parseAsync(args, { from: 'user' });
  vi.restoreAllMocks();
  return { stdout, stderr };
}

const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] as string);

describe('knobs plot', () => {
  it("temperature-figure --out t.png reproduces the seed's figure at 1800 x 1500", async () => {
    const out = join(dir, 't.png');
    const { stdout } = await plot('temperature-figure', '--out', out);
    expect(stdout).toContain('(1800 x 1500 pixels)');
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1800, 1500]);
  });

  it('writes SVG with the four labels, and the Vega-Lite spec as JSON', async () => {
    await plot('temperature-figure', '--out', join(dir, 't.svg'));
    expect(texts(readFileSync(join(dir, 't.svg'), 'utf8')).filter((text) => text.endsWith('%'))).toEqual(['59.0%', '45.5%', '35.7%', '24.8%']);
    await plot('temperature-figure', '--out', join(dir, 't.vl.json'));
    const spec = JSON.parse(readFileSync(join(dir, 't.vl.json'), 'utf8')) as { $schema: string; config: { font: string } };
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.config.font).toBe('DejaVu Sans');
  });

  it('reads the same inputs as knobs dist: --example and a chain', async () => {
    const out = join(dir, 'w.svg');
    await plot('waterfall', '--example', 'top-p-8', '--chain', 'top_k=3,temperature=0.5', '--out', out);
    const labels = texts(readFileSync(out, 'utf8'));
    // By hand: softmax of [3, 2.5, 2] has entropy 1.0202 nats; of [6, 5, 4] (T = 0.5), 0.8324.
    expect(labels).toContain('1. after top_k=3: 3 of 8 kept, entropy 1.020 nats');
    expect(labels).toContain('2. after temperature=0.5: 3 of 8 kept, entropy 0.832 nats');
    expect(labels).toContain('the');
  });

  it('takes k and p of the top-k vs top-p figure from --top-k and --top-p', async () => {
    const out = join(dir, 'c.svg');
    await plot('topk-topp', '--top-k', '2', '--top-p', '0.5', '--out', out);
    const labels = texts(readFileSync(out, 'utf8'));
    expect(labels).toContain('top-k (k = 2)');
    expect(labels).toContain('top-p (p = 0.5)');
  });

  it('says which options a figure ignores', async () => {
    const { stderr } = await plot('interaction', '--example', 'softmax-5', '--seeds', '20', '--out', join(dir, 'i.svg'));
    expect(stderr).toBe('knobs plot: interaction does not use --example (ignored)\n');
  });

  it('--list names every figure', async () => {
    const { stdout } = await plot('--list');
    for (const figure of FIGURES) expect(stdout).toContain(figure.name);
  });

  it('rejects an unknown extension, naming the file and the allowed ones', async () => {
    await expect(plot('softmax', '--out', join(dir, 'x.jpg'))).rejects.toThrow(/--out = ".*x\.jpg" is out of range: expected a file name ending in \.svg, \.png or \.vl\.json/);
  });

  it('rejects an unknown figure, listing the names', async () => {
    await expect(plot('pie', '--out', join(dir, 'x.svg'))).rejects.toThrow(/figure = "pie" is out of range: expected one of softmax, /);
  });
});
