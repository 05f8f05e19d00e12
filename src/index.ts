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
