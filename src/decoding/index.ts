/**
 * `creativity-knobs/decoding`: beam search (deterministic and stochastic), ancestral sampling with
 * per-token log-probabilities, and the decoding-strategy comparison of Holtzman et al. (2020).
 *
 * @example
 * import { beamSearch } from 'creativity-knobs/decoding';
 * const result = await beamSearch(model, model.encode('The jury'), { width: 4, maxTokens: 20 });
 *
 * @module creativity-knobs/decoding
 */
export { beamSearch, type BeamHypothesis, type BeamSearchOptions, type BeamSearchResult } from './beamSearch.js';
export { gumbel, log1mexp, shiftGumbel, softplus, truncatedGumbel } from './gumbel.js';
export { topLogprobs, type TopLogprobs } from './topLogprobs.js';
export { sampleContinuation, type Continuation, type SampleContinuationOptions } from './sampleContinuation.js';
export { compareDecoding, decodingMetrics, type CompareDecodingOptions, type DecodingComparison, type DecodingMetrics, type DecodingPrompt, type DecodingRow } from './compareDecoding.js';
export { DECODING_STRATEGIES, HUMAN_ROW, STOCHASTIC_BEAM_STRATEGY, type DecodingStrategy, type StrategyFamily } from './strategies.js';
export { HOLTZMAN_TABLE_1, type PaperRow } from './holtzmanTable1.js';
export { decodingFindings, paperFindings, type DecodingFinding, type FindingRow } from './findings.js';
export { heldOutPrompts, type HeldOutPromptOptions, type PromptDocument } from './heldOutPrompts.js';
export { modelPrompts } from './modelPrompts.js';
