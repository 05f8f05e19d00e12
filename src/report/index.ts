/**
 * `creativity-knobs/report` (Node): the HTML report of the tour, of experiments and of the
 * decoding comparison, and the figures `knobs plot` draws.
 *
 * @example
 * import { buildSections, seedSectionSources, writeReport } from 'creativity-knobs/report';
 * await writeReport(await buildSections(seedSectionSources()), { dir: 'knobs-report' });
 *
 * @module creativity-knobs/report
 */
export { decodingComparisonChart } from './decodingChart.js';
export { decodingTable, type DecodingTableOptions } from './decodingTable.js';
export { decodingComparisonSection } from './decodingSection.js';
export { decodingSectionSource, type DecodingSectionOptions } from './decodingSectionSource.js';
export { FIGURES, getFigure, type FigureContext, type FigureDefinition, type FigureInput, type FigureOption } from './figures.js';
export { buildSections, writeReport, type ReportProgress, type ReportResult, type WriteReportOptions } from './writeReport.js';
export { completionsSection, distributionSection, type CompletionRow, type DistributionSectionInput } from './sections.js';
export { seedSectionSources, type SeedSectionOptions } from './seedSections.js';
export type { ReportFigure, ReportSection, ReportTable, SectionSource } from './types.js';
export { determinismChartSpec, diversityPoints, diversityTemperatureSpec, type DiversityPoint } from './experimentCharts.js';
export { experimentSections, writeExperimentReport, type ExperimentReportOptions } from './experimentReport.js';
