import { softmax } from '../core/softmax.js';
import { createSampler } from '../samplers/chain.js';
import { COLORS, percentLabel, themed, type FigureSpec, type PositionEncoding } from './theme.js';

/** What top-k and top-p keep of one distribution. */
export interface TruncationCase {
  readonly name: string;
  readonly k: number;
  readonly p: number;
  readonly topK: { readonly kept: number; readonly mass: number };
  readonly topP: { readonly kept: number; readonly mass: number };
}

/**
 * Tokens kept and probability mass kept (under the original distribution) by top-k = k
 * and by top-p = p, each applied alone.
 *
 * @example
 * truncationCase('confident', [5, 2, 1, 0, -1, -2, -3, -4], 3, 0.9).topP; // { kept: 1, mass: ≈ 0.927 }
 */
export function truncationCase(name: string, logits: ArrayLike<number>, k: number, p: number, engine = 'knobs'): TruncationCase {
  const input = Float32Array.from(logits);
  const probs = softmax(input);
  const measure = (stage: Record<string, number>) => {
    const after = createSampler([stage], { engine }).distribution(input);
    let kept = 0;
    let mass = 0;
    after.forEach((value, id) => {
      if (value > 0) {
        kept++;
        mass += probs[id] as number;
      }
    });
    return { kept, mass };
  };
  return { name, k, p, topK: measure({ top_k: k }), topP: measure({ top_p: p }) };
}

/**
 * Top-k against top-p, side by side: tokens kept (left) and probability mass kept (right)
 * on each distribution. Top-k keeps a fixed count whatever the mass; top-p adapts the
 * count to reach a fixed mass.
 *
 * @example
 * topKTopPSpec(compareDemo().map(...)); // confident: 3 vs 1 tokens; uncertain: 3 vs 7
 */
export function topKTopPSpec(cases: readonly TruncationCase[], options: { title?: string } = {}): FigureSpec {
  const rows = cases.flatMap((one) => [
    { distribution: one.name, method: `top-k (k = ${one.k})`, order: 0, kept: one.topK.kept, mass: one.topK.mass, massLabel: percentLabel(one.topK.mass) },
    { distribution: one.name, method: `top-p (p = ${one.p})`, order: 1, kept: one.topP.kept, mass: one.topP.mass, massLabel: percentLabel(one.topP.mass) },
  ]);
  const methods = [...new Set(rows.map((row) => row.method))];
  const x: PositionEncoding = { field: 'distribution', type: 'nominal', title: 'Distribution', sort: cases.map((one) => one.name), axis: { labelAngle: 0 } };
  const xOffset = { field: 'method', type: 'nominal', sort: methods } as const;
  const color = { field: 'method', type: 'nominal', title: 'Truncation', sort: methods, scale: { domain: methods, range: [COLORS.base, COLORS.highlight, ...COLORS.series] } } as const;
  const maxKept = Math.max(1, ...rows.map((row) => row.kept));
  return themed({
    title: { text: options.title ?? 'Top-k keeps a count, top-p keeps a mass', subtitle: 'each applied alone; mass is measured under the original distribution' },
    data: { values: rows },
    hconcat: [
      {
        width: 300,
        height: 260,
        title: 'Tokens kept',
        layer: [
          { mark: 'bar', encoding: { x, xOffset: { ...xOffset, sort: [...methods] }, y: { field: 'kept', type: 'quantitative', title: 'Tokens kept (count)', scale: { domain: [0, Math.ceil(maxKept * 1.15)] } }, color: { ...color, sort: [...methods], scale: { domain: [...methods], range: [...color.scale.range] } } } },
          { mark: { type: 'text', dy: -7, fontWeight: 'bold' }, encoding: { x, xOffset: { ...xOffset, sort: [...methods] }, y: { field: 'kept', type: 'quantitative' }, text: { field: 'kept', type: 'quantitative' } } },
        ],
      },
      {
        width: 300,
        height: 260,
        title: 'Probability mass kept',
        layer: [
          { mark: 'bar', encoding: { x, xOffset: { ...xOffset, sort: [...methods] }, y: { field: 'mass', type: 'quantitative', title: 'Mass kept (% of the original)', axis: { format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1] }, scale: { domain: [0, 1.12], nice: false } }, color: { ...color, sort: [...methods], scale: { domain: [...methods], range: [...color.scale.range] } } } },
          { mark: { type: 'text', dy: -7, fontWeight: 'bold' }, encoding: { x, xOffset: { ...xOffset, sort: [...methods] }, y: { field: 'mass', type: 'quantitative' }, text: { field: 'massLabel' } } },
        ],
      },
    ],
  });
}
