/**
 * `creativity-knobs/charts` (Node for rendering): every figure as a Vega-Lite spec built by a pure
 * function of its data, and the renderer to SVG and PNG.
 *
 * @example
 * import { temperatureFigureData, temperatureFigureSpec, renderSvg } from 'creativity-knobs/charts';
 * const svg = await renderSvg(temperatureFigureSpec(temperatureFigureData()));
 *
 * @module creativity-knobs/charts
 */
export { FIGURE_FORMATS, formatFromPath, renderFigure, renderPng, renderSvg, RenderError, type FigureFormat, type PngOptions, type RenderOptions } from './render.js';
export { temperatureFigureData, temperatureFigureSpec, SEED_FIGURE_TEMPERATURES, type TemperatureFigureOptions, type TemperaturePanel } from './temperatureFigure.js';
export { defaultTemperatureGrid, entropySeries, entropyTemperatureSpec, type EntropySeries } from './entropyTemperature.js';
export { nucleusGrid, nucleusHeatmapSpec, type NucleusCell } from './nucleusHeatmap.js';
export { topKTopPSpec, truncationCase, type TruncationCase } from './topKTopP.js';
export { samplingData, samplingFrequenciesSpec, type SamplingData, type SamplingRow } from './samplingFrequencies.js';
export { chainWaterfallData, chainWaterfallSpec, type WaterfallStage } from './chainWaterfall.js';
export { engineProfilesData, engineProfilesSpec, type EngineResult } from './engineProfiles.js';
export { wilsonInterval } from './wilson.js';
export type { InteractionBand } from './interactionBands.js';
export type { TopPSteps } from './topPCumulative.js';
export { THEME, COLORS, type FigureSpec } from './theme.js';
