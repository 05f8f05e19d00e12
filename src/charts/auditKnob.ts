import { COLORS, themed, type FigureSpec } from './theme.js';
import { wilsonInterval } from './wilson.js';

/** One token of an audited knob: its probability with the knob applied and ignored, and how often it was drawn. */
export interface AuditCell {
  readonly token: string;
  /** `null`: unknown to the model (no bar). */
  readonly applied: number | null;
  readonly ignored: number | null;
  readonly observed: number;
}

/** What the chart of one audited knob shows. */
export interface AuditKnobData {
  readonly knob: string;
  /** The setting as text (`top_p 0.9`). */
  readonly setting: string;
  readonly verdict: string;
  readonly n: number;
  readonly cells: readonly AuditCell[];
  /** One line under the title (the fits). */
  readonly subtitle?: string;
}

const APPLIED = 'expected if applied';
const IGNORED = 'expected if ignored';
const OBSERVED = 'observed frequency, 95% interval';

/** Whitespace made visible in a token label (as `tokenLabel` does), and repeated labels told apart. */
function labels(cells: readonly AuditCell[]): string[] {
  const shown = cells.map((cell) => (cell.token === '' ? '(empty)' : cell.token.replace(/ /g, '\u2423').replace(/\n/g, '\u21b5').replace(/\t/g, '\u21e5')));
  const seen = new Map<string, number>();
  return shown.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count > 1 ? `${label} (${count})` : label;
  });
}

/**
 * The chart of one audited knob: per token, two bars — its probability with the knob
 * applied and with it ignored, under the engine profile — and a dark red point for the
 * frequency of the seeded draws with its 95% Wilson interval. The points sit on the tops
 * of the bars of the model that fits.
 *
 * @example
 * auditKnobSpec({ knob: 'top_p', setting: 'top_p 0.9', verdict: 'applied', n: 400, cells });
 */
export function auditKnobSpec(data: AuditKnobData): FigureSpec {
  const names = labels(data.cells);
  const bars = data.cells.flatMap((cell, index) => [
    ...(cell.applied === null ? [] : [{ token: names[index] as string, model: APPLIED, probability: cell.applied }]),
    ...(cell.ignored === null ? [] : [{ token: names[index] as string, model: IGNORED, probability: cell.ignored }]),
  ]);
  const points = data.cells.map((cell, index) => ({ token: names[index] as string, frequency: data.n > 0 ? cell.observed / data.n : 0, count: cell.observed, ...wilsonInterval(cell.observed, data.n), series: OBSERVED }));
  const x = { field: 'token', type: 'nominal', title: 'First token (most likely when neutral first)', sort: [...names], axis: { labelAngle: names.some((name) => name.length > 3) ? -45 : 0 } } as const;
  const color = { type: 'nominal', title: null, scale: { domain: [APPLIED, IGNORED, OBSERVED], range: [COLORS.base, COLORS.removed, COLORS.highlight] }, legend: { orient: 'top', direction: 'horizontal', labelLimit: 0 } } as const;
  return themed({
    title: { text: `${data.knob}: ${data.setting} — ${data.verdict}`, subtitle: data.subtitle ?? `${data.n} seeded one-token draws` },
    width: Math.max(360, 44 * names.length),
    height: 280,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', opacity: 0.9 },
        encoding: { x, xOffset: { field: 'model', type: 'nominal', sort: [APPLIED, IGNORED] }, y: { field: 'probability', type: 'quantitative', title: 'Probability / frequency' }, color: { ...color, field: 'model' } },
      },
      {
        data: { values: points },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { ...color, field: 'series' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 45, opacity: 1 },
        encoding: { x, y: { field: 'frequency', type: 'quantitative' }, color: { ...color, field: 'series' }, tooltip: [{ field: 'token' }, { field: 'count' }, { field: 'frequency', format: '.3f' }] },
      },
    ],
  } as FigureSpec);
}
