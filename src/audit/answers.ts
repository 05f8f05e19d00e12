import type { TargetAnswer } from './types.js';

/**
 * The refusal among answers, if any.
 *
 * @example
 * refusalOf(answers)?.reason; // 'min_p is not supported by this gateway (HTTP 400)'
 */
export function refusalOf(answers: readonly TargetAnswer[]): Extract<TargetAnswer, { status: 'refused' }> | undefined {
  return answers.find((answer): answer is Extract<TargetAnswer, { status: 'refused' }> => answer.status === 'refused');
}

/**
 * The key of an answer's first token (its text when the target gave no tokens).
 *
 * @example
 * firstKey({ status: 'ok', text: 'a', tokens: [{ key: 'id:7', text: 'a', id: 7 }] }); // 'id:7'
 */
export function firstKey(answer: TargetAnswer): string {
  if (answer.status !== 'ok') return '';
  return answer.tokens[0]?.key ?? answer.text;
}
