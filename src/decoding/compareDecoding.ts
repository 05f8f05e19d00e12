import { continuationLogprobs } from '../analysis/metrics/continuationLogprobs.js';
import { corpusPerplexity } from '../analysis/metrics/corpusPerplexity.js';
import { distinctN } from '../analysis/metrics/distinctN.js';
import { repetitionRate } from '../analysis/metrics/repetitionRate.js';
import { selfBleu } from '../analysis/metrics/selfBleu.js';
import { zipfCoefficient } from '../analysis/metrics/zipfCoefficient.js';
import { InvalidInputError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { LanguageModel } from '../models/languageModel.js';
import { samplerDefinitions } from '../samplers/registry.js';
import { beamSearch } from './beamSearch.js';
import { HOLTZMAN_TABLE_1, type PaperRow } from './holtzmanTable1.js';
import { sampleContinuation, type Continuation } from './sampleContinuation.js';
import { DECODING_STRATEGIES, HUMAN_ROW, type DecodingStrategy, type StrategyFamily } from './strategies.js';

/** One prompt of the comparison, with the human continuation when there is one. */
export interface DecodingPrompt {
  readonly prompt: readonly number[];
  /** What the human wrote next (the reference row); at most `maxTokens` of it are used. */
  readonly reference?: readonly number[];
  /** Where the prompt came from (e.g. a Brown document id). */
  readonly source?: string;
}

/** The metrics of one row (one strategy, or the human reference). */
export interface DecodingMetrics {
  /** Perplexity of the generated tokens under the model, pooled over tokens (`corpusPerplexity`). */
  readonly perplexity: number;
  /** Self-BLEU-4 of the generations (`selfBleu`, on token ids). */
  readonly selfBleu4: number;
  /** Zipf coefficient of all generated tokens (`zipfCoefficient`, on token ids). */
  readonly zipf: number;
  /**
   * Share of generations that end in a loop, in [0, 1]: `repetitionRate` with the rule of
   * Holtzman et al.'s released script, which produced Table 1 (a phrase of ≥ 3 tokens
   * twice at the end, or any phrase more than 50 times). Its two copies detect the long
   * loops of n-gram models within short generations, where three copies may not fit.
   */
  readonly repetition: number;
  /** The same under the rule the paper states (a phrase of ≥ 2 tokens ≥ 3 times at the end). */
  readonly repetitionStated: number;
  /** distinct-1 and distinct-2 (`distinctN`, on token ids). */
  readonly distinct1: number;
  readonly distinct2: number;
  /** Mean number of generated tokens. */
  readonly meanLength: number;
}

/** One row of the comparison. */
export interface DecodingRow {
  readonly name: string;
  readonly label: string;
  readonly family: StrategyFamily;
  /** `'pending'`: the strategy needs a sampler that is not registered yet (see `note`). */
  readonly status: 'done' | 'pending';
  readonly note?: string;
  readonly metrics?: DecodingMetrics;
  /** Holtzman et al.'s Table 1 row for the same strategy, if the paper has one. */
  readonly paper?: PaperRow;
  /** One generation per prompt, in prompt order (a stop token that ended one is not among its tokens). */
  readonly generations?: readonly Continuation[];
  readonly modelCalls: number;
  readonly seconds: number;
}

/** Options of `compareDecoding`. */
export interface CompareDecodingOptions {
  /** Tokens generated per prompt (and length of the human reference). */
  maxTokens: number;
  /** Prompt i is decoded with seed `seed + i` by every stochastic strategy (default 0). */
  seed?: number;
  /** Strategies to run (default `DECODING_STRATEGIES`). */
  strategies?: readonly DecodingStrategy[];
  /** Engine profile of the sampler chains (default `'knobs'`). */
  engine?: string;
  /** Called after each prompt of each row. */
  onProgress?: (progress: { row: string; prompt: number; prompts: number }) => void;
}

/** What `compareDecoding` returns. */
export interface DecodingComparison {
  readonly model: string;
  readonly prompts: number;
  readonly maxTokens: number;
  readonly seed: number;
  /** The human reference first (when the prompts have references), then the strategies in order. */
  readonly rows: readonly DecodingRow[];
  readonly seconds: number;
}

/**
 * Holtzman et al.'s (2020) decoding comparison on any `LanguageModel`: every strategy
 * continues every prompt (with the same seeds: prompt i uses `seed + i`), and each row
 * gets the metrics of Table 1 — perplexity of the generations under the model itself,
 * self-BLEU-4, Zipf coefficient, repetition (see `DecodingMetrics.repetition` for the
 * rule) — plus distinct-1/2. The human reference row
 * scores the prompts' references the same way. Metrics are on the model's token ids; a
 * stop token ends a generation and is not part of it (`decode`'s rule: not counted in
 * lengths, not scored in perplexity), in every row. Beam rows use the best hypothesis of
 * `beamSearch({ width, maxTokens })` with transformers' defaults (length penalty 1, early
 * stopping false). A sampler that is not registered makes its row `'pending'` instead of
 * failing the run.
 *
 * @example
 * const result = await compareDecoding(model, prompts, { maxTokens: 60, seed: 0 });
 * result.rows.map((row) => [row.label, row.metrics?.perplexity]);
 */
export async function compareDecoding(model: LanguageModel, prompts: readonly DecodingPrompt[], options: CompareDecodingOptions): Promise<DecodingComparison> {
  const maxTokens = checkInteger('maxTokens', options.maxTokens, 1);
  const seed = checkInteger('seed', options.seed ?? 0, 0);
  if (prompts.length === 0) throw new InvalidInputError('compareDecoding needs at least one prompt');
  const started = performance.now();
  const rows: DecodingRow[] = [];
  const stop = new Set(model.stopTokens);

  const references = prompts.map((prompt) => prompt.reference?.slice(0, maxTokens));
  if (references.every((reference) => reference !== undefined && reference.length > 0)) {
    const rowStarted = performance.now();
    const generations: Continuation[] = [];
    for (const [index, prompt] of prompts.entries()) {
      const reference = references[index] as number[];
      const end = reference.findIndex((token) => stop.has(token));
      const tokens = end < 0 ? reference : reference.slice(0, end);
      const logprobs = Array.from(await continuationLogprobs(model, prompt.prompt, tokens));
      generations.push({ tokens, logprobs, stopped: end >= 0 });
      options.onProgress?.({ row: HUMAN_ROW, prompt: index + 1, prompts: prompts.length });
    }
    rows.push(finishRow({ name: HUMAN_ROW, label: 'Human', family: 'human' }, generations, generations.reduce((sum, g) => sum + g.tokens.length, 0), rowStarted));
  }

  const registered = new Set(samplerDefinitions().map((definition) => definition.name));
  for (const strategy of options.strategies ?? DECODING_STRATEGIES) {
    const rowStarted = performance.now();
    if (strategy.kind === 'sampler') {
      const missing = strategy.chain.flatMap((stage) => Object.keys(stage)).filter((name) => !registered.has(name));
      if (missing.length > 0) {
        rows.push({ ...describe(strategy), status: 'pending', note: `sampler ${missing.join(', ')} is not registered yet`, modelCalls: 0, seconds: 0 });
        continue;
      }
    }
    const generations: Continuation[] = [];
    let modelCalls = 0;
    for (const [index, prompt] of prompts.entries()) {
      if (strategy.kind === 'sampler') {
        const continuation = await sampleContinuation(model, prompt.prompt, strategy.chain, { maxTokens, seed: seed + index, engine: options.engine ?? 'knobs' });
        generations.push(continuation);
        modelCalls += continuation.tokens.length + (continuation.stopped ? 1 : 0); // the step that drew the stop token called the model too
      } else {
        const result = await beamSearch(model, prompt.prompt, { width: strategy.width, maxTokens, stochastic: strategy.stochastic ?? false, seed: seed + index });
        const best = result.hypotheses[0];
        // A hypothesis keeps its stop token (its score ranks beams, as in transformers); the row does not.
        const kept = best ? (best.stopped ? best.tokens.length - 1 : best.tokens.length) : 0;
        generations.push(best ? { tokens: best.tokens.slice(0, kept), logprobs: best.logprobs.slice(0, kept), stopped: best.stopped } : { tokens: [], logprobs: [], stopped: false });
        modelCalls += result.modelCalls;
      }
      options.onProgress?.({ row: strategy.name, prompt: index + 1, prompts: prompts.length });
    }
    rows.push(finishRow(describe(strategy), generations, modelCalls, rowStarted));
  }
  return { model: model.id, prompts: prompts.length, maxTokens, seed, rows, seconds: (performance.now() - started) / 1000 };
}

function describe(strategy: { name: string; label: string; family: StrategyFamily }): Pick<DecodingRow, 'name' | 'label' | 'family' | 'paper'> {
  const paper = HOLTZMAN_TABLE_1[strategy.name];
  return { name: strategy.name, label: strategy.label, family: strategy.family, ...(paper ? { paper } : {}) };
}

function finishRow(
  strategy: { name: string; label: string; family: StrategyFamily },
  generations: Continuation[],
  modelCalls: number,
  started: number,
): DecodingRow {
  return {
    ...describe(strategy),
    status: 'done',
    metrics: decodingMetrics(generations),
    generations,
    modelCalls,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The metrics of one set of generations (see `DecodingMetrics`), each on its tokens and
 * their log-probabilities (a generation holds no stop token: see `decode`).
 *
 * @example
 * decodingMetrics([{ tokens: [1, 2], logprobs: [Math.log(0.5), Math.log(0.2)], stopped: true }]).perplexity; // 1 / sqrt(0.1) ≈ 3.16
 */
export function decodingMetrics(generations: readonly Continuation[]): DecodingMetrics {
  const texts = generations.map((generation) => [...generation.tokens]);
  return {
    perplexity: corpusPerplexity(generations.map((generation) => generation.logprobs)),
    selfBleu4: selfBleu(texts),
    zipf: zipfCoefficient(texts),
    repetition: repetitionRate(texts, { rule: 'released' }),
    repetitionStated: repetitionRate(texts, { rule: 'stated' }),
    distinct1: distinctN(texts, 1),
    distinct2: distinctN(texts, 2),
    meanLength: generations.length === 0 ? NaN : generations.reduce((sum, generation) => sum + generation.tokens.length, 0) / generations.length,
  };
}
