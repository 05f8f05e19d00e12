import { describe, expect, it } from 'vitest';
import { compareDemo, figureDemo, interactionDemo, softmaxDemo, temperatureDemo, topPDemo } from '../../src/demos/index.js';
import { expectClose, reference } from './reference.js';

describe('the seed demonstrations', () => {
  it('softmax prints the original line', () => {
    expect(softmaxDemo().printed).toBe(reference.softmax_5.printed);
  });

  it('temperature gives the five rows with entropies 0.04, 1.00, 1.39, 1.51, 1.55', () => {
    const rows = temperatureDemo();
    expect(rows.map((row) => row.temperature)).toEqual(reference.temperature_table.rows.map((row: { T: number }) => row.T));
    expect(rows.map((row) => row.entropy.toFixed(2))).toEqual(['0.04', '1.00', '1.39', '1.51', '1.55']);
  });

  it('top-p keeps four tokens with the reference probabilities', () => {
    const demo = topPDemo();
    expect(demo.kept).toBe(reference.top_p_8.kept);
    expectClose(demo.filtered, reference.top_p_8.filtered, 1e-7);
    expect(demo.cumulative[3]).toBeCloseTo(0.4366563441 + 0.2648454604 + 0.1606368918 + 0.05909501, 6);
  });

  it('compare reports the true kept mass of top-p', () => {
    const [confident, uncertain] = compareDemo();
    expect(confident?.topP).toEqual({ kept: 1, mass: expect.closeTo(reference.compare_topk_topp.cases.confident['top_p0.9_true_mass'], 6) });
    expect(uncertain?.topP.kept).toBe(7);
    expect(uncertain?.topP.mass).toBeCloseTo(reference.compare_topk_topp.cases.uncertain['top_p0.9_true_mass'], 6);
    expect(uncertain?.topK.mass).toBeCloseTo(reference.compare_topk_topp.cases.uncertain.top_k3_mass, 6);
  });

  it('figure panels carry the labels, entropies and nucleus sizes of the reference', () => {
    const panels = figureDemo();
    reference.temperature_figure.panels.forEach((expected: { T: number; top_label: string; entropy_nats: number; 'nucleus_p0.9': number }, index: number) => {
      const panel = panels[index];
      expect(panel?.topLabel).toBe(expected.top_label);
      expect(panel?.entropy).toBeCloseTo(expected.entropy_nats, 4);
      expect(panel?.nucleus).toBe(expected['nucleus_p0.9']);
    });
  });

  it('interaction medians over 1,000 seeds are near the typical medians of the reference', () => {
    const typical = reference.temp_topp_interaction.typical_medians_over_seeds as Record<string, number>;
    for (const row of interactionDemo({ seeds: 1000 })) {
      const expected = typical[row.temperature.toFixed(1)] as number;
      expect(Math.abs(row.median - expected)).toBeLessThanOrEqual(Math.max(1, expected * 0.1));
      expect(row.p5).toBeLessThanOrEqual(row.median);
      expect(row.p95).toBeGreaterThanOrEqual(row.median);
      expect(row.published).toBe(reference.temp_topp_interaction.published_example_run[row.temperature.toFixed(1)]);
    }
  });
});
