import { InvalidParameterError } from '../core/errors.js';
import { kneserNeyDiscounts, type Discounts } from './discounts.js';
import { EMBEDDED_ORDER, loadEmbeddedData, type CountOfCounts, type EmbeddedData, type LoadOptions } from './embeddedData.js';
import { kneserNey } from './kneserNey.js';
import type { LanguageModel } from './languageModel.js';
import { o200kTokenizer } from './o200kTokenizer.js';
import { END_OF_TEXT, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from './o200kVocabulary.js';

/** The embedded offline model: Kneser-Ney over o200k tokens of the Brown corpus. */
export interface EmbeddedModel extends LanguageModel {
  /** N-gram order in [1, 4]. */
  readonly order: number;
  /** Discounts D1, D2, D3+ of levels 1 … order. */
  readonly discounts: readonly Discounts[];
  /** The data it was made from (counts, documents, cache file). */
  readonly data: EmbeddedData;
  nextLogits(context: readonly number[], out?: Float32Array): Float32Array;
  /** Natural log of P(token | context) of one token. */
  logProb(context: readonly number[], token: number): number;
}

/**
 * The embedded model over its data: interpolated modified Kneser-Ney of the given order
 * (default 4) over o200k_base token ids, trained on 90% of the Brown corpus. Every token id
 * has non-zero probability except 199998, which is no token (−Infinity). The context of
 * `nextLogits` is read as the start of a document (the model puts `<|endoftext|>` before it),
 * and `<|endoftext|>` is its stop token. Text is encoded and decoded with the data's
 * vocabulary tables (the ids of gpt-tokenizer's o200k_base, without loading it), and the
 * discounts come from the data's count-of-counts (the same numbers `kneserNey` would count).
 *
 * @example
 * const model = embeddedModel(await loadEmbeddedData());
 * const logits = model.nextLogits(model.encode('The weather today is')); // Float32Array(200007)
 */
export function embeddedModel(data: EmbeddedData, order: number = EMBEDDED_ORDER): EmbeddedModel {
  if (!Number.isInteger(order) || order < 1 || order > EMBEDDED_ORDER) throw new InvalidParameterError('order', order, `an integer in [1, ${EMBEDDED_ORDER}]`);
  // Level k of a model of order M counts raw n-grams at k = M and modified counts below.
  const discounts = Array.from({ length: order }, (_, index) => kneserNeyDiscounts((index + 1 === order ? data.countOfCounts.raw : data.countOfCounts.modified)[index] as CountOfCounts));
  const model = kneserNey(data.counts, { order, excluded: [O200K_UNASSIGNED], discounts });
  const tokenizer = o200kTokenizer(data.vocabulary);
  return {
    id: `embedded:brown-kn${order}`,
    vocabSize: O200K_VOCAB_SIZE,
    order,
    discounts: model.discounts,
    data,
    stopTokens: [END_OF_TEXT],
    encode: tokenizer.encode,
    decode: tokenizer.decode,
    tokenText: tokenizer.tokenText,
    nextLogits: model.nextLogits,
    logProb: model.logProb,
  };
}

/**
 * Loads (building on first use, then from the cache) the embedded model.
 *
 * @example
 * const model = await loadEmbeddedModel({ onProgress: (p) => console.error(p.phase, p.fraction) });
 */
export async function loadEmbeddedModel(options: LoadOptions & { order?: number } = {}): Promise<EmbeddedModel> {
  return embeddedModel(await loadEmbeddedData(options), options.order);
}
