import { InvalidParameterError } from '../core/errors.js';
import { findChild, findNode, type NgramCounts, type NgramLevel } from './ngramCounts.js';
import { historyTypes, tokenTypes } from './ngramHistory.js';

/** An add-k (Lidstone) smoothed n-gram model: the baseline Kneser-Ney is measured against. */
export interface AddKModel {
  readonly order: number;
  readonly k: number;
  /** Natural log of P(token | context). */
  logProb(context: readonly number[], token: number): number;
}

/**
 * Add-k smoothing of order M over raw counts, with no back-off:
 *
 *   P(w | h) = (c(h w) + k) / (Σ_v c(h v) + k·V)
 *
 * where h is the history as in `kneserNey` (the last M − 1 tokens of the boundary-prefixed
 * context, shorter at the start of a document), V the number of ids that can occur (the
 * vocabulary minus `excluded`, which get probability 0), and a history never seen gives the
 * uniform 1/V.
 *
 * @example
 * addK(counts, { order: 2, k: 0.01 }).logProb([5], 7);
 */
export function addK(counts: NgramCounts, options: { order?: number; k: number; excluded?: readonly number[] }): AddKModel {
  const order = options.order ?? counts.order;
  const k = options.k;
  if (!Number.isInteger(order) || order < 1 || order > counts.order) throw new InvalidParameterError('order', order, `an integer in [1, ${counts.order}]`);
  if (!(k > 0 && Number.isFinite(k))) throw new InvalidParameterError('k', k, 'a finite number > 0');
  const excluded = new Set(options.excluded ?? []);
  const size = counts.vocabSize - excluded.size;
  const levels = counts.levels;
  const totals: Float64Array[] = [];
  /** Σ_v c(h v) of every history node of length j (computed on first use). */
  const totalsOf = (j: number): Float64Array => {
    let result = totals[j];
    if (!result) {
      const raw = (levels[j] as NgramLevel).raw;
      if (j === 0) {
        let total = 0;
        for (let i = 0; i < raw.length; i++) total += raw[i] as number;
        result = Float64Array.of(total);
      } else {
        const offsets = (levels[j - 1] as NgramLevel).children;
        result = new Float64Array(offsets.length - 1);
        for (let node = 0; node < result.length; node++) {
          let total = 0;
          for (let child = offsets[node] as number, end = offsets[node + 1] as number; child < end; child++) total += raw[child] as number;
          result[node] = total;
        }
      }
      totals[j] = result;
    }
    return result;
  };
  const history = new Int32Array(Math.max(1, order - 1));
  const typeOf = tokenTypes(counts);
  return {
    order,
    k,
    logProb(context, token) {
      if (!Number.isInteger(token) || token < 0 || token >= counts.vocabSize) throw new InvalidParameterError('token', token, `a token id in [0, ${counts.vocabSize})`);
      if (excluded.has(token)) return -Infinity;
      const length = historyTypes(counts, context, order - 1, history);
      const node = length === 0 ? 0 : findNode(counts, history, order - 1 - length, order - 1);
      const total = node < 0 ? 0 : (totalsOf(length)[node] as number);
      if (total === 0) return -Math.log(size);
      const type = typeOf[token] as number;
      let c = 0;
      if (type >= 0 && length === 0) c = (levels[0] as NgramLevel).raw[type] as number;
      if (type >= 0 && length > 0) {
        const parent = levels[length - 1] as NgramLevel;
        const child = findChild(levels[length] as NgramLevel, parent.children[node] as number, parent.children[node + 1] as number, type);
        if (child >= 0) c = (levels[length] as NgramLevel).raw[child] as number;
      }
      return Math.log((c + k) / (total + k * size));
    },
  };
}
