import { checkInteger } from '../../core/validate.js';
import { internSequences, type TokenSequence } from './tokenSequences.js';

/** Options of `zipfCoefficient`. */
export interface ZipfOptions {
  /** Only the `maxRanks` most frequent types enter the fit (default 5000, as Holtzman et al.'s `zipf.py`). */
  maxRanks?: number;
}

/**
 * Zipf coefficient s of the tokens of all sequences together (Holtzman et al., 2020, Table 1):
 * count every token type, sort the counts descending, keep the first `maxRanks`, and fit
 * ln(count) = b − s · ln(rank) (rank 1, 2, …) by ordinary least squares; s is minus the
 * slope. The log base does not matter for a slope. Strings are split by `textTokens`.
 * Fewer than two token types give NaN (one point has no slope). s = 1 is Zipf's law; text
 * that overuses its most frequent tokens has a larger s.
 *
 * @example
 * zipfCoefficient([[1, 1, 1, 1, 2, 2, 3]]); // 1.2336: points (ln 1, ln 4), (ln 2, ln 2), (ln 3, 0)
 * zipfCoefficient(["x x x x x x y y y z z"]); // 1 (counts 6, 3, 2 ∝ 1 / rank)
 */
export function zipfCoefficient(sequences: readonly TokenSequence[], options: ZipfOptions = {}): number {
  const maxRanks = checkInteger('zipf.maxRanks', options.maxRanks ?? 5000, 2);
  const counts = new Map<number, number>();
  for (const sequence of internSequences(sequences)) for (const symbol of sequence) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  const sorted = [...counts.values()].sort((a, b) => b - a).slice(0, maxRanks);
  const n = sorted.length;
  if (n < 2) return NaN;
  let meanX = 0;
  let meanY = 0;
  sorted.forEach((count, index) => {
    meanX += Math.log(index + 1);
    meanY += Math.log(count);
  });
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  sorted.forEach((count, index) => {
    const dx = Math.log(index + 1) - meanX;
    sxy += dx * (Math.log(count) - meanY);
    sxx += dx * dx;
  });
  const s = -sxy / sxx;
  return s === 0 ? 0 : s;
}
