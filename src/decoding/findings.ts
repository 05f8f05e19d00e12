import type { DecodingComparison } from './compareDecoding.js';
import { HOLTZMAN_TABLE_1 } from './holtzmanTable1.js';
import { DECODING_STRATEGIES, HUMAN_ROW, STOCHASTIC_BEAM_STRATEGY, type StrategyFamily } from './strategies.js';

/** The numbers a finding looks at, for one row. */
export interface FindingRow {
  readonly name: string;
  readonly family: StrategyFamily;
  readonly perplexity: number;
  readonly selfBleu4: number;
  /** Share of generations ending in a loop, in [0, 1]. */
  readonly repetition: number;
}

/** One qualitative finding of Holtzman et al. (2020), checked on a set of rows. */
export interface DecodingFinding {
  readonly id: string;
  readonly claim: string;
  /** true / false; null when the rows it needs are missing. */
  readonly holds: boolean | null;
  /** The numbers behind the verdict. */
  readonly detail: string;
}

const NUCLEUS = 'top-p-0.95';
const PURE = 'pure';

/**
 * Checks the paper's qualitative findings on a comparison (or any rows):
 * 1. greedy and beam search repeat most: every maximization row's repetition rate is above
 *    every other generated row's;
 * 2. they have the lowest perplexity: every maximization row's is below every other's;
 * 3. pure sampling has the highest perplexity of the generated rows;
 * 4. pure sampling has the lowest self-BLEU-4 of the generated rows;
 * 5. nucleus sampling (p = 0.95) is the generated row closest to the human reference in
 *    perplexity, measured as |ln ppl − ln ppl_human| (a ratio: 6 vs 12 is as far as 24 vs 12);
 * 6. … and in repetition rate, |rate − rate_human| (ties count as closest).
 * Pending rows and NaN metrics are left out. The human row is the one named `human`.
 *
 * @example
 * decodingFindings(comparison).filter((finding) => finding.holds === false);
 */
export function decodingFindings(input: DecodingComparison | readonly FindingRow[]): DecodingFinding[] {
  const rows: FindingRow[] = Array.isArray(input) ? [...(input as readonly FindingRow[])] : rowsOf(input as DecodingComparison);
  const human = rows.find((row) => row.name === HUMAN_ROW);
  const generated = rows.filter((row) => row.name !== HUMAN_ROW);
  const maximization = generated.filter((row) => row.family === 'maximization');
  const others = generated.filter((row) => row.family !== 'maximization');
  const pure = generated.find((row) => row.name === PURE);
  const nucleus = generated.find((row) => row.name === NUCLEUS);
  const list = (items: FindingRow[], metric: (row: FindingRow) => number, digits: number): string =>
    items.map((row) => `${row.name} ${format(metric(row), digits)}`).join(', ');
  const findings: DecodingFinding[] = [];

  const separated = (metric: (row: FindingRow) => number, above: boolean): boolean | null => {
    const a = maximization.map(metric).filter((value) => !Number.isNaN(value));
    const b = others.map(metric).filter((value) => !Number.isNaN(value));
    if (a.length === 0 || b.length === 0) return null;
    return above ? Math.min(...a) > Math.max(...b) : Math.max(...a) < Math.min(...b);
  };
  findings.push({
    id: 'maximization-repeats-most',
    claim: 'greedy and beam search repeat most',
    holds: separated((row) => row.repetition, true),
    detail: `repetition: ${list(maximization, (row) => row.repetition * 100, 1)} vs highest other ${extreme(others, (row) => row.repetition * 100, 'max', 1)}`,
  });
  findings.push({
    id: 'maximization-lowest-perplexity',
    claim: 'greedy and beam search have the lowest perplexity',
    holds: separated((row) => row.perplexity, false),
    detail: `perplexity: ${list(maximization, (row) => row.perplexity, 2)} vs lowest other ${extreme(others, (row) => row.perplexity, 'min', 2)}`,
  });
  const ranked = (metric: (row: FindingRow) => number, highest: boolean): boolean | null => {
    if (!pure || Number.isNaN(metric(pure))) return null;
    const values = generated.filter((row) => row !== pure).map(metric).filter((value) => !Number.isNaN(value));
    return highest ? values.every((value) => metric(pure) >= value) : values.every((value) => metric(pure) <= value);
  };
  findings.push({
    id: 'pure-highest-perplexity',
    claim: 'pure sampling has the highest perplexity',
    holds: ranked((row) => row.perplexity, true),
    detail: `pure ${pure ? format(pure.perplexity, 2) : '-'}; highest other ${extreme(generated.filter((row) => row !== pure), (row) => row.perplexity, 'max', 2)}`,
  });
  findings.push({
    id: 'pure-lowest-self-bleu',
    claim: 'pure sampling has the lowest self-BLEU-4',
    holds: ranked((row) => row.selfBleu4, false),
    detail: `pure ${pure ? format(pure.selfBleu4, 3) : '-'}; lowest other ${extreme(generated.filter((row) => row !== pure), (row) => row.selfBleu4, 'min', 3)}`,
  });
  const closest = (metric: (row: FindingRow) => number, distance: (a: number, b: number) => number, digits: number, what: string): DecodingFinding => {
    const id = `nucleus-closest-${what}`;
    const claim = `nucleus sampling is closest to the human reference in ${what}`;
    if (!human || !nucleus || Number.isNaN(metric(human)) || Number.isNaN(metric(nucleus))) return { id, claim, holds: null, detail: 'needs the human and nucleus rows' };
    const target = metric(human);
    const scored = generated.filter((row) => !Number.isNaN(metric(row))).map((row) => ({ row, gap: distance(metric(row), target) }));
    const own = distance(metric(nucleus), target);
    const best = scored.reduce((a, b) => (b.gap < a.gap ? b : a));
    return {
      id,
      claim,
      holds: scored.every((item) => own <= item.gap),
      detail: `human ${format(target, digits)}; nucleus ${format(metric(nucleus), digits)}; closest ${best.row.name} ${format(metric(best.row), digits)}`,
    };
  };
  findings.push(closest((row) => row.perplexity, (a, b) => Math.abs(Math.log(a) - Math.log(b)), 2, 'perplexity'));
  findings.push(closest((row) => row.repetition * 100, (a, b) => Math.abs(a - b), 2, 'repetition'));
  return findings;
}

/**
 * The same findings checked on the paper's own Table 1 (e.g. top-k = 640 is closer to human repetition than nucleus there).
 *
 * @example
 * paperFindings().find((finding) => finding.id === 'nucleus-closest-repetition')?.holds; // false
 */
export function paperFindings(): DecodingFinding[] {
  const families = new Map([...DECODING_STRATEGIES, STOCHASTIC_BEAM_STRATEGY].map((strategy) => [strategy.name, strategy.family]));
  const rows: FindingRow[] = Object.entries(HOLTZMAN_TABLE_1).map(([name, row]) => ({
    name,
    family: name === HUMAN_ROW ? 'human' : (families.get(name) ?? 'sampling'),
    perplexity: row.perplexity,
    selfBleu4: row.selfBleu4,
    repetition: row.repetitionPercent / 100,
  }));
  return decodingFindings(rows);
}

function rowsOf(comparison: DecodingComparison): FindingRow[] {
  return comparison.rows.flatMap((row) =>
    row.status === 'done' && row.metrics
      ? [{ name: row.name, family: row.family, perplexity: row.metrics.perplexity, selfBleu4: row.metrics.selfBleu4, repetition: row.metrics.repetition }]
      : [],
  );
}

function extreme(rows: FindingRow[], metric: (row: FindingRow) => number, which: 'min' | 'max', digits: number): string {
  const scored = rows.filter((row) => !Number.isNaN(metric(row)));
  if (scored.length === 0) return '-';
  const best = scored.reduce((a, b) => ((which === 'max' ? metric(b) > metric(a) : metric(b) < metric(a)) ? b : a));
  return `${best.name} ${format(metric(best), digits)}`;
}

function format(value: number, digits: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(digits);
}
