import type { DeterminismAnalysis } from './determinism.js';
import { cut } from './seedLayout.js';

/** Options of `formatDeterminism`. */
export interface DeterminismLayoutOptions {
  /** `Test 1: Simple math question`; absent prints no heading. */
  readonly heading?: string;
  /** What was sent, printed under the heading (`local/embedded, temperature 0, seed 7`). */
  readonly setup?: string;
}

const LINE = '-'.repeat(40);
const quote = (text: string): string => JSON.stringify(text);

/**
 * A determinism result in the layout of the seed's test_determinism.py — `Unique
 * responses at T=0: k / n`, then the response (first 80 characters) when there is one, or
 * each distinct response (first 60 characters) — followed by what the seed could not say:
 * how often each response came, the token (or character) where the responses first
 * diverge with the shared text before it and each continuation from there, and the gap
 * between the two most likely candidates at that point when log-probabilities exist.
 *
 * @example
 * formatDeterminism(analyzeDeterminism(trials), { heading: 'Test 1: Simple math question' });
 * // Test 1: Simple math question
 * // ----------------------------------------
 * // Unique responses at T=0: 1 / 10
 * // Deterministic behavior confirmed!
 * //   Response: 2 + 2 equals 4....
 */
export function formatDeterminism(analysis: DeterminismAnalysis, options: DeterminismLayoutOptions = {}): string {
  const lines: string[] = [];
  if (options.heading !== undefined) lines.push(options.heading, LINE);
  if (options.setup !== undefined) lines.push(options.setup);
  lines.push(`Unique responses at T=0: ${analysis.distinct} / ${analysis.trials}`);
  if (analysis.trials === 0) {
    lines.push('No response: every request failed or was refused.');
    return `${lines.join('\n')}\n`;
  }
  if (analysis.deterministic) {
    lines.push('Deterministic behavior confirmed!', `  Response: ${cut((analysis.outputs[0]?.text ?? '').trimStart(), 80)}...`);
    return `${lines.join('\n')}\n`;
  }
  lines.push('Non-determinism detected!');
  for (const output of analysis.outputs) lines.push(`  - ${cut(output.text.trimStart(), 60)}...  (${output.count}x)`);
  const divergence = analysis.divergence;
  if (divergence) {
    const where = `${divergence.unit} ${divergence.position}`;
    lines.push(`First divergence at ${where} (0-based), after ${quote(tail(divergence.prefix, 60))}:`);
    for (const branch of divergence.branches) lines.push(`  ${branch.count}x ${branch.text === '' ? '(ends here)' : quote(cut(branch.text, 60))}`);
    if (divergence.candidates && divergence.logprobGap !== undefined) {
      const [first, second] = divergence.candidates;
      lines.push(
        `Top two candidates there: ${quote(first.token)} (logprob ${first.logprob.toFixed(4)}, p ${Math.exp(first.logprob).toFixed(4)}) vs ${quote(second.token)} (logprob ${second.logprob.toFixed(4)}, p ${Math.exp(second.logprob).toFixed(4)}): gap ${divergence.logprobGap.toFixed(4)} nats`,
      );
    } else {
      lines.push('No log-probabilities at the divergence (the provider gives none).');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The last `count` characters, with `...` in front when cut. */
function tail(text: string, count: number): string {
  const chars = Array.from(text);
  return chars.length <= count ? text : `...${chars.slice(-count).join('')}`;
}
