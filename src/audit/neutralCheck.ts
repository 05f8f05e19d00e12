import { firstKey } from './answers.js';
import { pooledFit } from './pooledFit.js';
import { cellOf, type Position } from './position.js';
import type { CheckResult, TargetAnswer } from './types.js';
import { formatP } from './verdict.js';

/**
 * Whether draws at the baseline follow the neutral log-probabilities (the audit's model of
 * "ignored"): a pooled likelihood-ratio test of first tokens against the neutral distribution.
 *
 * @example
 * judgeNeutral(position, expected, answers, 1e-4).result; // 'matches'
 */
export function judgeNeutral(position: Position, expected: Float64Array, answers: readonly TargetAnswer[], alpha: number): CheckResult {
  const counts = new Float64Array(expected.length);
  for (const answer of answers) counts[cellOf(position, firstKey(answer))] = (counts[cellOf(position, firstKey(answer))] as number) + 1;
  const fit = pooledFit(counts, expected);
  const matches = fit.pValue >= alpha;
  return {
    check: 'neutral',
    result: matches ? 'matches' : 'differs',
    p_value: fit.pValue,
    n: answers.length,
    evidence: {
      prompt: position.prompt,
      summary: matches
        ? `draws with the baseline settings follow the returned log-probabilities (p = ${formatP(fit.pValue)})`
        : `draws with the baseline settings do not follow the returned log-probabilities (p = ${formatP(fit.pValue)}): the server samples from something else (hidden defaults, or log-probabilities after its knobs); verdicts that rest on "ignored" are in doubt`,
      g: fit.g,
      chi2: fit.chi2,
      df: fit.degreesOfFreedom,
    },
  };
}
