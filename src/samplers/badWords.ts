import { InvalidInputError, InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { compactLiveFlags, scratchInt32, scratchUint8 } from './selection.js';

/**
 * Bad words: token-id sequences that must never be completed. For each sequence `w`, when the
 * history ends with its prefix `w[0..len−1)` (an empty prefix always matches), its last id
 * `w[len−1]` is removed; so a one-token word is always banned and a longer word is banned only
 * at its last token. An empty list is neutral. Ids outside the vocabulary are an error;
 * banning every live token is an error.
 *
 * Rules by engine (`profile.badWords`, all read, not run, except transformers.js, read in its
 * installed package):
 * - vLLM (`v1/sample/ops/bad_words.py` @c45614b5, applied right after the allowed-ids mask):
 *   the history is the *generated* tokens only — a word whose prefix ends the prompt is not
 *   banned at the first generated token; a word is skipped while its prefix is longer than
 *   that history. knobs follows vLLM.
 * - transformers (`NoBadWordsLogitsProcessor` @00857b6c): the history is all of `input_ids`,
 *   prompt included; a sequence equal to `[eos]` is dropped (the model's EOS ids,
 *   `SamplerOptions.eos`); a word longer than the history is skipped.
 * - transformers.js 4.3.2: prompt included, skipped while the prefix is longer than the
 *   history, and no EOS exemption (its `eos_token_id` is stored but never read).
 * Request strings (`knobs serve`'s `bad_words`, as vLLM's `update_from_tokenizer`): each word
 * gives `encode(word.trimStart())`, and also `encode(" " + word.trimStart())` when that has
 * the same length and a different first id.
 *
 * @example
 * // vLLM's test: [[100], [200, 201, 202]] after output ending 200, 201 bans 100 and 202
 * createSampler([{ bad_words: { sequences: [[100], [200, 201, 202]] } }], { history: [5, 200, 201] }).distribution(new Float32Array(1024));
 */
export function badWordsSampler({ sequences }: { sequences: unknown }, profile: EngineProfile): Sampler {
  const words = checkSequences(sequences);
  const rule = profile.badWords;
  let banned: Uint8Array | undefined;
  let touched: Int32Array | undefined;
  return {
    name: 'bad_words',
    apply(candidates: Candidates, context: SamplerContext): void {
      if (words.length === 0) return;
      const vocab = candidates.vocabSize;
      const { prompt, generated } = context;
      const eos = context.eos ?? [];
      const offset = rule.history === 'generated' ? prompt.length : 0;
      const length = prompt.length + generated.length - offset;
      banned = scratchUint8(banned, vocab);
      touched = scratchInt32(touched, words.length);
      let count = 0;
      for (const word of words) {
        const last = word[word.length - 1] as number;
        if (last >= vocab) throw new InvalidParameterError('bad_words.sequences', word, `token ids in [0, ${vocab - 1}] (the vocabulary has ${vocab} tokens)`);
        if (rule.dropEos && word.length === 1 && eos.includes(last)) continue;
        const prefix = word.length - 1;
        if (rule.skipWhen === 'word-longer' ? word.length > length : prefix > length) continue;
        let match = true;
        for (let j = 0; j < prefix && match; j++) match = tokenAt(prompt, generated, offset + length - prefix + j) === word[j];
        if (!match || (banned[last] as number) === 1) continue;
        banned[last] = 1;
        touched[count++] = last;
      }
      if (count === 0) return;
      const kept = compactLiveFlags(candidates, banned);
      for (let i = 0; i < count; i++) banned[touched[i] as number] = 0;
      if (kept === 0) throw new InvalidInputError('bad_words bans every remaining token: nothing left to sample');
    },
  };
}

/** Token i of prompt + generated. */
function tokenAt(prompt: readonly number[], generated: readonly number[], i: number): number {
  return (i < prompt.length ? prompt[i] : generated[i - prompt.length]) as number;
}

/** The sequences as arrays of token ids, or an `InvalidParameterError`. */
function checkSequences(value: unknown): number[][] {
  const ok =
    Array.isArray(value) &&
    value.every((word) => Array.isArray(word) && word.length > 0 && word.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id >= 0));
  if (!ok) throw new InvalidParameterError('bad_words.sequences', value, 'an array of non-empty arrays of token ids, such as [[50256], [318, 257]]');
  return value as number[][];
}

/**
 * vLLM's `update_from_tokenizer`: each word without leading whitespace, and with one space
 * before it when that tokenizes to as many tokens with a different first one.
 *
 * @example
 * badWordsFromText(['hello'], (text) => tokenizer.encode(text)); // [[id('hello')], [id(' hello')]]
 */
export function badWordsFromText(texts: readonly string[], encode: (text: string) => number[]): number[][] {
  const sequences: number[][] = [];
  for (const text of texts) {
    const word = text.trimStart();
    const plain = encode(word);
    if (plain.length === 0) throw new InvalidParameterError('bad_words', text, 'a word that tokenizes to at least one token');
    sequences.push(plain);
    const spaced = encode(` ${word}`);
    if (spaced.length === plain.length && spaced[0] !== plain[0]) sequences.push(spaced);
  }
  return sequences;
}

const SEQUENCES: ParameterSpec = {
  name: 'sequences',
  kind: 'token-sequences',
  default: [],
  hint: 'JSON list of token-id sequences, e.g. [[13], [318, 257]]; the last id of a matching one is banned',
  fields: ['bad_words'],
  fromText: badWordsFromText,
};

/** The `bad_words` sampler: its parameter, engines and factory. */
export const badWords = defineSampler({
  name: 'bad_words',
  summary: 'ban the last token of any listed sequence whose prefix ends the history',
  parameters: [SEQUENCES],
  engines: {
    knobs: { order: 6 },
    hf: { order: 33 },
    vllm: { order: 6 },
    'transformers.js': { order: 30 },
  },
  create: badWordsSampler,
});
