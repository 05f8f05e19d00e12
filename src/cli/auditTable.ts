import { describeSetting, formatP } from '../audit/verdict.js';
import type { AuditResult, KnobResult } from '../audit/types.js';
import { bold, formatTable, green, red } from './terminal.js';

const cut = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, length - 1)}…`);

/** The short "why" of a row: the two fits, or the reason. */
function why(row: KnobResult): string {
  const e = row.evidence;
  const fit = (label: string, value: { p_value: number; impossible?: { token: string; count: number } } | undefined): string =>
    value === undefined ? '' : `${label} ${formatP(value.p_value)}${value.impossible ? ` (${JSON.stringify(value.impossible.token)} drawn ${value.impossible.count}x)` : ''}`;
  if (row.verdict === 'applied' || row.verdict === 'ignored' || (row.verdict === 'different' && e.applied)) {
    if (e.applied && e.ignored) {
      const parts = [fit('p(applied)', e.applied), fit('p(ignored)', e.ignored)];
      if (row.verdict === 'different') parts.push(e.best_fit ? `fits ${describeSetting(e.best_fit.settings[0] ?? {})}${e.best_fit.settings.length > 1 ? ` ... ${describeSetting(e.best_fit.settings[e.best_fit.settings.length - 1] ?? {})}` : ''}` : 'no setting fits');
      return parts.join(', ');
    }
  }
  return cut(e.summary, 110);
}

const colour = (verdict: string): string => (verdict === 'applied' ? green(verdict) : verdict === 'untestable' ? verdict : red(verdict));

/**
 * The audit as text for the terminal: the target, one row per knob (setting, verdict,
 * p-value, draws, why), then the checks.
 *
 * @example
 * process.stdout.write(formatAuditTable(result));
 */
export function formatAuditTable(result: AuditResult): string {
  const target = result.target;
  const head = [
    `${bold('Audit of')} ${String(target.label ?? JSON.stringify(target))}`,
    `engine profile: ${result.settings.profile ?? 'none'}${result.settings.profile_note ? ` (${result.settings.profile_note})` : ''}`,
    `knobs from ${result.settings.knobs_source}`,
    `alpha ${result.settings.alpha} per test, power ${result.settings.power}, ${result.settings.min_n}-${result.settings.max_n} draws per knob, seed ${result.settings.seed}; ${result.requests} requests in ${(result.elapsed_ms / 1000).toFixed(1)} s`,
    '',
  ];
  const rows = result.knobs.map((row) => [row.knob, row.setting === null ? '-' : describeSetting(row.setting), colour(row.verdict), row.p_value === null ? '-' : formatP(row.p_value), String(row.n), why(row)]);
  const table = formatTable(['knob', 'setting', 'verdict', 'p-value', 'N', 'evidence'], rows);
  const checks = result.checks.map((check) => `${check.check}: ${String(check.evidence.summary ?? check.result)}`);
  return [...head, table, '', ...checks, '', 'p-value: of the model the verdict rejects ("ignored" for applied, "applied" for ignored); --json gives every number.'].join('\n');
}
