import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { DecodingComparison, DecodingRow } from '../../src/decoding/compareDecoding.js';
import { decodingComparisonChart } from '../../src/report/decodingChart.js';
import { decodingComparisonSection } from '../../src/report/decodingSection.js';
import { decodingTable } from '../../src/report/decodingTable.js';
import { HOLTZMAN_TABLE_1 } from '../../src/decoding/holtzmanTable1.js';

const metrics = (perplexity: number, selfBleu4: number, zipf: number, repetition: number) => ({
  perplexity,
  selfBleu4,
  zipf,
  repetition,
  repetitionStated: repetition,
  distinct1: 0.5,
  distinct2: 0.75,
  meanLength: 60,
});
const rows: DecodingRow[] = [
  { name: 'human', label: 'Human', family: 'human', status: 'done', metrics: metrics(500, 0.02, 0.5, 0), paper: HOLTZMAN_TABLE_1.human, modelCalls: 0, seconds: 0, generations: [{ tokens: [1, 2], logprobs: [0, 0], stopped: false }] },
  { name: 'greedy', label: 'Greedy', family: 'maximization', status: 'done', metrics: metrics(9.5, 0.9, 1.6, 0.45), paper: HOLTZMAN_TABLE_1.greedy, modelCalls: 0, seconds: 0 },
  { name: 'min-p-0.1', label: 'Min-p=0.1', family: 'truncation', status: 'done', metrics: metrics(17, NaN, 0.8, 0.05), modelCalls: 0, seconds: 0 },
  { name: 'typical-p-0.95', label: 'Typical p=0.95', family: 'truncation', status: 'pending', note: 'sampler typical_p is not registered yet', modelCalls: 0, seconds: 0 },
];
const comparison: DecodingComparison = { model: 'test:model', prompts: 20, maxTokens: 60, seed: 0, rows, seconds: 1 };

describe('decodingTable', () => {
  it('formats our metrics, pending rows and, on request, the paper\u2019s values', () => {
    const { header, rows: cells } = decodingTable(comparison, { paper: true });
    expect(header).toEqual(['strategy', 'perplexity', 'self-BLEU-4', 'Zipf', 'repetition %', 'distinct-2', 'length', 'paper ppl', 'paper s-BLEU', 'paper Zipf', 'paper rep %']);
    expect(cells[1]).toEqual(['Greedy', '9.50', '0.900', '1.60', '45.0', '0.750', '60.0', '1.50', '0.50', '1.00', '73.66']);
    expect(cells[2]).toEqual(['Min-p=0.1', '17.00', '-', '0.80', '5.0', '0.750', '60.0', '', '', '', '']);
    expect(cells[3]?.slice(0, 2)).toEqual(['Typical p=0.95', 'pending']);
    expect(decodingTable(comparison).header).toHaveLength(7);
  });
});

describe('decodingComparisonChart', () => {
  it('is a Vega-Lite spec that compiles: four panels, perplexity on a log scale from 1, rows in table order', () => {
    const spec = decodingComparisonChart(comparison) as { hconcat: { data: { values: { strategy: string }[] }; layer: { encoding: { x: { scale?: { type: string } }; x2?: unknown; y?: { sort: string[] } } }[] }[] };
    expect(() => compile(spec as never)).not.toThrow();
    expect(spec.hconcat).toHaveLength(4);
    expect(spec.hconcat[0]!.layer[0]!.encoding.x.scale).toEqual({ type: 'log' });
    expect(spec.hconcat[0]!.layer[0]!.encoding.x2).toEqual({ datum: 1 }); // log-scale bars start at perplexity 1
    expect(spec.hconcat[0]!.layer[0]!.encoding.y?.sort).toEqual(['Human', 'Greedy', 'Min-p=0.1']); // pending row left out
    expect(spec.hconcat[1]!.data.values.map((value) => value.strategy)).toEqual(['Human', 'Greedy']); // NaN self-BLEU left out
    expect(spec.hconcat[0]!.layer).toHaveLength(2); // bars and the human rule
  });
});

describe('decodingComparisonSection', () => {
  it('gives the report its paragraphs, figure, tables and notes as plain data', () => {
    const section = decodingComparisonSection(comparison, (tokens) => tokens.join('+'));
    expect(section.id).toBe('decoding-comparison');
    expect(section.figures?.[0]?.spec).toEqual(decodingComparisonChart(comparison));
    expect(section.tables?.[0]?.header).toContain('paper ppl');
    const findings = section.tables?.[1];
    expect(findings?.header).toEqual(['finding', 'here', 'in the paper', 'numbers here']);
    expect(findings?.rows.find((r) => r[0] === 'nucleus sampling is closest to the human reference in repetition')?.[2]).toBe('no');
    expect(section.tables?.[2]?.rows).toEqual([['Human', '1+2']]);
    expect(JSON.parse(JSON.stringify(section)).id).toBe('decoding-comparison');
  });
});
