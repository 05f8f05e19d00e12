import { softmax } from '../core/softmax.js';
import { axisTop } from './scale.js';
import { COLORS, percentLabel, themed, tokenLabels, type FigureSpec } from './theme.js';

/**
 * Softmax in one picture: the logits (left) and the probabilities they become (right),
 * token by token, each probability labelled to three decimals as the seed printed them.
 *
 * @example
 * softmaxBarsSpec([2, 1.5, 1, 0.5, 0]); // probabilities 0.429, 0.260, 0.158, 0.096, 0.058
 */
export function softmaxBarsSpec(logits: readonly number[], options: { tokens?: readonly string[]; title?: string } = {}): FigureSpec {
  const probs = softmax(logits);
  const labels = options.tokens ? tokenLabels(logits.length, options.tokens) : logits.map((_, id) => `token ${id}`);
  const low = Math.min(0, ...logits);
  const high = Math.max(0, ...logits);
  const values = logits.map((logit, id) => ({ token: labels[id] as string, logit, p: probs[id] as number, pLabel: (probs[id] as number).toFixed(3), percent: percentLabel(probs[id] as number) }));
  const x = { field: 'token', type: 'nominal', sort: [...labels], title: 'Token', axis: { labelAngle: 0 } } as const;
  return themed({
    title: { text: options.title ?? 'Softmax turns logits into probabilities', subtitle: 'p_i = exp(l_i) / sum_j exp(l_j): the order is kept, the gaps become ratios' },
    data: { values },
    hconcat: [
      {
        width: 280,
        height: 220,
        title: 'Logits (scores)',
        layer: [
          { mark: { type: 'bar', color: COLORS.reference }, encoding: { x: { ...x, sort: [...labels] }, y: { field: 'logit', type: 'quantitative', title: 'Logit (unnormalised log-probability)', scale: { domain: [low < 0 ? -axisTop(-low) : 0, axisTop(high)], nice: false } } } },
          { mark: { type: 'text', dy: -7 }, encoding: { x: { ...x, sort: [...labels] }, y: { field: 'logit', type: 'quantitative' }, text: { field: 'logit', type: 'quantitative', format: '.1f' } } },
        ],
      },
      {
        width: 280,
        height: 220,
        title: 'Probabilities after softmax',
        layer: [
          { mark: { type: 'bar', color: COLORS.base }, encoding: { x: { ...x, sort: [...labels] }, y: { field: 'p', type: 'quantitative', title: 'Probability', scale: { domain: [0, axisTop(Math.max(...probs))], nice: false } } } },
          { mark: { type: 'text', dy: -7 }, encoding: { x: { ...x, sort: [...labels] }, y: { field: 'p', type: 'quantitative' }, text: { field: 'pLabel' } } },
        ],
      },
    ],
  });
}
