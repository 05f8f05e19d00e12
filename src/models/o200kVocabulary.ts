/**
 * The id layout of the o200k_base vocabulary (GPT-4o's), without loading the tokenizer:
 * ids 0 … 199997 are byte-pair tokens, 199998 is unassigned, 199999 is `<|endoftext|>` and
 * 200000 … 200006 are the other special tokens, so the vocabulary has 200007 ids of which
 * 200006 are assigned.
 */
export const O200K_VOCAB_SIZE = 200_007;
/** `<|endoftext|>`: the embedded model's document boundary and stop token. */
export const END_OF_TEXT = 199_999;
/** The one id in [0, O200K_VOCAB_SIZE) that is no token. */
export const O200K_UNASSIGNED = 199_998;

/**
 * Whether `id` is a token of o200k_base (every id in [0, 200007) except 199998).
 *
 * @example
 * isO200kToken(199_998); // false
 */
export function isO200kToken(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < O200K_VOCAB_SIZE && id !== O200K_UNASSIGNED;
}
