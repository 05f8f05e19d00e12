/**
 * `creativity-knobs`: the sampling knobs of large language models, for any JavaScript
 * runtime (browser, worker, Node). Core math on typed arrays, every sampler and its single
 * definition, the engine profiles, chain parsing, the kernel, `createSampler`, the
 * browser-safe analysis a page needs, and the decode loop over any `LanguageModel`. Nothing
 * here imports a `node:` module or a Node-only package, directly or indirectly; the
 * Node-only layers are subpaths: `creativity-knobs/models`, `/charts`, `/report`,
 * `/providers`, `/experiments`, `/server`, `/playground`, `/decoding`, `/analysis`,
 * `/demos`, and the runtime adapters `/transformers`, `/web-llm`, `/onnx`,
 * `/node-llama-cpp`, `/ai-sdk`.
 *
 * @example
 * import { createSampler } from 'creativity-knobs';
 * const sampler = createSampler('top_k=40,top_p=0.95,temperature=0.8', { seed: 1 });
 * const token = sampler.sample(logits);
 *
 * @module creativity-knobs
 */

// Core math on typed arrays
export * from './core/errors.js';
export { argmax } from './core/argmax.js';
export { entropy, type EntropyOptions } from './core/entropy.js';
export { exp32 } from './core/exp.js';
export { logSoftmax } from './core/logSoftmax.js';
export { logSumExp } from './kernel/logSumExp.js';
export type { Before } from './core/partialSort.js';
export { parseDistribution, type ParsedDistribution } from './core/parseDistribution.js';
export { perplexity, sequencePerplexity } from './core/perplexity.js';
export { softmax, softmaxWithTemperature } from './core/softmax.js';
export { validateLogits, validateProbabilities } from './core/validate.js';

// The seed's reference data and the built-in examples
export { getExample, listExamples, seedExamples, type Example } from './examples/index.js';

// Samplers: one definition each, the chain, engine profiles, the seeded generator
export { Candidates } from './samplers/candidates.js';
export { createSampler, type ChainInput, type KnobsSampler, type SamplerOptions, type StageResult } from './samplers/chain.js';
export type { FastStats } from './samplers/fast/runner.js';
export { checkParameter, defineSampler, describeRange, isLive, MIN_KEEP, parameterDefault, resolveParameters, type EngineEntry, type Interval, type ParameterControl, type ParameterKind, type ParameterSpec, type SamplerDefinition } from './samplers/definition.js';
export { compareEngines, type CompareOptions, type EngineComparison, type EngineRun, type TokenDifference } from './samplers/compareEngines.js';
export { drawToken } from './samplers/draw.js';
export { engineDifferences, type EngineAspect } from './samplers/engineDifferences.js';
export { createBatchSampler, type BatchSampler, type BatchSamplerOptions } from './samplers/fastBatch.js';
export { engineDefaultChain, ENGINE_NAMES, engineStages, getProfile, listProfiles, type AdaptivePRule, type BadWordsRule, type EngineName, type EngineProfile, type MinPRule, type PenaltyRule, type SmoothingRule, type TemperatureRule, type TfsRule, type TopNSigmaRule, type TopPRule, type TypicalRule } from './samplers/profiles.js';
export { createStage, registerSampler, samplerDefinition, samplerDefinitions, unregisterSampler, type StageParameters } from './samplers/registry.js';
export { Rng } from './samplers/rng.js';
export type { Sampler, SamplerContext } from './samplers/sampler.js';
export type { TopKTies } from './samplers/topK.js';
export { chainFromSettings, parseChain, parseStage, type ChainSpec, type ParsedStage, type StageSpec } from './samplers/spec.js';

// The kernel: WebAssembly SIMD and its TypeScript twin
export { getKernel, wasmKernelAvailable, type Kernel, type KernelChoice } from './kernel/index.js';

// Browser-safe analysis: statistics of one distribution and of many draws
export { chiSquareTest, type ChiSquareResult } from './analysis/chiSquare.js';
export { distributionReport, type DistributionReport } from './analysis/distributionReport.js';
export { nucleusSize } from './analysis/nucleusSize.js';
export { sampleCounts, type SampleCounts } from './analysis/sampleCounts.js';

// The decode loop over any model that yields next-token logits
export type { LanguageModel } from './models/languageModel.js';
export { decode, takeToken, type DecodeFinish, type DecodeOptions, type DecodeResult, type DecodeSampler, type DecodeStep } from './models/decode.js';
