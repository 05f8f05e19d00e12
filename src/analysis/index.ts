/**
 * `creativity-knobs/analysis`: statistics and diversity metrics over distributions and texts:
 * chi-square, nucleus size, many-draw counts, distinct-n, BLEU and self-BLEU, repetition,
 * Zipf coefficient, pairwise similarity, perplexity of continuations.
 *
 * @example
 * import { chiSquareTest } from 'creativity-knobs/analysis';
 * chiSquareTest([48, 52], [0.5, 0.5]).pValue; // ≈ 0.69
 *
 * @module creativity-knobs/analysis
 */
export { chiSquareTest, type ChiSquareResult } from './chiSquare.js';
export { distributionReport, type DistributionReport } from './distributionReport.js';
export { nucleusSize } from './nucleusSize.js';
export { sampleCounts, type SampleCounts } from './sampleCounts.js';
export { gammaQ, logGamma } from './gamma.js';
export { textTokens, internSequences, type TokenSequence } from './metrics/tokenSequences.js';
export { distinctN } from './metrics/distinctN.js';
export { sentenceBleu, bleuFromStatistics, closestLength, type BleuOptions, type BleuStatistics } from './metrics/bleu.js';
export { selfBleu } from './metrics/selfBleu.js';
export { endRepetition, repetitionRate, type EndRepetition, type RepetitionOptions } from './metrics/repetitionRate.js';
export { zipfCoefficient, type ZipfOptions } from './metrics/zipfCoefficient.js';
export { pairwiseSimilarity, type PairwiseSimilarityOptions } from './metrics/pairwiseSimilarity.js';
export { corpusPerplexity } from './metrics/corpusPerplexity.js';
export { continuationLogprobs } from './metrics/continuationLogprobs.js';
