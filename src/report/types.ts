import type { FigureSpec } from '../charts/theme.js';

/** A figure of a report section: a Vega-Lite spec and its caption. */
export interface ReportFigure {
  /** File-name stem, unique within the section (`temperature-figure`). */
  readonly name: string;
  readonly title: string;
  /** One or two sentences under the figure (plain text). */
  readonly caption?: string;
  readonly spec: FigureSpec;
}

/** A table of a report section (plain-text cells). */
export interface ReportTable {
  readonly caption?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * One section of the HTML report: a demonstration with its figures and tables. All text
 * is plain text (the writer escapes it).
 */
export interface ReportSection {
  /** Anchor and file-name prefix: lower case, digits and dashes. */
  readonly id: string;
  readonly title: string;
  readonly paragraphs?: readonly string[];
  readonly figures?: readonly ReportFigure[];
  readonly tables?: readonly ReportTable[];
  /** Small print under the section (corrections of the original text, caveats). */
  readonly notes?: readonly string[];
  /** Text shown as is in a monospace block (e.g. a script's printed line). */
  readonly preformatted?: string;
  /** Set when the section's data source was unavailable: why. */
  readonly unavailable?: string;
}

/**
 * A section to build lazily. The report builds each source in turn; a source that throws
 * (its data is unavailable: no model, no network) becomes a section that says why, and
 * the rest of the report is still written.
 */
export interface SectionSource {
  readonly id: string;
  readonly title: string;
  build(): ReportSection | Promise<ReportSection>;
}
