import { checkInteger } from '../../core/validate.js';
import { internSequences, textTokens, type TokenSequence } from './tokenSequences.js';

/** Options of `endRepetition` and `repetitionRate`. */
export interface RepetitionOptions {
  /**
   * Which of Holtzman et al.'s two definitions (default `'stated'`):
   * - `'stated'`, the paper's Figure 9: "a phrase (minimum length 2) is considered a
   *   repetition when it repeats at least three times at the end of the generation" — the
   *   shortest phrase length L in [minPhraseLength, maxPhraseLength] whose last L tokens end
   *   the sequence at least `minRepeats` times in a row;
   * - `'released'`, their `metrics/repetition.py`, which produced Table 1: for every L in
   *   [1, maxPhraseLength] count the copies of the last L tokens that end the sequence in a
   *   row; take the L with the most copies (the shortest on a tie); it is a loop when it has
   *   at least 2 copies and L ≥ 3, or more than 50 copies. It catches long loops that two
   *   copies already show (useful for short generations) and ignores short stutters.
   *   `minPhraseLength` and `minRepeats` do not apply.
   */
  rule?: 'stated' | 'released';
  /** Shortest phrase that counts, for `'stated'` (default 2). */
  minPhraseLength?: number;
  /** Longest phrase looked for (default 90, as the released script). */
  maxPhraseLength?: number;
  /** Consecutive copies that make a loop, for `'stated'` (default 3). */
  minRepeats?: number;
}

/** A loop at the end of a sequence: a phrase and how many consecutive copies of it end the sequence. */
export interface EndRepetition {
  /** Length of the repeated phrase in tokens. */
  readonly phraseLength: number;
  /** Number of complete consecutive copies of the phrase at the end. */
  readonly repeats: number;
  /** The phrase: the last `phraseLength` tokens of the sequence (words, for a string). */
  readonly phrase: readonly (number | string)[];
}

/**
 * Whether one sequence ends in a repeating loop, and the loop, under one of Holtzman et
 * al.'s (2020) definitions (see `RepetitionOptions.rule`). Copies are counted back from
 * the end, complete copies only, so a loop may start anywhere in a phrase: "x a b c a b c
 * a b c a" ends in three copies of "b c a". Returns null when there is no loop. Strip a
 * final stop token before calling, as the paper's script does.
 *
 * @example
 * endRepetition([5, 1, 2, 1, 2, 1, 2]);                        // { phraseLength: 2, repeats: 3, phrase: [1, 2] }
 * endRepetition([1, 2, 1, 2]);                                 // null (two copies are not a loop)
 * endRepetition([7, 1, 2, 3, 1, 2, 3], { rule: 'released' });  // { phraseLength: 3, repeats: 2, phrase: [1, 2, 3] }
 */
export function endRepetition(sequence: TokenSequence, options: RepetitionOptions = {}): EndRepetition | null {
  const [tokens] = internSequences([sequence]) as [Int32Array];
  const { rule, minPhraseLength, maxPhraseLength, minRepeats } = repetitionOptions(options);
  const length = tokens.length;
  const found = (phraseLength: number, repeats: number): EndRepetition => {
    const original = typeof sequence === 'string' ? textTokens(sequence) : sequence;
    return { phraseLength, repeats, phrase: original.slice(length - phraseLength) };
  };
  if (rule === 'released') {
    let bestLength = 1;
    let bestRepeats = 0;
    for (let phrase = 1; phrase <= maxPhraseLength; phrase++) {
      const repeats = copiesAtEnd(tokens, phrase);
      if (repeats > bestRepeats) {
        bestRepeats = repeats;
        bestLength = phrase;
      }
    }
    return bestRepeats > 1 && (bestLength >= 3 || bestRepeats > 50) ? found(bestLength, bestRepeats) : null;
  }
  for (let phrase = minPhraseLength; phrase <= maxPhraseLength && phrase * minRepeats <= length; phrase++) {
    const repeats = copiesAtEnd(tokens, phrase);
    if (repeats >= minRepeats) return found(phrase, repeats);
  }
  return null;
}

/** How many complete copies of its last `phrase` tokens end the sequence in a row (1 if it is that long, else 0). */
function copiesAtEnd(tokens: Int32Array, phrase: number): number {
  const length = tokens.length;
  if (phrase > length) return 0;
  let copies = 1;
  while ((copies + 1) * phrase <= length) {
    const offset = copies * phrase;
    for (let i = 1; i <= phrase; i++) if (tokens[length - i] !== tokens[length - offset - i]) return copies;
    copies++;
  }
  return copies;
}

/**
 * Repetition rate (Holtzman et al., 2020, Table 1 "Repetition %", as a share): the fraction
 * of sequences that end in a repeating loop by `endRepetition` under the chosen rule
 * (default `'stated'`: a phrase of at least 2 tokens repeated at least 3 times at the end;
 * `'released'`: the paper's script). Multiply by 100 for the paper's percentage. No
 * sequences give NaN.
 *
 * @example
 * repetitionRate([[1, 2, 1, 2, 1, 2], [1, 2, 3, 4, 5, 6]]); // 0.5
 */
export function repetitionRate(sequences: readonly TokenSequence[], options: RepetitionOptions = {}): number {
  repetitionOptions(options);
  if (sequences.length === 0) return NaN;
  let looping = 0;
  for (const sequence of sequences) if (endRepetition(sequence, options) !== null) looping++;
  return looping / sequences.length;
}

function repetitionOptions(options: RepetitionOptions): Required<RepetitionOptions> {
  const rule = options.rule ?? 'stated';
  if (rule !== 'stated' && rule !== 'released') throw new RangeError(`repetition.rule = ${JSON.stringify(rule)}: expected 'stated' or 'released'`);
  const minPhraseLength = checkInteger('repetition.minPhraseLength', options.minPhraseLength ?? 2, 1);
  return {
    rule,
    minPhraseLength,
    maxPhraseLength: checkInteger('repetition.maxPhraseLength', options.maxPhraseLength ?? 90, rule === 'released' ? 1 : minPhraseLength),
    minRepeats: checkInteger('repetition.minRepeats', options.minRepeats ?? 3, 2),
  };
}
