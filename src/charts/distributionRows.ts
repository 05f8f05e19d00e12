import { COLORS, themed, type FigureSpec } from './theme.js';

/** One row of a small-multiples figure: a distribution over the same tokens. */
export interface DistributionRow {
  /** Header of the row, e.g. `after top_k=10: 10 kept`. */
  readonly label: string;
  /** Probability of every token id (0 = removed); empty when the row failed. */
  readonly probs: ArrayLike<number>;
}

/** Options of `distributionRowsSpec`. */
export interface DistributionRowsOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** Label of every token id (see `tokenLabels`). */
  readonly labels: readonly string[];
  /** Token ids to show, in x order (e.g. the input's 20 most likely). */
  readonly ids: readonly number[];
  /** Title of the x axis. */
  readonly xTitle?: string;
  readonly width?: number;
  readonly rowHeight?: number;
}

/**
 * Small multiples of distributions over the same tokens, one row each (the shape of the
 * chain waterfall and of the engine comparison): bars of probability per token, tokens in
 * a fixed order, removed tokens marked with a grey `×` on the baseline.
 *
 * @example
 * distributionRowsSpec([{ label: 'input', probs }, { label: 'after top_k=2', probs: cut }], { title: 'Top-k', labels: ['a', 'b', 'c'], ids: [0, 1, 2] });
 */
export function distributionRowsSpec(rows: readonly DistributionRow[], options: DistributionRowsOptions): FigureSpec {
  const values = rows.flatMap((row, index) =>
    options.ids.map((id, position) => {
      const p = row.probs.length > 0 ? ((row.probs[id] as number) ?? 0) : 0;
      return { row: index, rowLabel: row.label, position, token: options.labels[id] ?? `#${id}`, p, removed: p <= 0 };
    }),
  );
  const tokens = options.ids.map((id) => options.labels[id] ?? `#${id}`);
  const x = { field: 'token', type: 'nominal', sort: tokens, title: options.xTitle ?? 'Token (in order of the input probability)', axis: { labelAngle: tokens.every((token) => token.length <= 3) ? 0 : -45, labelLimit: 90 } } as const;
  return themed({
    title: { text: options.title, ...(options.subtitle ? { subtitle: options.subtitle } : {}) },
    data: { values },
    facet: {
      row: {
        field: 'rowLabel',
        type: 'nominal',
        sort: rows.map((row) => row.label),
        title: null,
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left', labelFontSize: 13, labelFontWeight: 'bold', labelPadding: 4, labelLimit: 0 },
      },
    },
    spacing: 14,
    spec: {
      width: options.width ?? 640,
      height: options.rowHeight ?? 80,
      layer: [
        {
          mark: { type: 'bar', color: COLORS.base },
          encoding: {
            x: { ...x, sort: [...tokens] },
            y: { field: 'p', type: 'quantitative', title: 'Probability', axis: { tickCount: 3 } },
          },
        },
        {
          transform: [{ filter: 'datum.removed' }],
          mark: { type: 'text', text: '\u00d7', color: '#999999', fontSize: 12, baseline: 'bottom', dy: -1 },
          encoding: { x: { ...x, sort: [...tokens] }, y: { datum: 0 } },
        },
      ],
    },
  });
}
