import { softmax } from '../core/softmax.js';
import { createSampler } from '../samplers/chain.js';
import { COLORS, rankOrder, themed, tokenLabels, type FigureSpec } from './theme.js';

/** Top-p step by step: the data of the top-p figure. */
export interface TopPSteps {
  readonly tokens: readonly string[];
  readonly p: number;
  readonly probs: Float32Array;
  /** Token ids by probability descending. */
  readonly order: number[];
  /** Cumulative probability along `order`. */
  readonly cumulative: number[];
  readonly kept: number;
  /** Renormalised nucleus in token order (0 for cut tokens). */
  readonly filtered: Float32Array;
}

/**
 * Top-p step by step on any distribution, in the shape of the seed's `topPDemo`: the
 * probabilities, the rank order, the running cumulative sum, and what top-p keeps.
 *
 * @example
 * topPSteps([3, 2.5, 2, 1, 0.5, 0, -0.5, -1], 0.9).kept; // 4
 */
export function topPSteps(logits: ArrayLike<number>, p: number, tokens?: readonly string[], engine = 'knobs'): TopPSteps {
  const probs = softmax(logits);
  const order = rankOrder(probs);
  let running = 0;
  const cumulative = order.map((id) => (running += probs[id] as number));
  const filtered = createSampler([{ top_p: p }], { engine }).distribution(logits);
  const kept = filtered.reduce((count, value) => count + (value > 0 ? 1 : 0), 0);
  return { tokens: tokens ?? Array.from({ length: probs.length }, (_, id) => `#${id}`), p, probs, order, cumulative, kept, filtered };
}

/**
 * Top-p step by step: tokens by probability, bars coloured kept or cut, the running
 * cumulative probability as a line, and p as a dashed threshold; the nucleus is the
 * shortest prefix whose cumulative sum reaches p (the crossing token is kept).
 *
 * @example
 * topPCumulativeSpec(topPDemo()); // 4 of 8 kept at p = 0.9
 */
export function topPCumulativeSpec(demo: TopPSteps, options: { title?: string; maxTokens?: number } = {}): FigureSpec {
  const labels = tokenLabels(demo.probs.length, demo.tokens);
  const shown = demo.order.slice(0, options.maxTokens ?? 30);
  const values = shown.map((id, rank) => {
    const kept = (demo.filtered[id] as number) > 0;
    return { token: labels[id] as string, p: demo.probs[id] as number, cumulative: demo.cumulative[rank] as number, status: kept ? 'kept' : 'cut', cumulativeLabel: (demo.cumulative[rank] as number).toFixed(3) };
  });
  const order = values.map((row) => row.token);
  const x = { field: 'token', type: 'nominal', sort: order, title: 'Token (by probability)', axis: { labelAngle: shown.length > 12 ? -45 : 0 } } as const;
  const y = { type: 'quantitative', scale: { domain: [0, 1.05], nice: false }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } } as const;
  return themed({
    title: { text: options.title ?? `Top-p = ${demo.p}: keep the shortest prefix reaching p`, subtitle: `${demo.kept} of ${demo.probs.length} tokens kept; the token that crosses p is kept${shown.length < demo.order.length ? ` (the ${shown.length} most likely shown)` : ''}` },
    data: { values },
    width: Math.max(400, 40 * shown.length),
    height: 300,
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { ...x, sort: [...order] },
          y: { ...y, field: 'p', title: 'Probability / cumulative probability', scale: { domain: [0, 1.05], nice: false }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } },
          color: { field: 'status', type: 'nominal', title: 'Top-p', scale: { domain: ['kept', 'cut'], range: [COLORS.base, COLORS.removed] } },
        },
      },
      {
        mark: { type: 'line', color: COLORS.highlight, point: { color: COLORS.highlight }, strokeWidth: 2 },
        encoding: { x: { ...x, sort: [...order] }, y: { ...y, field: 'cumulative', scale: { domain: [0, 1.05], nice: false }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } } },
      },
      {
        // The running sums as numbers, when there is room for them.
        transform: [{ filter: `${shown.length <= 12}` }],
        mark: { type: 'text', color: COLORS.highlight, dy: -10, dx: -4, align: 'right', fontSize: 11 },
        encoding: { x: { ...x, sort: [...order] }, y: { field: 'cumulative', type: 'quantitative' }, text: { field: 'cumulativeLabel' } },
      },
      {
        data: { values: [{ p: demo.p, label: `p = ${demo.p}` }] },
        layer: [
          { mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.reference }, encoding: { y: { field: 'p', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'right', dy: 10, x: 'width', dx: -4, color: COLORS.reference }, encoding: { y: { field: 'p', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    ],
  });
}
