import type { ResultRow } from './resultRow.js';
import { pythonFloat } from './presets.js';

/** Options of `formatSeedLayout`. */
export interface SeedLayoutOptions {
  /** The banner between the `=` rules. */
  readonly title: string;
  /** Characters of each completion to print (the seed printed `r[:70]` then `...`); absent: the whole text, no `...`. */
  readonly printChars?: number;
  /** Lines printed under the banner. */
  readonly notes?: readonly string[];
}

const RULE = '='.repeat(60);
const LINE = '-'.repeat(40);

/**
 * Completions grouped by setting in the layout of the seed's openai_generate.py and
 * anthropic_generate.py: a banner between rules of 60 `=`, then for each setting a heading
 * (`Temperature = 0.5`; other fields that vary as `top_p = 0.9`), a rule of 40 `-`, and
 * the completions numbered from 1, cut to `printChars` characters and followed by `...`.
 * Line breaks inside a completion are shown as spaces so that each stays on its line, and
 * leading white space is dropped (a plain-text model continues with " felt ..."); a
 * refused request shows its reason in brackets. Several targets or prompts get a line
 * naming them above their settings. Rows are taken in job order.
 *
 * @example
 * formatSeedLayout(rows, { title: 'TEMPERATURE EXPERIMENT (OpenAI)', printChars: 70 });
 * // ============================================================
 * // TEMPERATURE EXPERIMENT (OpenAI)
 * // ============================================================
 * //
 * // Temperature = 0.0
 * // ----------------------------------------
 * //   1. a surge of colors dance within its circuits, as if the vibrant hues of...
 */
export function formatSeedLayout(rows: readonly ResultRow[], options: SeedLayoutOptions): string {
  const ordered = [...rows].sort((a, b) => a.ordinal - b.ordinal);
  const lines = [RULE, options.title, RULE, ...(options.notes ?? [])];
  const varying = varyingFields(ordered);
  const targets = new Set(ordered.map((row) => row.label));
  const prompts = new Set(ordered.map((row) => row.prompt_id));
  let group = '';
  let cell = '';
  for (const row of ordered) {
    const groupKey = `${row.label}\u0000${row.prompt_id}`;
    if (groupKey !== group && (targets.size > 1 || prompts.size > 1)) {
      lines.push('', `## ${[targets.size > 1 ? row.label : '', prompts.size > 1 ? `prompt ${row.prompt_id}: ${cut(row.prompt, 60)}` : ''].filter(Boolean).join(' · ')}`);
      cell = '';
    }
    group = groupKey;
    const heading = settingHeading(row, varying);
    if (heading !== cell) {
      lines.push('', heading, LINE);
      cell = heading;
    }
    const number = `  ${row.index + 1}. `;
    if (row.status === 'rejected' || row.text === null) lines.push(`${number}[${row.rejected?.map((rejection) => rejection.reason).join('; ') ?? 'rejected by provider'}]`);
    else lines.push(`${number}${options.printChars === undefined ? oneLine(row.text) : `${cut(oneLine(row.text), options.printChars)}...`}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Fields whose value differs between rows (in order of first appearance), plus the chain when it varies. */
function varyingFields(rows: readonly ResultRow[]): string[] {
  const seen = new Map<string, Set<string>>();
  for (const row of rows) {
    const entries: [string, unknown][] = [...Object.entries(row.settings), ['chain', row.chain]];
    for (const [field, value] of entries) {
      const values = seen.get(field) ?? new Set<string>();
      values.add(JSON.stringify(value ?? null));
      seen.set(field, values);
    }
  }
  const fields = [...seen.entries()].filter(([, values]) => values.size > 1).map(([field]) => field);
  return fields.length > 0 ? fields : [...seen.keys()].filter((field) => field === 'temperature');
}

function settingHeading(row: ResultRow, fields: readonly string[]): string {
  if (fields.length === 0) return 'Settings = defaults';
  return fields
    .map((field) => {
      const value = field === 'chain' ? row.chain : row.settings[field];
      const shown = value === undefined ? '(default)' : typeof value === 'number' ? pythonFloat(value) : typeof value === 'string' ? value : JSON.stringify(value);
      return `${field === 'temperature' ? 'Temperature' : field} = ${shown}`;
    })
    .join(', ');
}

/** Line breaks and tabs as single spaces, leading white space dropped. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\t]+\s*/g, ' ').trimStart();
}

/** The first `count` characters (code points, like Python's slicing of str). */
export function cut(text: string, count: number): string {
  const chars = Array.from(text);
  return chars.length <= count ? text : chars.slice(0, count).join('');
}
