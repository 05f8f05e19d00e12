import { InvalidParameterError } from '../core/errors.js';
import { countOfCounts, discountOf, kneserNeyDiscounts, type Discounts } from './discounts.js';
import { findChild, type NgramArray, type NgramCounts, type NgramLevel } from './ngramCounts.js';
import { historyNodes } from './ngramHistory.js';

/** Options of `kneserNey`. */
export interface KneserNeyOptions {
  /** Model order M in [1, counts.order] (default counts.order). */
  order?: number;
  /** Discounts of levels 1 … M (default: Chen and Goodman's estimates from each level's count-of-counts). */
  discounts?: readonly Discounts[];
  /** Token ids that get probability 0 (ids that are no token); all others share the uniform floor. */
  excluded?: readonly number[];
}

/** An interpolated modified Kneser-Ney model over a count set. */
export interface KneserNeyModel {
  readonly order: number;
  readonly vocabSize: number;
  /** Discounts of levels 1 … order. */
  readonly discounts: readonly Discounts[];
  /** Natural log of P(token | context) for every token id; −Infinity for excluded ids. */
  nextLogits(context: readonly number[], out?: Float32Array): Float32Array;
  /** Natural log of P(token | context) of one token. */
  logProb(context: readonly number[], token: number): number;
}

/**
 * Interpolated modified Kneser-Ney smoothing (Chen and Goodman, 1998) of order M, backed off
 * to a uniform floor so that every token id (except `excluded`) has non-zero probability.
 *
 * With h the history (the last M − 1 tokens of the boundary-prefixed context, cut at its
 * latest boundary), h' = h without its first token, c the raw count at level M and the
 * modified count (`NgramLevel.modified`) at lower levels, D(c) the level's discount of c:
 *
 *   P_k(w | h) = max(c(h w) − D(c(h w)), 0) / Σ_v c(h v) + γ(h) · P_{k−1}(w | h')
 *   γ(h)       = (D1·N1(h •) + D2·N2(h •) + D3+·N3+(h •)) / Σ_v c(h v)
 *   P_0(w)     = 1 / (number of non-excluded ids)
 *
 * where N_r(h •) counts the words that follow h with count r (N3+: ≥ 3). A history never seen
 * (or with no followers) passes straight to the lower order: P_k(w | h) = P_{k−1}(w | h').
 *
 * `nextLogits` fills the whole vocabulary in O(vocabulary + followers): the unigram level is a
 * precomputed vector scaled by the product of the higher levels' γ, and only the words seen
 * after the context's histories are patched.
 *
 * @example
 * const model = kneserNey(countNgrams(documents, { order: 3, vocabSize: 10, boundary: 0 }));
 * model.nextLogits([4, 2]); // Float32Array(10) of log-probabilities
 */
export function kneserNey(counts: NgramCounts, options: KneserNeyOptions = {}): KneserNeyModel {
  const order = options.order ?? counts.order;
  if (!Number.isInteger(order) || order < 1 || order > counts.order) throw new InvalidParameterError('order', order, `an integer in [1, ${counts.order}]`);
  const vocabSize = counts.vocabSize;
  const types = counts.types;
  const levels = counts.levels;
  // Counts used at level k (1-based): raw at the highest level, modified below.
  const levelCounts = (k: number): NgramArray => {
    const level = levels[k - 1] as NgramLevel;
    return k === order ? level.raw : level.modified;
  };
  const discounts: Discounts[] = [];
  for (let k = 1; k <= order; k++) {
    const given = options.discounts?.[k - 1];
    discounts.push(given ?? kneserNeyDiscounts(countOfCounts(levelCounts(k))));
  }

  // Per history level j = 0 … M−1: 1 / Σ c(h •) and γ(h) of a node, computed the first time
  // the node is a history (`settle`) rather than for every node up front: a query needs at
  // most M − 1 nodes, and a pass over the ~1.4 million nodes of the embedded model costs
  // ~0.1 s at load. The arrays are allocated zeroed and only touched where used.
  const inverseTotals: Float64Array[] = [];
  const gammas: Float64Array[] = [];
  const settled: Uint8Array[] = [];
  for (let j = 0; j < order; j++) {
    const size = j === 0 ? 1 : (levels[j - 1] as NgramLevel).words.length;
    inverseTotals.push(new Float64Array(size));
    gammas.push(new Float64Array(size));
    settled.push(new Uint8Array(size));
  }
  /** Fills 1 / Σ c(h •) and γ(h) of node `node` at history level j (0 for a node with no followers). */
  const settle = (j: number, node: number): void => {
    const done = settled[j] as Uint8Array;
    if (done[node]) return;
    const childCounts = levelCounts(j + 1);
    const levelDiscounts = discounts[j] as Discounts;
    const d1 = levelDiscounts[0];
    const d2 = levelDiscounts[1];
    const d3 = levelDiscounts[2];
    const offsets = j === 0 ? undefined : (levels[j - 1] as NgramLevel).children;
    const first = offsets ? (offsets[node] as number) : 0;
    const last = offsets ? (offsets[node + 1] as number) : childCounts.length;
    let total = 0;
    let mass = 0;
    for (let child = first; child < last; child++) {
      const c = childCounts[child] as number;
      total += c;
      mass += c === 1 ? d1 : c === 2 ? d2 : c >= 3 ? d3 : 0;
    }
    if (total > 0) {
      (inverseTotals[j] as Float64Array)[node] = 1 / total;
      (gammas[j] as Float64Array)[node] = mass / total;
    }
    done[node] = 1;
  };
  settle(0, 0);

  // P_1 over the whole vocabulary.
  const excluded = new Uint8Array(vocabSize);
  for (const id of options.excluded ?? []) {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new InvalidParameterError('excluded', id, `token ids in [0, ${vocabSize})`);
    excluded[id] = 1;
  }
  let floorSize = vocabSize;
  for (let id = 0; id < vocabSize; id++) floorSize -= excluded[id] as number;
  if (floorSize < 1) throw new InvalidParameterError('excluded', options.excluded, 'fewer ids than the vocabulary');
  const base = new Float64Array(vocabSize);
  const floor = (gammas[0]?.[0] ?? 0) / floorSize;
  const unigramCounts = levelCounts(1);
  const unigramInverse = inverseTotals[0]?.[0] ?? 0;
  for (let id = 0; id < vocabSize; id++) base[id] = excluded[id] ? 0 : floor;
  for (let type = 0; type < types.length; type++) {
    const id = types[type] as number;
    if (excluded[id]) continue;
    const c = unigramCounts[type] as number;
    base[id] = (base[id] as number) + Math.max(c - discountOf(discounts[0] as Discounts, c), 0) * unigramInverse;
  }
  const logBase = new Float32Array(vocabSize); // a plain loop: Float32Array.from(base, Math.log) is ~10× slower
  for (let id = 0; id < vocabSize; id++) logBase[id] = Math.log(base[id] as number);

  const nodes = new Int32Array(order);
  const scratch = new Int32Array(order);
  const accumulator = new Float64Array(types.length);
  const weights = new Float64Array(order + 1);

  /** Finds the history nodes and the weights W_j = Π_{i>j} γ_i; returns L. */
  const prepare = (context: readonly number[]): number => {
    let found = historyNodes(counts, context, order - 1, nodes, scratch);
    for (let j = 1; j <= found; j++) settle(j, nodes[j] as number);
    while (found > 0 && (inverseTotals[found] as Float64Array)[nodes[found] as number] === 0) found--;
    weights[found] = 1;
    for (let j = found; j >= 1; j--) weights[j - 1] = (weights[j] as number) * ((gammas[j] as Float64Array)[nodes[j] as number] as number);
    return found;
  };

  return {
    order,
    vocabSize,
    discounts,
    nextLogits(context, out) {
      const result = out ?? new Float32Array(vocabSize);
      if (result.length !== vocabSize) throw new InvalidParameterError('out.length', result.length, `${vocabSize} (the vocabulary size)`);
      const found = prepare(context);
      const scale = weights[0] as number;
      const logScale = Math.log(scale);
      for (let id = 0; id < vocabSize; id++) result[id] = (logBase[id] as number) + logScale;
      if (found === 0) return result;
      for (let j = 1; j <= found; j++) {
        const history = levels[j - 1] as NgramLevel;
        const next = levels[j] as NgramLevel;
        const childCounts = levelCounts(j + 1);
        const node = nodes[j] as number;
        const factor = (weights[j] as number) * ((inverseTotals[j] as Float64Array)[node] as number);
        const levelDiscounts = discounts[j] as Discounts;
        for (let child = history.children[node] as number, end = history.children[node + 1] as number; child < end; child++) {
          const c = childCounts[child] as number;
          const alpha = Math.max(c - discountOf(levelDiscounts, c), 0) * factor;
          const word = next.words[child] as number;
          if (j === 1) accumulator[word] = scale * (base[types[word] as number] as number) + alpha;
          else accumulator[word] = (accumulator[word] as number) + alpha;
        }
      }
      const first = levels[0] as NgramLevel;
      const second = levels[1] as NgramLevel;
      const node = nodes[1] as number;
      for (let child = first.children[node] as number, end = first.children[node + 1] as number; child < end; child++) {
        const word = second.words[child] as number;
        result[types[word] as number] = Math.log(accumulator[word] as number);
      }
      return result;
    },
    logProb(context, token) {
      if (!Number.isInteger(token) || token < 0 || token >= vocabSize) throw new InvalidParameterError('token', token, `a token id in [0, ${vocabSize})`);
      const found = prepare(context);
      let p = (weights[0] as number) * (base[token] as number);
      const typeOf = findType(types, token);
      if (typeOf >= 0) {
        for (let j = 1; j <= found; j++) {
          const history = levels[j - 1] as NgramLevel;
          const node = nodes[j] as number;
          const child = findChild(levels[j] as NgramLevel, history.children[node] as number, history.children[node + 1] as number, typeOf);
          if (child < 0) break; // not after this history, so not after the longer ones either
          const c = levelCounts(j + 1)[child] as number;
          p += (weights[j] as number) * Math.max(c - discountOf(discounts[j] as Discounts, c), 0) * ((inverseTotals[j] as Float64Array)[node] as number);
        }
      }
      return Math.log(p);
    },
  };
}

/** Binary search of a token id among the ascending type ids; the type or −1. */
function findType(types: Int32Array, token: number): number {
  let low = 0;
  let high = types.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = types[mid] as number;
    if (value < token) low = mid + 1;
    else if (value > token) high = mid - 1;
    else return mid;
  }
  return -1;
}
