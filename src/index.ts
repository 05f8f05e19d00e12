/**
 * creativity-knobs: the sampling knobs of large language models as a library.
 * Everything public is exported from here, grouped by layer (lowest first).
 */

// Core math on typed arrays
export * from './core/errors.js';
export { argmax } from './core/argmax.js';
export { entropy, type EntropyOptions } from './core/entropy.js';
export { logSoftmax } from './core/logSoftmax.js';
export { perplexity, sequencePerplexity } from './core/perplexity.js';
export { softmax, softmaxWithTemperature } from './core/softmax.js';
export { validateLogits, validateProbabilities } from './core/validate.js';
export { parseDistribution, type ParsedDistribution } from './core/parseDistribution.js';
export { exp32 } from './core/exp.js';

// The seed's reference data and built-in examples
export { getExample, listExamples, seedExamples, type Example } from './examples/index.js';

// Samplers, chains, engine profiles and the seeded generator
export { Candidates } from './samplers/candidates.js';
export { createSampler, type ChainInput, type KnobsSampler, type SamplerOptions, type StageResult } from './samplers/chain.js';
export { drawToken } from './samplers/draw.js';
export { ENGINE_NAMES, engineStages, getProfile, type EngineName, type EngineProfile } from './samplers/profiles.js';
export { createStage, registerSampler, samplerDefinition, samplerDefinitions, unregisterSampler, type SamplerDefinition, type StageParameters } from './samplers/registry.js';
export { checkParameter, defineSampler, describeRange, isLive, MIN_KEEP, parameterDefault, resolveParameters, type EngineEntry, type Interval, type ParameterControl, type ParameterKind, type ParameterSpec } from './samplers/definition.js';
export { Rng } from './samplers/rng.js';
export type { Sampler, SamplerContext } from './samplers/sampler.js';
export { chainFromSettings, parseChain, parseStage, type ChainSpec, type ParsedStage, type StageSpec } from './samplers/spec.js';
export { compareEngines, type CompareOptions, type EngineComparison, type EngineRun, type TokenDifference } from './samplers/compareEngines.js';
export { engineDifferences, type EngineAspect } from './samplers/engineDifferences.js';
export { engineDefaultChain, listProfiles, type AdaptivePRule, type BadWordsRule, type TopNSigmaRule, type MinPRule, type PenaltyRule, type SmoothingRule, type TemperatureRule, type TfsRule, type TopPRule, type TypicalRule } from './samplers/profiles.js';
export { drySampler, type DryOptions } from './samplers/dry.js';
export { dynatempSampler } from './samplers/dynatemp.js';
export { epsilonSampler } from './samplers/epsilon.js';
export { etaSampler } from './samplers/eta.js';
export { greedySampler } from './samplers/greedy.js';
export { logitBiasSampler } from './samplers/logitBias.js';
export { minPSampler } from './samplers/minP.js';
export { mirostatSampler } from './samplers/mirostat.js';
export { noRepeatNgramSampler } from './samplers/noRepeatNgram.js';
export { penaltiesSampler, type PenaltyOptions } from './samplers/penalties.js';
export { temperatureSampler } from './samplers/temperature.js';
export { topKSampler, type TopKTies } from './samplers/topK.js';
export { topNSigmaSampler } from './samplers/topNSigma.js';
export { topPSampler } from './samplers/topP.js';
export { typicalPSampler } from './samplers/typicalP.js';
export { xtcSampler } from './samplers/xtc.js';
export { createBatchSampler, type BatchSampler, type BatchSamplerOptions } from './samplers/fastBatch.js';

// Kernels: the WebAssembly SIMD kernel and its TypeScript twin
export { getKernel, wasmKernelAvailable, type Kernel, type KernelChoice } from './kernel/index.js';

// The seed's demonstrations
export * from './demos/index.js';

// Analysis: statistics, reports, diversity metrics, model demonstrations
export { chiSquareTest, type ChiSquareResult } from './analysis/chiSquare.js';
export { gammaQ, logGamma } from './analysis/gamma.js';
export { distributionReport, type DistributionReport } from './analysis/distributionReport.js';
export { sampleCounts, type SampleCounts } from './analysis/sampleCounts.js';
export { completionsByTemperature, DEMO_PROMPTS, nucleusByTemperature, type CompletionsByTemperature, type NucleusByTemperature, type PromptNucleus, type TemperatureCompletion } from './analysis/modelDemos.js';
export { textTokens, internSequences, type TokenSequence } from './analysis/metrics/tokenSequences.js';
export { distinctN } from './analysis/metrics/distinctN.js';
export { sentenceBleu, bleuFromStatistics, closestLength, type BleuOptions, type BleuStatistics } from './analysis/metrics/bleu.js';
export { selfBleu } from './analysis/metrics/selfBleu.js';
export { endRepetition, repetitionRate, type EndRepetition, type RepetitionOptions } from './analysis/metrics/repetitionRate.js';
export { zipfCoefficient, type ZipfOptions } from './analysis/metrics/zipfCoefficient.js';
export { pairwiseSimilarity, type PairwiseSimilarityOptions } from './analysis/metrics/pairwiseSimilarity.js';
export { corpusPerplexity } from './analysis/metrics/corpusPerplexity.js';
export { continuationLogprobs } from './analysis/metrics/continuationLogprobs.js';
export { logSumExp, maxLogit, sumExpShifted } from './analysis/metrics/logSumExp.js';

// Language models: the embedded n-gram model, GGUF, tokenizer, corpus
export type { LanguageModel } from './models/languageModel.js';
export { addK, type AddKModel } from './models/addK.js';
export { detokenizeDocument, detokenizeSentence, readBrownCorpus, splitDocuments, type BrownDocument } from './models/brownCorpus.js';
export { knobsCacheDirectory } from './models/cacheDirectory.js';
export { countOfCounts, kneserNeyDiscounts, type Discounts } from './models/discounts.js';
export { buildEmbeddedData, embeddedModelPath, loadEmbeddedData, type BuildProgress, type EmbeddedData, type LoadOptions } from './models/embeddedData.js';
export { embeddedModel, loadEmbeddedModel, type EmbeddedModel } from './models/embeddedModel.js';
export { evaluateEmbedded, type ModelEvaluation, type OrderEvaluation } from './models/evaluateModel.js';
export { generate, type Completion, type GenerateOptions, type TokenEvent } from './models/generate.js';
export { heldOutPerplexity, type HeldOutResult, type TokenScorer } from './models/heldOutPerplexity.js';
export { kneserNey, type KneserNeyModel, type KneserNeyOptions } from './models/kneserNey.js';
export { ModelFileError } from './models/modelFile.js';
export { countNgrams, type NgramCounts, type NgramLevel } from './models/ngramCounts.js';
export { decodeTokens, encodeText, END_OF_TEXT, O200K_VOCAB_SIZE, tokenString } from './models/o200k.js';
export { DEFAULT_MODEL, MODEL_IDS, openModel } from './models/openModel.js';
export { GgufLoadError, GgufUnavailableError, NODE_LLAMA_CPP_INSTALL } from './models/ggufRuntime.js';
export { ggufOptionsFromEnv, isGgufModel, openGgufModel, type GgufModel, type GgufModelOptions } from './models/ggufModel.js';
export { isModelId, MODEL_ID_FORMS } from './models/openModel.js';

// Decoding strategies: beam search and the comparison
export { beamSearch, type BeamHypothesis, type BeamSearchOptions, type BeamSearchResult } from './decoding/beamSearch.js';
export { gumbel, log1mexp, shiftGumbel, softplus, truncatedGumbel } from './decoding/gumbel.js';
export { topLogprobs, type TopLogprobs } from './decoding/topLogprobs.js';
export { sampleContinuation, type Continuation, type SampleContinuationOptions } from './decoding/sampleContinuation.js';
export { compareDecoding, decodingMetrics, type CompareDecodingOptions, type DecodingComparison, type DecodingMetrics, type DecodingPrompt, type DecodingRow } from './decoding/compareDecoding.js';
export { DECODING_STRATEGIES, HUMAN_ROW, STOCHASTIC_BEAM_STRATEGY, type DecodingStrategy, type StrategyFamily } from './decoding/strategies.js';
export { HOLTZMAN_TABLE_1, type PaperRow } from './decoding/holtzmanTable1.js';
export { decodingFindings, paperFindings, type DecodingFinding, type FindingRow } from './decoding/findings.js';
export { heldOutPrompts, type HeldOutPromptOptions, type PromptDocument } from './decoding/heldOutPrompts.js';
export { decodingComparisonChart } from './decoding/decodingChart.js';
export { decodingTable, type DecodingTableOptions } from './decoding/decodingTable.js';
export { decodingComparisonSection } from './decoding/decodingSection.js';
export { modelPrompts } from './decoding/modelPrompts.js';
export { decodingSectionSource, type DecodingSectionOptions } from './decoding/decodingSectionSource.js';

// Charts: Vega-Lite specs and their rendering
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

// The HTML report
export { buildSections, writeReport, type ReportProgress, type ReportResult, type WriteReportOptions } from './report/writeReport.js';
export { completionsSection, distributionSection, type CompletionRow, type DistributionSectionInput } from './report/sections.js';
export { seedSectionSources } from './report/seedSections.js';
export type { ReportFigure, ReportSection, ReportTable, SectionSource } from './report/types.js';

// Providers: OpenAI, Anthropic, OpenAI-compatible, local
export { createProvider, PROVIDER_NAMES, type ProviderName, type ProviderOptions } from './providers/index.js';
export { createAnthropicProvider, anthropicCapabilities, claudeSamplingRule, readApiKey, CHAT_END_OF_TURN, renderChatPrompt, checkSettings, COMPATIBLE_SERVERS, compatibleCapabilities, MissingApiKeyError, ProviderError, generateCompletion, randomSeed, chainFromKnobFields, isKnobField, knobFields, knobFieldsFromChain, createLocalProvider, localCapabilities, createOpenAIProvider, openaiCapabilities, openaiModelFamily, OPENAI_KNOBS, createOpenAICompatibleProvider } from './providers/index.js';
export type { AnthropicProviderOptions, ClaudeSamplingRule, SettingsCheck, CompatibleServer, ProviderErrorKind, GenerateCompletionOptions, Generation, GenerationDelta, KnobField, LocalProviderOptions, OpenAIProviderOptions, OpenAICompatibleProviderOptions } from './providers/index.js';
export { staticModelResolver as modelsByName, type ModelResolver as ProviderModelResolver } from './providers/modelResolver.js';
export type { ChatMessage, Completion as ProviderCompletion, CompletionRequest, CompletionResult, FinishReason, KnobRange, KnobSettings, ModelCapabilities, Provider, Rejection, TokenInfo, TopLogprob } from './providers/types.js';

// Experiments
export { parseGrid, gridPoints, settingsLabel, type GridAxis, type GridInput } from './experiments/grid.js';
export { canonicalJson } from './experiments/canonicalJson.js';
export { jobKey, cellKey, type Job, type JobIdentity, type ProviderTarget, type SettingPoint } from './experiments/job.js';
export { expandJobs, jobsHash } from './experiments/expandJobs.js';
export { ExperimentSpecError, isPaidTarget, parseExperimentSpec, readExperimentSpec, type ExperimentSpec, type PromptEntry, type TargetEntry } from './experiments/experimentSpec.js';
export type { ResultLine, ResultRow, RunHeader } from './experiments/resultRow.js';
export { ResultsAppender, readResultsFile, type ResultsFileContents } from './experiments/resultsFile.js';
export { lockResults, ResultsLockedError, type ResultsLock } from './experiments/resultsLock.js';
export { defaultRetryPolicy, retryAfterMs, type RetryDecision, type RetryOptions, type RetryPolicy } from './experiments/retryPolicy.js';
export { schedule, type LaneLimits, type ScheduleOptions, type TaskOutcome } from './experiments/scheduler.js';
export { ResultsFileError, runExperiment, type JobFailure, type ProviderFactory, type RunExperimentOptions, type RunProgress, type RunResult } from './experiments/runExperiment.js';
export { localModelResolver, providerFactory, type ProviderFactoryOptions } from './experiments/providerFor.js';
export { analyzeDeterminism, distinctOutputs, type DeterminismAnalysis, type DeterminismTrial, type Divergence, type DistinctOutput } from './experiments/determinism.js';
export { diversityMetrics, type DiversityMetrics, type MetricInput } from './experiments/diversityMetrics.js';
export { metricsBySetting, type SettingMetrics } from './experiments/metricsBySetting.js';
export { metricsTable } from './experiments/metricsTable.js';
export { clampAnthropicTemperature, SEED_DETERMINISM_TESTS, seedAnthropicPreset, seedOpenAIPreset, type PresetOverrides, type TemperaturePreset } from './experiments/presets.js';
export { gridSpec, runGrid, type GridRequest, type GridRun } from './experiments/runGrid.js';
export { determinismSpec, runDeterminism, type DeterminismPrompt, type DeterminismRequest, type DeterminismRun } from './experiments/runDeterminism.js';
export { CONFIRM_ABOVE, describePreview, previewRun, type RunPreview } from './experiments/preview.js';
export { formatProgress } from './experiments/progress.js';
export { formatSeedLayout, type SeedLayoutOptions } from './experiments/seedLayout.js';
export { formatDeterminism } from './experiments/determinismLayout.js';
export { determinismCells } from './experiments/determinismCells.js';
export { determinismChartSpec, diversityPoints, diversityTemperatureSpec, type DiversityPoint } from './experiments/reportCharts.js';
export { experimentSections, writeExperimentReport } from './experiments/experimentReport.js';

// knobs serve
export { ApiError, anthropicErrorBody, openaiErrorBody, isLoopback, presentsKey, createKnobsServer, runUntilSignal, type KnobsServer, type KnobsServerOptions, type RunUntilSignalOptions } from './server/index.js';

// The playground's server
export { defaultModelResolver, startPlayground, staticModelResolver, type ModelResolver, type PlaygroundOptions, type RunningPlayground } from './playground/index.js';
