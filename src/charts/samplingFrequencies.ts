import { sampleCounts } from '../analysis/sampleCounts.js';
import { softmax } from '../core/softmax.js';
import type { SamplerOptions } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { COLORS, rankOrder, tokenLabels, type FigureSpec } from './theme.js';
import { themed } from './theme.js';
import { wilsonInterval } from './wilson.js';

/** One token's expected probability against its sampled frequency. */
export interface SamplingRow {
  readonly id: number;
  readonly label: string;
  /** Probability under the chain. */
  readonly expected: number;
  readonly count: number;
  /** `count / n`. */
  readonly frequency: number;
  /** 95% Wilson interval of the frequency. */
  readonly low: number;
  readonly high: number;
}

/** Seeded draws against the chain's distribution, with Pearson's chi-square. */
export interface SamplingData {
  readonly n: number;
  readonly seed: number;
  readonly vocabSize: number;
  readonly chi2: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** The input's most likely tokens, in that order (removed tokens included). */
  readonly rows: readonly SamplingRow[];
}

/**
 * Draws `n` seeded tokens through `chain` (`sampleCounts`) and pairs every shown token's
 * frequency, with its 95% Wilson interval, with its expected probability.
 *
 * @example
 * samplingData(Float32Array.from([3, 2.5, 2, 1, 0.5, 0, -0.5, -1]), 'top_p=0.9', { n: 1000 }).rows[0].expected; // ≈ 0.474
 */
export function samplingData(logits: Float32Array, chain: ChainSpec | string, options: SamplerOptions & { n?: number; tokens?: readonly string[]; maxTokens?: number } = {}): SamplingData {
  const n = options.n ?? 1000;
  const seed = options.seed ?? 0;
  const result = sampleCounts(logits, chain, n, { ...options, seed });
  const labels = tokenLabels(logits.length, options.tokens);
  const ids = rankOrder(softmax(logits)).slice(0, options.maxTokens ?? 20);
  const rows = ids.map((id) => {
    const count = result.counts[id] as number;
    return { id, label: labels[id] as string, expected: result.expected[id] as number, count, frequency: count / n, ...wilsonInterval(count, n) };
  });
  return { n, seed, vocabSize: logits.length, chi2: result.chi2, degreesOfFreedom: result.degreesOfFreedom, pValue: result.pValue, rows };
}

/**
 * Sampled frequencies against expected probabilities: a bar per token for the chain's
 * probability, a dark red point for the observed frequency with its 95% Wilson interval.
 * A sampler that draws correctly puts about 19 intervals in 20 across the bar tops.
 *
 * @example
 * samplingFrequenciesSpec(samplingData(logits, 'top_p=0.9', { n: 1000 }));
 */
export function samplingFrequenciesSpec(data: SamplingData, options: { title?: string; chain?: string } = {}): FigureSpec {
  const values = data.rows.map((row) => ({ ...row }));
  const labels = data.rows.map((row) => row.label);
  const expectedName = 'expected probability (chain)';
  const observedName = 'observed frequency, 95% interval';
  const x = { field: 'label', type: 'nominal', title: 'Token (in order of the input probability)', sort: labels, axis: { labelAngle: labels.some((label) => label.length > 3) ? -45 : 0 } } as const;
  const test = `${data.n} seeded draws (seed ${data.seed})${options.chain ? ` through ${options.chain}` : ''}: chi-square = ${data.chi2.toFixed(2)}, df = ${data.degreesOfFreedom}, p-value = ${data.pValue.toFixed(3)}`;
  return themed({
    title: { text: options.title ?? 'Sampled frequencies match the expected probabilities', subtitle: test },
    data: { values },
    width: Math.max(360, 36 * labels.length),
    height: 300,
    encoding: { x: { ...x, sort: [...labels] } },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          y: { field: 'expected', type: 'quantitative', title: 'Probability / frequency' },
          color: { datum: expectedName, type: 'nominal', title: null, scale: { domain: [expectedName, observedName], range: [COLORS.base, COLORS.highlight] }, legend: { orient: 'top', direction: 'horizontal', labelLimit: 0, symbolType: 'square' } },
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { datum: observedName, type: 'nominal' } },
      },
      {
        mark: { type: 'point', filled: true, size: 45, opacity: 1 },
        encoding: { y: { field: 'frequency', type: 'quantitative' }, color: { datum: observedName, type: 'nominal' } },
      },
    ],
  });
}
