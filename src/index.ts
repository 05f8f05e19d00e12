/**
 * creativity-knobs: the sampling knobs of large language models as a library.
 * Everything public is exported from here.
 */
export * from './core/errors.js';
export { argmax } from './core/argmax.js';
export { entropy, type EntropyOptions } from './core/entropy.js';
export { logSoftmax } from './core/logSoftmax.js';
export { perplexity, sequencePerplexity } from './core/perplexity.js';
export { softmax, softmaxWithTemperature } from './core/softmax.js';
export { validateLogits, validateProbabilities } from './core/validate.js';
export { Candidates } from './samplers/candidates.js';
export { createSampler, type KnobsSampler, type SamplerOptions, type StageResult } from './samplers/chain.js';
export { drawToken } from './samplers/draw.js';
export { ENGINE_NAMES, getProfile, type EngineName, type EngineProfile } from './samplers/profiles.js';
export { registerSampler, samplerDefinition, samplerDefinitions, type SamplerDefinition } from './samplers/registry.js';
export { Rng } from './samplers/rng.js';
export type { Sampler, SamplerContext } from './samplers/sampler.js';
export { chainFromSettings, parseChain, type ChainSpec, type ParsedStage, type StageSpec } from './samplers/spec.js';
export { parseDistribution, type ParsedDistribution } from './core/parseDistribution.js';
export { getExample, listExamples, seedExamples, type Example } from './examples/index.js';
export { chiSquareTest, type ChiSquareResult } from './analysis/chiSquare.js';
export { gammaQ, logGamma } from './analysis/gamma.js';
export * from './demos/index.js';
export { distributionReport, type DistributionReport } from './analysis/distributionReport.js';
export { sampleCounts, type SampleCounts } from './analysis/sampleCounts.js';
export type { LanguageModel } from './models/languageModel.js';
export { FIGURES, getFigure, type FigureContext, type FigureDefinition, type FigureInput, type FigureOption } from './charts/figures.js';
export { FIGURE_FORMATS, formatFromPath, renderFigure, renderPng, renderSvg, RenderError, type FigureFormat, type PngOptions, type RenderOptions } from './charts/render.js';
export { temperatureFigureData, temperatureFigureSpec, SEED_FIGURE_TEMPERATURES, type TemperaturePanel } from './charts/temperatureFigure.js';
export { defaultTemperatureGrid, entropySeries, entropyTemperatureSpec, type EntropySeries } from './charts/entropyTemperature.js';
export { nucleusGrid, nucleusHeatmapSpec, type NucleusCell } from './charts/nucleusHeatmap.js';
export { topKTopPSpec, truncationCase, type TruncationCase } from './charts/topKTopP.js';
export { samplingData, samplingFrequenciesSpec, type SamplingData, type SamplingRow } from './charts/samplingFrequencies.js';
export { chainWaterfallData, chainWaterfallSpec, type WaterfallStage } from './charts/chainWaterfall.js';
export { engineProfilesData, engineProfilesSpec, type EngineResult } from './charts/engineProfiles.js';
export { wilsonInterval } from './charts/wilson.js';
export { THEME, COLORS, type FigureSpec } from './charts/theme.js';
export { buildSections, writeReport, type ReportProgress, type ReportResult, type WriteReportOptions } from './report/writeReport.js';
export { completionsSection, distributionSection, type CompletionRow, type DistributionSectionInput } from './report/sections.js';
export { seedSectionSources } from './report/seedSections.js';
export type { ReportFigure, ReportSection, ReportTable, SectionSource } from './report/types.js';
