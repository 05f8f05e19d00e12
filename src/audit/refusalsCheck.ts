import type { CheckResult, KnobResult } from './types.js';

/**
 * Which knobs were refused with an error, refused by our client, or dropped silently.
 *
 * @example
 * judgeRefusals(rows).result; // 'refused with an error: min_p; accepted and silently dropped: top_p'
 */
export function judgeRefusals(results: readonly KnobResult[]): CheckResult {
  const errors = results.filter((result) => result.verdict === 'refused' && result.evidence.refusal?.by_server === true).map((result) => result.knob);
  const client = results.filter((result) => result.verdict === 'refused' && result.evidence.refusal?.by_server === false).map((result) => result.knob);
  const silent = results.filter((result) => result.verdict === 'ignored').map((result) => result.knob);
  const parts = [
    errors.length > 0 ? `refused with an error: ${errors.join(', ')}` : '',
    client.length > 0 ? `refused by the client before sending (its capability table): ${client.join(', ')}` : '',
    silent.length > 0 ? `accepted and silently dropped: ${silent.join(', ')}` : '',
  ].filter(Boolean);
  return {
    check: 'refusals',
    result: errors.length + client.length + silent.length === 0 ? 'none' : parts.join('; '),
    p_value: null,
    n: 0,
    evidence: { summary: parts.length === 0 ? 'no knob was refused or dropped' : parts.join('; '), error: errors, client: client, silent },
  };
}
