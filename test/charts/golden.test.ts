import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chainWaterfallSpec } from '../../src/charts/chainWaterfall.js';
import { engineProfilesSpec } from '../../src/charts/engineProfiles.js';
import { entropySeries, entropyTemperatureSpec } from '../../src/charts/entropyTemperature.js';
import { interactionBandsSpec } from '../../src/charts/interactionBands.js';
import { nucleusHeatmapSpec } from '../../src/charts/nucleusHeatmap.js';
import { renderSvg } from '../../src/charts/render.js';
import { samplingFrequenciesSpec } from '../../src/charts/samplingFrequencies.js';
import { softmaxBarsSpec } from '../../src/charts/softmaxBars.js';
import { temperatureCurvesSpec } from '../../src/charts/temperatureCurves.js';
import { temperatureFigureSpec } from '../../src/charts/temperatureFigure.js';
import type { FigureSpec } from '../../src/charts/theme.js';
import { topKTopPSpec } from '../../src/charts/topKTopP.js';
import { topPCumulativeSpec } from '../../src/charts/topPCumulative.js';
import { seedExamples } from '../../src/examples/index.js';

/**
 * Golden SVGs: each builder on fixed data (the seed reference file, or literals written
 * here), rendered and compared as text with test/golden/NAME.svg. The data does not go
 * through the samplers, so these files change only when a chart or the renderer does.
 * Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run test/charts`
 * and review the diff (and the pictures) before committing.
 */
const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

const figure = seedExamples.temperature_figure;
const compare = seedExamples.compare_topk_topp;
const topP = seedExamples.top_p_8;

const CASES: Record<string, () => FigureSpec> = {
  'temperature-figure': () => temperatureFigureSpec(figure.panels.map((panel) => ({ temperature: panel.T, probs: panel.probs }))),
  softmax: () => softmaxBarsSpec(seedExamples.softmax_5.logits),
  'temperature-curves': () => temperatureCurvesSpec(seedExamples.temperature_table.logits, { marked: [0.1, 0.5, 1, 1.5, 2] }),
  'entropy-temperature': () =>
    entropyTemperatureSpec([entropySeries('softmax-5', seedExamples.softmax_5.logits, [0, 0.5, 1, 1.5, 2, 3]), entropySeries('figure-20', figure.logits, [0, 0.5, 1, 1.5, 2, 3])]),
  'top-p': () => {
    // The seed's own numbers: probabilities, order, and what top-p = 0.9 kept.
    let running = 0;
    const order = topP.original.map((_, id) => id);
    return topPCumulativeSpec({
      tokens: topP.tokens,
      p: topP.p,
      probs: Float32Array.from(topP.original),
      order,
      cumulative: order.map((id) => (running += topP.original[id] as number)),
      kept: topP.kept,
      filtered: Float32Array.from(topP.filtered),
    });
  },
  'topk-topp': () =>
    topKTopPSpec(
      Object.entries(compare.cases).map(([name, one]) => ({
        name,
        k: compare.k,
        p: compare.p,
        topK: { kept: compare.k, mass: one.top_k3_mass },
        topP: { kept: one['top_p0.9_tokens'], mass: one['top_p0.9_true_mass'] },
      })),
    ),
  interaction: () =>
    interactionBandsSpec(
      [0.3, 0.5, 0.7, 1.0, 1.3].map((temperature, index) => {
        const key = temperature.toFixed(1) as keyof typeof seedExamples.temp_topp_interaction.published_example_run;
        const median = seedExamples.temp_topp_interaction.typical_medians_over_seeds[key];
        return { temperature, firstDraw: median, median, p5: Math.max(1, median - 4 - index), p25: Math.max(1, median - 2), p75: median + 3, p95: median + 6 + index, published: seedExamples.temp_topp_interaction.published_example_run[key] };
      }),
      { seeds: 1000 },
    ),
  'nucleus-heatmap': () =>
    nucleusHeatmapSpec(
      // Sizes of the seed figure's panels at p = 0.9 (nucleus_p0.9), with p = 0.5 and 0.99 rows made up (at most V = 20).
      [0.5, 0.9, 0.99].flatMap((p) => figure.panels.map((panel) => ({ temperature: panel.T, p, size: p === 0.9 ? panel['nucleus_p0.9'] : p === 0.5 ? 1 + Math.floor(panel.T) : Math.min(20, 2 * panel['nucleus_p0.9'] + 1) }))),
      { vocabSize: 20 },
    ),
  sampling: () =>
    samplingFrequenciesSpec(
      {
        n: 1000,
        seed: 0,
        vocabSize: 8,
        chi2: 2.59,
        degreesOfFreedom: 3,
        pValue: 0.459,
        rows: topP.tokens.map((token, id) => {
          const expected = topP.filtered[id] as number;
          const count = [498, 271, 172, 59, 0, 0, 0, 0][id] as number;
          return { id, label: token, expected, count, frequency: count / 1000, low: Math.max(0, count / 1000 - 0.03), high: count / 1000 + 0.03 };
        }),
      },
      { chain: 'top_p=0.9' },
    ),
  waterfall: () =>
    chainWaterfallSpec(
      [
        { label: 'input', probs: Float32Array.from(topP.original), kept: 8, entropy: 1.65 },
        { label: 'top_p=0.9', probs: Float32Array.from(topP.filtered), kept: 4, entropy: 1.22 },
      ],
      { tokens: topP.tokens },
    ),
  engines: () =>
    engineProfilesSpec(
      [
        { engine: 'knobs', chain: 'top_p=0.9', probs: Float32Array.from(topP.filtered), kept: 4 },
        { engine: 'hf', chain: 'temperature=1 → top_p=0.9', probs: Float32Array.from(topP.filtered), kept: 4 },
        { engine: 'vllm', chain: 'top_p=0.9', probs: new Float32Array(0), kept: 0, error: 'an example error' },
        { engine: 'sglang', chain: 'top_p=0.9', probs: Float32Array.from(topP.filtered), kept: 4 },
        {
          engine: 'transformers.js',
          chain: 'top_p=0.9',
          probs: Float32Array.from(topP.original),
          kept: 8,
          warnings: ['transformers.js ignores top_p (p = 0.9): its TopPLogitsWarper is never built'],
        },
      ],
      { input: topP.original, tokens: topP.tokens },
    ),
};

describe('golden SVGs', () => {
  for (const [name, build] of Object.entries(CASES)) {
    it(`${name} renders as test/golden/${name}.svg, without warnings`, async () => {
      const warnings: string[] = [];
      const svg = await renderSvg(build(), { onWarning: (message) => warnings.push(message) });
      expect(warnings).toEqual([]);
      const path = `${GOLDEN_DIR}${name}.svg`;
      if (update) writeFileSync(path, svg);
      expect(existsSync(path), `missing ${path}: run UPDATE_GOLDEN=1 npx vitest run test/charts`).toBe(true);
      expect(svg === readFileSync(path, 'utf8'), `${name}.svg differs from the golden file (UPDATE_GOLDEN=1 regenerates it)`).toBe(true);
    });
  }

  it('renders the same spec to the same text twice (clip-path ids restart)', async () => {
    const build = CASES.waterfall as () => FigureSpec;
    expect(await renderSvg(build())).toBe(await renderSvg(build()));
  });
});
