import { InvalidParameterError } from '../core/errors.js';
import { addK } from './addK.js';
import { embeddedSplit, EMBEDDED_ORDER, type EmbeddedData } from './embeddedData.js';
import { heldOutPerplexity } from './heldOutPerplexity.js';
import { kneserNey } from './kneserNey.js';
import { countNgrams } from './ngramCounts.js';
import { END_OF_TEXT, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from './o200kVocabulary.js';

/** The values of k tried when k is tuned. */
export const ADD_K_GRID = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001] as const;

/** Held-out perplexity of one order. */
export interface OrderEvaluation {
  readonly order: number;
  readonly kneserNey: number;
  readonly addK: number;
  /** The k of the add-k model (tuned on the development split unless given). */
  readonly k: number;
}

/** Result of `evaluateEmbedded`. */
export interface ModelEvaluation {
  readonly orders: readonly OrderEvaluation[];
  /** Tokens predicted in the held-out documents (their tokens plus one end-of-text each). */
  readonly heldOutTokens: number;
  readonly heldOutDocuments: number;
  readonly trainTokens: number;
  readonly trainDocuments: number;
  /** How k was chosen: `given` or `tuned` (per order, on a development split of the training documents). */
  readonly kSelection: 'given' | 'tuned';
}

/**
 * Held-out perplexity of the embedded model at orders 1 … 4 and of an add-k baseline of the
 * same orders, both trained on the training split and scored on the held-out documents
 * (`heldOutPerplexity`). Unless `k` is given, each order's k is the value of `ADD_K_GRID`
 * with the lowest perplexity on a development split of the training documents (training
 * document i is a development document when i mod 9 = 8, and the rest train the candidate
 * models), so that the held-out documents are never used to choose anything — just as the
 * Kneser-Ney discounts come from the training counts alone.
 *
 * @example
 * (await evaluateEmbedded(await loadEmbeddedData())).orders[3].kneserNey; // ≈ 527
 */
export function evaluateEmbedded(data: EmbeddedData, options: { orders?: readonly number[]; k?: number } = {}): ModelEvaluation {
  const orders = options.orders ?? [1, 2, 3, 4];
  for (const order of orders) {
    if (!Number.isInteger(order) || order < 1 || order > EMBEDDED_ORDER) throw new InvalidParameterError('order', order, `an integer in [1, ${EMBEDDED_ORDER}]`);
  }
  if (options.k !== undefined && !(options.k > 0 && Number.isFinite(options.k))) throw new InvalidParameterError('k', options.k, 'a finite number > 0');
  const excluded = [O200K_UNASSIGNED];
  const { train, heldOut } = embeddedSplit(data);
  const kOf = new Map<number, number>();
  if (options.k !== undefined) {
    for (const order of orders) kOf.set(order, options.k);
  } else {
    const development = train.filter((_, index) => index % 9 === 8);
    const rest = train.filter((_, index) => index % 9 !== 8);
    const counts = countNgrams(rest, { order: Math.max(...orders), vocabSize: O200K_VOCAB_SIZE, boundary: END_OF_TEXT });
    for (const order of orders) {
      let best = ADD_K_GRID[0] as number;
      let bestPerplexity = Infinity;
      for (const k of ADD_K_GRID) {
        const { perplexity } = heldOutPerplexity(addK(counts, { order, k, excluded }), development, END_OF_TEXT);
        if (perplexity < bestPerplexity) {
          bestPerplexity = perplexity;
          best = k;
        }
      }
      kOf.set(order, best);
    }
  }
  let heldOutTokens = 0;
  const results = orders.map((order) => {
    const k = kOf.get(order) as number;
    const kn = heldOutPerplexity(kneserNey(data.counts, { order, excluded }), heldOut, END_OF_TEXT);
    const baseline = heldOutPerplexity(addK(data.counts, { order, k, excluded }), heldOut, END_OF_TEXT);
    heldOutTokens = kn.tokens;
    return { order, kneserNey: kn.perplexity, addK: baseline.perplexity, k };
  });
  return {
    orders: results,
    heldOutTokens,
    heldOutDocuments: heldOut.length,
    trainTokens: data.counts.tokenCount,
    trainDocuments: train.length,
    kSelection: options.k === undefined ? 'tuned' : 'given',
  };
}
