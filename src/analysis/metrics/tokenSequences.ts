/**
 * What the diversity metrics read: one text as an array of tokens — token ids or
 * already-split words, compared with `===` (so `7` and `'7'` differ) — or as a string,
 * which `textTokens` splits into words and punctuation.
 */
export type TokenSequence = readonly (number | string)[] | string;

/** Letters, marks and digits, with apostrophes inside a word (don't, l'homme); or one other non-space character. */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['\u2019][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/**
 * The tokenisation of strings for every metric: maximal runs of letters, combining marks
 * and digits (an apostrophe between two such runs stays inside the word), and every other
 * non-space character as a token of its own. Case is kept; white space only separates.
 * The empty string gives no tokens.
 *
 * @example
 * textTokens("Don't stop, now!"); // ["Don't", 'stop', ',', 'now', '!']
 */
export function textTokens(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * Maps every sequence to dense integer symbols (0, 1, 2, … in order of first appearance),
 * so that n-grams of ids and of words are counted the same way: strings are split by
 * `textTokens`, arrays are taken token by token. A number and a string are different
 * symbols even when they look alike (`7` and `'7'`).
 *
 * @example
 * internSequences(['a b a', [7, 7]]); // [Int32Array [0, 1, 0], Int32Array [2, 2]]
 */
export function internSequences(sequences: readonly TokenSequence[]): Int32Array[] {
  const symbols = new Map<number | string, number>();
  return sequences.map((sequence) => {
    const tokens = typeof sequence === 'string' ? textTokens(sequence) : sequence;
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, index) => {
      let symbol = symbols.get(token);
      if (symbol === undefined) {
        symbol = symbols.size;
        symbols.set(token, symbol);
      }
      out[index] = symbol;
    });
    return out;
  });
}
