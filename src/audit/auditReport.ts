import { auditKnobSpec } from '../charts/auditKnob.js';
import type { ReportSection } from '../report/types.js';
import { writeReport, type ReportResult } from '../report/writeReport.js';
import type { AuditResult, KnobResult } from './types.js';
import { describeSetting, formatP } from './verdict.js';

/** Options of `writeAuditReport`. */
export interface AuditReportOptions {
  readonly dir: string;
  readonly title?: string;
  /** Also write PNG copies of the figures (default true). */
  readonly png?: boolean;
}

const settingText = (row: KnobResult): string => (row.setting === null ? '-' : describeSetting(row.setting));

function knobSection(row: KnobResult, index: number): ReportSection | undefined {
  const cells = row.evidence.cells;
  if (!cells || cells.length === 0) return undefined;
  const e = row.evidence;
  const fits = [e.applied ? `applied p = ${formatP(e.applied.p_value)}` : '', e.ignored ? `ignored p = ${formatP(e.ignored.p_value)}` : ''].filter(Boolean).join(', ');
  const plan = e.plan;
  const prompt = e.prompt?.text !== undefined ? JSON.stringify(e.prompt.text) : e.prompt?.tokens !== undefined ? `token ids [${e.prompt.tokens.join(', ')}]` : 'the chosen prompt';
  const paragraphs = [
    `${row.verdict.toUpperCase()}: ${e.summary}.`,
    `${row.n} requests of one token each after ${prompt}, seeds ${e.seeds ? `${e.seeds[0]} to ${e.seeds[1]}` : 'recorded per request'}, tested at alpha ${e.alpha ?? '-'} (likelihood-ratio test, G with Williams' correction: cells expected below 5 draws are pooled; a draw where a model puts probability 0 rejects it).`,
  ];
  if (plan) {
    paragraphs.push(
      `Plan: ${plan.n_needed} draws reject "ignored" when the knob is applied, and "applied" when it is ignored, with power ${plan.power.toFixed(4)} (${plan.effect}).` +
        (plan.resolution ? ('n_needed' in plan.resolution ? ` The same draws tell ${describeSetting(plan.resolution.setting)} apart with power ${plan.resolution.power.toFixed(3)}.` : ` ${describeSetting(plan.resolution.setting)}: ${plan.resolution.note}.`) : ''),
    );
  }
  return {
    id: `knob-${index + 1}-${row.knob.replace(/[^a-z0-9]+/g, '-')}`,
    title: `${row.knob} (${settingText(row)}): ${row.verdict}`,
    paragraphs,
    figures: [
      {
        name: `${row.knob.replace(/[^a-z0-9]+/g, '-')}-expected-observed`,
        title: `${row.knob}: expected vs observed`,
        caption: 'Blue: the first-token distribution with the knob applied (engine profile rules); grey: with it ignored; dark red: the frequencies drawn, with 95% Wilson intervals.',
        spec: auditKnobSpec({ knob: row.knob, setting: settingText(row), verdict: row.verdict, n: row.n, cells, subtitle: `${row.n} seeded one-token draws; ${fits}` }),
      },
    ],
    tables: [{ header: ['token', 'applied', 'ignored', 'observed'], rows: cells.map((cell) => [cell.token === '' ? '(empty)' : cell.token, cell.applied === null ? 'unknown' : cell.applied.toFixed(4), cell.ignored === null ? 'unknown' : cell.ignored.toFixed(4), String(cell.observed)]) }],
    ...(e.notes && e.notes.length > 0 ? { notes: [...e.notes] } : {}),
  };
}

/**
 * The sections of an audit's report: the verdicts (a table of every knob), the target-wide
 * checks, and one section per measured knob with its chart (expected with the knob applied
 * and ignored, against the draws) and the numbers behind it.
 *
 * @example
 * const sections = auditSections(result);
 */
export function auditSections(result: AuditResult): ReportSection[] {
  const settings = result.settings;
  const summary: ReportSection = {
    id: 'verdicts',
    title: 'Verdicts',
    paragraphs: [
      `Target: ${String(result.target.label ?? JSON.stringify(result.target))}. Engine profile: ${settings.profile ?? 'none'}${settings.profile_note ? ` (${settings.profile_note})` : ''}.`,
      `Knobs: ${settings.knobs_source}. Every test at alpha ${settings.alpha}; draws planned for power ${settings.power} against the knob ignored (and against it applied when ignored), ${settings.min_n} to ${settings.max_n} per knob; audit seed ${settings.seed}; ${result.requests} requests in ${(result.elapsed_ms / 1000).toFixed(1)} s.`,
      'applied: the draws fit the distribution expected with the knob applied and reject the one expected with it ignored; ignored: the reverse (accepted and silently dropped); different: neither fits (the settings that do are named); refused: an error answer; untestable: the reason is given. The p-value is that of the rejected model.',
    ],
    tables: [{ header: ['knob', 'setting', 'verdict', 'p-value', 'N', 'evidence'], rows: result.knobs.map((row) => [row.knob, settingText(row), row.verdict, row.p_value === null ? '-' : formatP(row.p_value), String(row.n), row.evidence.summary]) }],
  };
  const checks: ReportSection = {
    id: 'checks',
    title: 'Checks of the target',
    paragraphs: ['Do draws at the neutral settings follow the returned log-probabilities, are those taken before or after the knobs, and which knobs were refused with an error rather than dropped.'],
    tables: [{ header: ['check', 'result', 'p-value', 'N', 'evidence'], rows: result.checks.map((check) => [check.check, check.result, check.p_value === null ? '-' : formatP(check.p_value), String(check.n), String(check.evidence.summary ?? '')]) }],
  };
  const knobs = result.knobs.flatMap((row, index) => {
    const section = knobSection(row, index);
    return section ? [section] : [];
  });
  return [summary, checks, ...knobs];
}

/**
 * Writes the HTML report of an audit with the tour report's writer: `index.html` with every
 * chart inline, and each chart as SVG, PNG and Vega-Lite spec under `figures/`.
 *
 * @example
 * await writeAuditReport(result, { dir: 'audit-report' });
 */
export async function writeAuditReport(result: AuditResult, options: AuditReportOptions): Promise<ReportResult> {
  return writeReport(auditSections(result), {
    dir: options.dir,
    title: options.title ?? `Audit: ${String(result.target.label ?? 'target')}`,
    subtitle: `which sampling knobs it really applies, by measurement; written ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    png: options.png ?? true,
  });
}
