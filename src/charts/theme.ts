import type { Config, TopLevelSpec } from 'vega-lite';
import type { Field, PositionFieldDef } from 'vega-lite/types_unstable/channeldef.js';
import type { NonNormalizedSpec } from 'vega-lite/types_unstable/spec/index.js';
import { FONT_FAMILY } from './fonts.js';

/** A whole figure: a Vega-Lite spec that any Vega-Lite renderer can draw. */
export type FigureSpec = TopLevelSpec;
/** One view inside a composed figure (a panel of a concat, a layer). */
export type ViewSpec = NonNormalizedSpec;
/** An x or y encoding bound to a field. */
export type PositionEncoding = PositionFieldDef<Field>;

/** The colours of every figure (the seed's matplotlib names, as hex). */
export const COLORS = {
  /** matplotlib `darkred`: the highlighted bar (the top token, the observed value). */
  highlight: '#8b0000',
  /** matplotlib `steelblue`: ordinary bars. */
  base: '#4682b4',
  /** Tokens a sampler removed. */
  removed: '#c8c8c8',
  /** Reference lines (ceilings, thresholds). */
  reference: '#555555',
  /** Categorical palette for series (Tableau 10, first colours). */
  series: ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'],
} as const;

/** The Vega-Lite `$schema` of every spec. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The shared configuration: one font (DejaVu Sans) for every piece of text, a white
 * background, readable sizes. Builders add it with `themed`.
 */
export const THEME: Config = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  title: { fontSize: 16, fontWeight: 'bold', anchor: 'middle', offset: 10, subtitleFontSize: 13, subtitleColor: '#444' },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    titleColor: '#222',
    labelColor: '#333',
    gridColor: '#e8e8e8',
    domainColor: '#777',
    tickColor: '#777',
  },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', labelLimit: 0 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  view: { stroke: '#d0d0d0' },
  text: { fontSize: 12 },
};

/**
 * Adds the `$schema` and the shared theme to a spec (the spec's own `config` wins where
 * both set a value, one level deep).
 *
 * @example
 * themed({ mark: 'bar', data: { values: [] }, encoding: {} }).config?.font; // 'DejaVu Sans'
 */
export function themed(spec: TopLevelSpec): TopLevelSpec {
  const own = (spec.config ?? {}) as Record<string, unknown>;
  const config: Record<string, unknown> = { ...THEME };
  for (const [key, value] of Object.entries(own)) {
    const base = config[key];
    config[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return { $schema: VEGA_LITE_SCHEMA, ...spec, config: config as Config } as TopLevelSpec;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A token as a chart label: spaces as `␣`, newlines as `↵`, tabs as `⇥`, so that
 * whitespace tokens of real vocabularies stay visible; `#id` when there is no text.
 *
 * @example
 * tokenLabel(' the', 12); // '␣the'
 */
export function tokenLabel(text: string | undefined, id: number): string {
  if (text === undefined || text === '') return `#${id}`;
  return text.replace(/ /g, '\u2423').replace(/\n/g, '\u21b5').replace(/\t/g, '\u21e5');
}

/**
 * Labels for every token id, made unique: a repeated text gets its id appended
 * (`the #12`), so an ordinal axis never merges two tokens.
 *
 * @example
 * tokenLabels(3, ['a', 'b', 'a']); // ['a #0', 'b', 'a #2']
 */
export function tokenLabels(vocabSize: number, tokens?: readonly string[]): string[] {
  const labels = Array.from({ length: vocabSize }, (_, id) => tokenLabel(tokens?.[id], id));
  const seen = new Map<string, number>();
  for (const label of labels) seen.set(label, (seen.get(label) ?? 0) + 1);
  return labels.map((label, id) => ((seen.get(label) ?? 0) > 1 ? `${label} #${id}` : label));
}

/**
 * Formats a probability as a percentage with `digits` decimals.
 *
 * @example
 * percentLabel(0.5895608712); // '59.0%'
 */
export function percentLabel(probability: number, digits = 1): string {
  return `${(probability * 100).toFixed(digits)}%`;
}

/**
 * Token ids ordered by probability descending, ties by lower id (the rank order of every
 * figure).
 *
 * @example
 * rankOrder([0.2, 0.5, 0.2, 0.1]); // [1, 0, 2, 3]
 */
export function rankOrder(probs: ArrayLike<number>): number[] {
  return Array.from({ length: probs.length }, (_, id) => id).sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
}
