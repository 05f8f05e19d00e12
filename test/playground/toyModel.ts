import type { LanguageModel } from '../../src/models/languageModel.js';

const WORDS = ['<end>', ' the', ' cat', ' sat', ' on', ' mat', ' a', ' dog', ' ran', ' far', '.', ' and'];

/**
 * A small deterministic word-level model for the playground's tests: the logits of the
 * next word are a fixed function of the last two ids, and `<end>` (id 0) stops.
 */
export function toyModel(vocabSize = WORDS.length): LanguageModel {
  const text = (id: number): string => WORDS[id] ?? ` w${id}`;
  return {
    id: 'toy',
    vocabSize,
    stopTokens: [0],
    encode: (input) =>
      input
        .split(/(?=\s)/)
        .filter(Boolean)
        .map((word) => {
          const index = WORDS.indexOf(word.startsWith(' ') ? word : ` ${word}`);
          return index < 0 ? 1 : index;
        }),
    decode: (tokens) => tokens.map(text).join(''),
    tokenText: (id) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new RangeError(`token id ${id} is out of range: expected [0, ${vocabSize})`);
      return text(id);
    },
    nextLogits(context, out) {
      const logits = out ?? new Float32Array(vocabSize);
      const a = context[context.length - 1] ?? 0;
      const b = context[context.length - 2] ?? 0;
      for (let id = 0; id < vocabSize; id++) logits[id] = Math.sin(id * 1.7 + a * 0.9 + b * 0.31) * 2 - (id === 0 ? 1.5 : 0) - Math.log1p(id) * 0.2;
      if (vocabSize > 5) logits[5] = -Infinity;
      return logits;
    },
  };
}
