import { describe, expect, it } from 'vitest';
import { determinismCells } from '../../src/experiments/determinismCells.js';
import { metricsBySetting } from '../../src/experiments/metricsBySetting.js';
import { metricsTable } from '../../src/experiments/metricsTable.js';
import { cellTemperature } from '../../src/experiments/cellTemperature.js';
import { determinismChartSpec, diversityPoints, diversityTemperatureSpec } from '../../src/report/experimentCharts.js';
import { row, tokens } from './rows.js';

// Two prompts at T = 0 and T = 1 on one provider:
//   p1, T=0: 'a b' x 2           p1, T=1: 'a b', 'c d'
//   p2, T=0: 'x y', 'x z'        p2, T=1: 'x y', 'u v'
const rows = [
  row({ prompt_id: 'p1', settings: { temperature: 0 }, index: 0, text: 'a b' }),
  row({ prompt_id: 'p1', settings: { temperature: 0 }, index: 1, text: 'a b' }),
  row({ prompt_id: 'p1', settings: { temperature: 1 }, index: 0, text: 'a b' }),
  row({ prompt_id: 'p1', settings: { temperature: 1 }, index: 1, text: 'c d' }),
  row({ prompt_id: 'p2', prompt: 'Q2', settings: { temperature: 0 }, index: 0, text: 'x y', tokens: tokens([['x', -0.1], [' y', -0.6, [[' y', -0.6], [' z', -0.9]]]]) }),
  row({ prompt_id: 'p2', prompt: 'Q2', settings: { temperature: 0 }, index: 1, text: 'x z', tokens: tokens([['x', -0.1], [' z', -0.9]]) }),
  row({ prompt_id: 'p2', prompt: 'Q2', settings: { temperature: 1 }, index: 0, text: 'x y' }),
  row({ prompt_id: 'p2', prompt: 'Q2', settings: { temperature: 1 }, index: 1, text: 'u v' }),
];

describe('cellTemperature', () => {
  it('reads the temperature field, else the last temperature stage of the chain', () => {
    expect(cellTemperature({ settings: { temperature: 0.7 } })).toBe(0.7);
    expect(cellTemperature({ settings: {}, chain: 'top_k=40,temperature=0.8' })).toBe(0.8);
    expect(cellTemperature({ settings: {}, chain: [{ temperature: 0.2 }, { top_p: 0.9 }, { temperature: { t: 1.1 } }] })).toBe(1.1);
    expect(cellTemperature({ settings: {}, chain: 'top_k=40' })).toBeUndefined();
    expect(cellTemperature({ settings: {} })).toBeUndefined();
  });
});

describe('diversityPoints', () => {
  it('averages each metric over prompts at every temperature', () => {
    const points = diversityPoints(metricsBySetting(rows));
    const value = (metric: string, temperature: number): number | undefined => points.find((point) => point.metric === metric && point.temperature === temperature)?.value;
    // distinct-2: p1 T=0: 1 distinct bigram of 2 = 0.5; p2 T=0: 'x y','x z' = 2/2 = 1 -> mean 0.75
    expect(value('distinct2', 0)).toBeCloseTo(0.75, 12);
    // T=1: both prompts have two different bigrams of 2 -> 1
    expect(value('distinct2', 1)).toBeCloseTo(1, 12);
    // distinct completions / n: T=0: (1/2 + 2/2) / 2 = 0.75; T=1: 1
    expect(value('distinctShare', 0)).toBeCloseTo(0.75, 12);
    expect(value('distinctShare', 1)).toBe(1);
    // cosine similarity: p1 T=0 identical = 1; p2 T=0 share 'x' = 1/2 -> 0.75; T=1: p1 0, p2 'x y' vs 'u v' 0 -> 0
    expect(value('pairwiseSimilarity', 0)).toBeCloseTo(0.75, 12);
    expect(value('pairwiseSimilarity', 1)).toBe(0);
    expect(points.every((point) => point.series === 'local/embedded' && point.prompts === 2)).toBe(true);
  });

  it('names a series by its other settings when they vary', () => {
    const points = diversityPoints(metricsBySetting([row({ settings: { temperature: 1, top_p: 0.9 }, text: 'a' }), row({ settings: { temperature: 1, top_p: 0.9 }, index: 1, text: 'b' })]));
    expect(points[0]?.series).toBe('local/embedded · top_p=0.9');
  });

  it('builds a faceted Vega-Lite spec with one panel per metric', () => {
    const spec = diversityTemperatureSpec(diversityPoints(metricsBySetting(rows))) as unknown as { facet: { field: string }; data: { values: unknown[] }; resolve: unknown };
    expect(spec.facet.field).toBe('panel');
    expect(spec.data.values).toHaveLength(8); // 4 metrics x 2 temperatures
    expect(spec.resolve).toEqual({ scale: { y: 'independent' } });
  });
});

describe('determinismCells', () => {
  it('analyses every T = 0 cell with several completions', () => {
    const cells = determinismCells(rows);
    expect(cells.map((cell) => [cell.promptId, cell.analysis.trials, cell.analysis.distinct])).toEqual([
      ['p1', 2, 1],
      ['p2', 2, 2],
    ]);
    // p2 diverges at token 1; top two there: ' y' (-0.6) and ' z' (-0.9): gap 0.3 nats
    expect(cells[1]?.analysis.divergence).toMatchObject({ unit: 'token', position: 1, prefix: 'x' });
    expect(cells[1]?.analysis.divergence?.logprobGap).toBeCloseTo(0.3, 12);
    const spec = determinismChartSpec(cells) as unknown as { data: { values: { name: string; label: string; deterministic: string }[] } };
    expect(spec.data.values).toEqual([
      { name: 'local/embedded · p1', distinct: 1, label: '1 / 2', deterministic: 'identical', prompt: 'The robot looked at the sunset and felt' },
      { name: 'local/embedded · p2', distinct: 2, label: '2 / 2', deterministic: 'differ', prompt: 'Q2' },
    ]);
  });
});

describe('metricsTable', () => {
  it('has a column per metric, a prompt column when there are several prompts, dashes for undefined values', () => {
    const table = metricsTable(metricsBySetting(rows));
    expect(table.header).toEqual(['prompt', 'setting', 'n', 'distinct', 'distinct-1', 'distinct-2', 'distinct-3', 'self-BLEU', 'similarity', 'words', 'logprob', 'perplexity']);
    // p1 T=0: 'a b' twice: distinct-1 = 2/4, distinct-2 = 1/2, no trigram, self-BLEU of identical texts = 1 (4-gram smoothed: (1·1·0.1·0.1)^(1/4))
    expect(table.rows[0]).toEqual(['p1', 'temperature=0', '2', '1', '0.500', '0.500', '-', (0.01 ** 0.25).toFixed(3), '1.000', '2.0', '-', '-']);
    // p2 T=0 has token log-probabilities: mean (-0.1 - 0.6 - 0.1 - 0.9) / 4 = -0.425, perplexity e^0.425
    expect(table.rows[2]?.slice(-2)).toEqual(['-0.425', Math.exp(0.425).toFixed(2)]);
  });
});
