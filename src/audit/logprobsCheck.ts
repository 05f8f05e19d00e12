import type { Position } from './position.js';
import type { AnswerToken, CheckResult, Fields, TargetAnswer } from './types.js';

/**
 * Whether returned log-probabilities are the model's (before the knobs) or the sampler's
 * (after them): the top alternatives of one request with a knob set, against the neutral
 * ones (within 1e-3 nats: before) and against the log of the applied distribution (within
 * 0.01: after).
 *
 * @example
 * judgeLogprobs(position, plan.appliedTruth, { top_k: 2 }, answer).result; // 'before the knobs'
 */
export function judgeLogprobs(position: Position, applied: Float64Array, setting: Fields, answer: TargetAnswer): CheckResult {
  if (answer.status !== 'ok') return { check: 'logprobs', result: 'untestable', p_value: null, n: 1, evidence: { summary: `the request was refused: ${answer.reason}` } };
  const top: readonly AnswerToken[] = answer.tokens[0]?.top ?? [];
  let neutralGap = 0;
  let appliedGap = 0;
  let compared = 0;
  for (const token of top) {
    const index = position.head.findIndex((candidate) => candidate.key === token.key);
    if (index < 0 || token.logprob === undefined) continue;
    compared++;
    neutralGap = Math.max(neutralGap, Math.abs(token.logprob - (position.head[index] as { logprob: number }).logprob));
    const p = applied[index] as number;
    appliedGap = Math.max(appliedGap, p > 0 ? Math.abs(token.logprob - Math.log(p)) : Infinity);
  }
  const evidence = { setting, prompt: position.prompt, compared, largest_difference_from_neutral: neutralGap, largest_difference_from_applied: appliedGap };
  if (compared === 0) return { check: 'logprobs', result: 'untestable', p_value: null, n: 1, evidence: { ...evidence, summary: 'the answer had no alternatives to compare' } };
  if (neutralGap <= 1e-3) return { check: 'logprobs', result: 'before the knobs', p_value: null, n: 1, evidence: { ...evidence, summary: `with ${JSON.stringify(setting)} the returned log-probabilities are the neutral ones (within ${neutralGap.toExponential(1)} nats): the model's distribution, before the knobs` } };
  if (appliedGap <= 1e-2) return { check: 'logprobs', result: 'after the knobs', p_value: null, n: 1, evidence: { ...evidence, summary: `with ${JSON.stringify(setting)} the returned log-probabilities are those of the distribution the knob leaves (within ${appliedGap.toExponential(1)} nats): after the knobs` } };
  return { check: 'logprobs', result: 'neither', p_value: null, n: 1, evidence: { ...evidence, summary: `with ${JSON.stringify(setting)} the returned log-probabilities are neither the neutral ones (off by ${neutralGap.toFixed(3)}) nor the knob's (off by ${appliedGap.toFixed(3)})` } };
}
