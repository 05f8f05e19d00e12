import type { LanguageModel } from '../../src/models/languageModel.js';

/**
 * A genuine (tiny) language model for the tests: a bigram table. `table[prev][next]` is
 * P(next | prev) for the last token of the context; an empty context reads row `start`.
 * `nextLogits` returns natural-log probabilities (−Infinity for probability 0). Token 0
 * is the stop token unless `stopTokens` says otherwise. Words name the tokens for
 * encode/decode ("a b c" ↔ ids).
 */
export function bigramModel(
  words: readonly string[],
  table: Readonly<Record<string, Readonly<Record<string, number>>>>,
  options: { start?: string; stopTokens?: readonly number[]; async?: boolean } = {},
): LanguageModel & { calls: number } {
  const id = (word: string): number => {
    const index = words.indexOf(word);
    if (index < 0) throw new Error(`unknown word ${word}`);
    return index;
  };
  const rows = new Map<number, Float32Array>();
  for (const [previous, row] of Object.entries(table)) {
    const logits = new Float32Array(words.length).fill(-Infinity);
    for (const [next, p] of Object.entries(row)) logits[id(next)] = p > 0 ? Math.log(p) : -Infinity;
    rows.set(id(previous), logits);
  }
  const model = {
    id: 'test:bigram',
    vocabSize: words.length,
    stopTokens: options.stopTokens ?? [0],
    calls: 0,
    encode: (text: string) => text.split(/\s+/).filter((word) => word !== '').map(id),
    decode: (tokens: readonly number[]) => tokens.map((token) => words[token] ?? '?').join(' '),
    tokenText: (token: number) => words[token] ?? '?',
    nextLogits(context: readonly number[], out?: Float32Array): Float32Array | Promise<Float32Array> {
      model.calls++;
      const previous = context.length > 0 ? (context[context.length - 1] as number) : id(options.start ?? words[0] ?? '');
      const row = rows.get(previous);
      if (!row) throw new Error(`no row for ${words[previous]}`);
      const result = out ?? new Float32Array(words.length);
      result.set(row);
      return options.async ? Promise.resolve(result) : result;
    },
  };
  return model;
}

/**
 * The main test model. Tokens: 0 END (stop), 1 a, 2 b, 3 c, 4 S (a start marker that is
 * never generated). P(next | prev):
 *
 *        END    a     b     c
 *   S    0      .5    .4    .1
 *   a    .1     .35   .3    .25
 *   b    .02    .05   .03   .9
 *   c    .4     .03   .02   .55
 *   END  1      0     0     0
 */
export const ABC_WORDS = ['END', 'a', 'b', 'c', 'S'];
export const ABC_TABLE = {
  S: { a: 0.5, b: 0.4, c: 0.1 },
  a: { END: 0.1, a: 0.35, b: 0.3, c: 0.25 },
  b: { END: 0.02, a: 0.05, b: 0.03, c: 0.9 },
  c: { END: 0.4, a: 0.03, b: 0.02, c: 0.55 },
  END: { END: 1 },
};
export const [END, A, B, C, S] = [0, 1, 2, 3, 4] as const;
