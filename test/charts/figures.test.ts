import { describe, expect, it } from 'vitest';
import { chainWaterfallData } from '../../src/charts/chainWaterfall.js';
import { engineProfilesData } from '../../src/charts/engineProfiles.js';
import { entropySeries } from '../../src/charts/entropyTemperature.js';
import { FIGURES, getFigure, WATERFALL_DEFAULT_CHAIN } from '../../src/report/figures.js';
import { nucleusGrid } from '../../src/charts/nucleusHeatmap.js';
import { renderSvg } from '../../src/charts/render.js';
import { samplingData } from '../../src/charts/samplingFrequencies.js';
import { truncationCase } from '../../src/charts/topKTopP.js';
import { topPSteps } from '../../src/charts/topPCumulative.js';
import { InvalidParameterError } from '../../src/core/errors.js';
import { getExample, seedExamples } from '../../src/examples/index.js';

const figure = seedExamples.temperature_figure;
const logits20 = Float32Array.from(figure.logits);

describe('every figure', () => {
  it('has a unique name and a description', () => {
    const names = FIGURES.map((one) => one.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['temperature-figure', 'entropy-temperature', 'nucleus-heatmap', 'topk-topp', 'sampling', 'waterfall', 'engines']) expect(names).toContain(name);
  });

  for (const one of FIGURES) {
    it(`${one.name} builds with its defaults and renders without warnings`, async () => {
      const warnings: string[] = [];
      const svg = await renderSvg(one.build({ seeds: 50 }), { onWarning: (message) => warnings.push(message) });
      expect(warnings).toEqual([]);
      expect(svg).toMatch(/^<svg /);
      expect(svg).toContain('font-family="DejaVu Sans"');
    });
  }

  it('names the figures when one does not exist', () => {
    expect(() => getFigure('nope')).toThrow(InvalidParameterError);
    expect(() => getFigure('nope')).toThrow(/figure = "nope" is out of range: expected one of softmax, temperature-figure/);
  });

  it('refuses inputs too large to draw token by token, naming the limit', () => {
    const input = { logits: new Float32Array(50), source: 'flat-50' };
    expect(() => getFigure('softmax').build({ input })).toThrow(/softmax input size = 50 is out of range: expected at most 40 tokens/);
  });
});

describe('figure data against the seed reference', () => {
  it("nucleus sizes at p = 0.9 match the seed figure's panels (2, 4, 7, 11)", () => {
    const cells = nucleusGrid(logits20, figure.panels.map((panel) => panel.T), [0.9]);
    expect(cells.map((cell) => cell.size)).toEqual(figure.panels.map((panel) => panel['nucleus_p0.9']));
  });

  it("entropy at each panel's temperature matches the seed's entropy_nats", () => {
    const series = entropySeries('figure-20', figure.logits, figure.panels.map((panel) => panel.T));
    series.points.forEach((point, index) => expect(point.entropy).toBeCloseTo(figure.panels[index]?.entropy_nats ?? NaN, 4));
    expect(series.vocabSize).toBe(20);
  });

  it('top-k = 3 vs top-p = 0.9 keeps 3/1 and 3/7 tokens with the seed masses', () => {
    for (const [name, one] of Object.entries(seedExamples.compare_topk_topp.cases)) {
      const result = truncationCase(name, one.logits, 3, 0.9);
      expect(result.topK.kept).toBe(3);
      expect(result.topK.mass).toBeCloseTo(one.top_k3_mass, 6);
      expect(result.topP.kept).toBe(one['top_p0.9_tokens']);
      expect(result.topP.mass).toBeCloseTo(one['top_p0.9_true_mass'], 6);
    }
  });

  it('top-p steps on the eight tokens keep 4 with the seed cumulative sums', () => {
    const steps = topPSteps(seedExamples.top_p_8.logits, 0.9, seedExamples.top_p_8.tokens);
    expect(steps.kept).toBe(seedExamples.top_p_8.kept);
    let running = 0;
    seedExamples.top_p_8.original.forEach((p, rank) => expect(steps.cumulative[rank]).toBeCloseTo((running += p), 6));
  });

  it('the default waterfall keeps 20, 10, 7, 6, 6 (by hand: top-p 0.95 of the renormalised top 10 crosses at 7; min-p 0.1 cuts 0.0284 < 0.0357)', () => {
    const stages = chainWaterfallData(logits20, WATERFALL_DEFAULT_CHAIN);
    expect(stages.map((stage) => stage.kept)).toEqual([20, 10, 7, 6, 6]);
    expect(stages.map((stage) => stage.label)).toEqual(['input', 'top_k=10', 'top_p=0.95', 'min_p=0.1', 'temperature=0.7']);
  });

  it('engines order flag-style knobs differently: top-p 0.8 then T 1.5 keeps 4, T 1.5 then top-p 0.8 keeps 8', () => {
    // T = 1: cumulative 0.357, 0.676, 0.746, 0.802 -> 4. T = 1.5: ..., 0.7536, 0.7995, 0.8412 -> 8.
    const results = engineProfilesData(logits20, (engine) => (engine === 'hf' ? 'temperature=1.5,top_p=0.8' : 'top_p=0.8,temperature=1.5'), ['knobs', 'hf']);
    expect(results.map((result) => result.kept)).toEqual([4, 8]);
    expect(results[1]?.chain).toBe('temperature=1.5 \u2192 top_p=0.8');
  });

  it('an engine that rejects the chain is reported, not thrown', () => {
    const [result] = engineProfilesData(logits20, () => 'top_p=1.5', ['knobs']);
    expect(result?.error).toMatch(/1\.5/);
    expect(result?.probs.length).toBe(0);
  });

  it('sampling pairs counts with expected probabilities, cut tokens never drawn', () => {
    const example = getExample('top-p-8');
    const data = samplingData(Float32Array.from(example.logits), 'top_p=0.9', { n: 2000, seed: 3, tokens: example.tokens ?? [] });
    expect(data.rows.map((row) => row.label)).toEqual(seedExamples.top_p_8.tokens);
    data.rows.forEach((row, id) => expect(row.expected).toBeCloseTo(seedExamples.top_p_8.filtered[id] as number, 6));
    expect(data.rows.slice(4).every((row) => row.count === 0)).toBe(true);
    expect(data.rows.reduce((sum, row) => sum + row.count, 0)).toBe(2000);
    for (const row of data.rows) expect(row.low <= row.frequency && row.frequency <= row.high).toBe(true);
    expect(data.degreesOfFreedom).toBe(3);
  });
});
