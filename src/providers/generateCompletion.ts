import { randomInt } from 'node:crypto';
import { logSumExp } from '../kernel/logSumExp.js';
import { checkInteger } from '../core/validate.js';
import { decode } from '../models/decode.js';
import type { LanguageModel } from '../models/languageModel.js';
import { createSampler, type KnobsSampler } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { ProviderError } from './errors.js';
import type { TokenInfo, TopLogprob } from './types.js';

/** Options of `generate`. */
export interface GenerateCompletionOptions {
  /** The sampling chain (DESIGN.md); empty means plain sampling at temperature 1. */
  readonly chain?: ChainSpec | string;
  /** Engine profile of the chain (default `knobs`). */
  readonly engine?: string;
  /** Seed of the chain's generator: the same seed gives the same tokens. */
  readonly seed: number;
  readonly maxTokens: number;
  /** Caller's stop strings: the completion ends before the first one. */
  readonly stop?: readonly string[];
  /** Strings that end the turn (a chat template's next-turn marker), left out of the text like stops. */
  readonly endOfTurn?: readonly string[];
  /** Number of top alternatives per token (0–20); absent: no log-probabilities. */
  readonly topLogprobs?: number;
  /**
   * `raw` (default): log-probabilities of the model's own distribution for the context
   * (log-softmax of `nextLogits`), before any sampler. `processed`: of the final
   * distribution the chain draws from (0-probability tokens never appear as alternatives).
   */
  readonly logprobsMode?: 'raw' | 'processed';
  readonly signal?: AbortSignal;
  /** Streaming: called with each new piece of text that can no longer change. */
  readonly onDelta?: (delta: GenerationDelta) => void;
}

/** A piece of streamed output: text that is final, and the tokens generated since the last piece. */
export interface GenerationDelta {
  readonly text: string;
  readonly tokens: readonly TokenInfo[];
}

/** One finished completion of the local model. */
export interface Generation {
  readonly text: string;
  /** Generated tokens up to the stop (with `logprob: null` unless log-probabilities were asked for). */
  readonly tokens: readonly TokenInfo[];
  readonly tokenIds: readonly number[];
  readonly finishReason: 'stop' | 'length';
  /** The caller's stop string that ended the completion, if one did. */
  readonly stopSequence: string | null;
  /** Whether the model ended its turn (a stop token or an end-of-turn string). */
  readonly endOfTurn: boolean;
  readonly promptTokens: number;
  /** Tokens the model generated, including any cut off by a stop string (as engines count them), never a stop token. */
  readonly completionTokens: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Generates one completion from a language model through a sampling chain, for servers
 * and providers: a thin layer over `decode` (a fresh `createSampler(chain, { seed, engine,
 * prompt })`, so the same tokens as `generate` for the same chain and seed) that adds stop
 * strings, log-probabilities, streaming and cancellation. A stop token ends the completion
 * and is not counted (`decode`'s rule); a stop string ends it too, and the text is cut
 * before it. Stop strings are found even when they span tokens; streamed text holds back
 * any tail that could still become a stop string or is an incomplete UTF-8 character, so
 * streamed deltas always add up to the final text. Yields to the event loop after every
 * token, so concurrent generations interleave.
 *
 * @example
 * const result = await generateCompletion(model, model.encode('The robot'), { chain: 'top_p=0.9,temperature=0.8', seed: 1, maxTokens: 20 });
 * result.text; // the same text for the same seed, every time
 */
export async function generateCompletion(model: LanguageModel, prompt: readonly number[], options: GenerateCompletionOptions): Promise<Generation> {
  const maxTokens = checkInteger('max_tokens', options.maxTokens, 0);
  const topLogprobs = options.topLogprobs === undefined ? undefined : checkInteger('top_logprobs', options.topLogprobs, 0, 20);
  const chain = options.chain ?? [];
  // The model's stop tokens are its EOS ids: min_tokens masks them, transformers' bad words skip [eos].
  const samplerOptions = { seed: options.seed, engine: options.engine ?? 'knobs', prompt, eos: model.stopTokens };
  const sampler = createSampler(chain, samplerOptions);
  const processed: KnobsSampler | undefined = topLogprobs !== undefined && options.logprobsMode === 'processed' ? createSampler(chain, samplerOptions) : undefined;
  const stops = options.stop ?? [];
  const endOfTurn = options.endOfTurn ?? [];
  const allStops = [...stops, ...endOfTurn].filter((stop) => stop.length > 0);
  const maxStopLength = allStops.reduce((longest, stop) => Math.max(longest, stop.length), 0);
  const ids: number[] = [];
  const tokens: TokenInfo[] = [];
  const starts: number[] = []; // text length before each token
  let probabilities: Float32Array | undefined;
  let text = '';
  let emittedChars = 0;
  let emittedTokens = 0;
  let stopSequence: string | null = null;
  let endOfTurnString = false;
  let cut = -1;

  const result = await decode(model, prompt, sampler, {
    maxTokens,
    ...(options.signal ? { signal: options.signal } : {}),
    onToken: async ({ token: id, logits }) => {
      let info: TokenInfo;
      if (topLogprobs === undefined) {
        info = { token: model.tokenText(id), id, logprob: null };
      } else if (processed) {
        probabilities = processed.distribution(logits, probabilities);
        processed.accept(id);
        info = tokenInfo(model, id, Math.log(probabilities[id] as number), topAlternatives(model, probabilities, topLogprobs, 0, Math.log));
      } else {
        const shift = logSumExp(logits);
        info = tokenInfo(model, id, (logits[id] as number) - shift, topAlternatives(model, logits, topLogprobs, -Infinity, (l) => l - shift));
      }
      starts.push(text.length);
      ids.push(id);
      tokens.push(info);
      text = model.decode(ids);
      if (maxStopLength > 0) {
        const match = findFirstStop(text, allStops, Math.max(0, emittedChars - maxStopLength));
        if (match) {
          cut = match.index;
          if (stops.includes(match.stop)) stopSequence = match.stop;
          else endOfTurnString = true;
          return 'halt';
        }
      }
      if (options.onDelta) {
        const safe = text.length - heldBack(text, allStops);
        if (safe > emittedChars) {
          options.onDelta({ text: text.slice(emittedChars, safe), tokens: tokens.slice(emittedTokens) });
          emittedChars = safe;
          emittedTokens = tokens.length;
        }
      }
      await yieldToEventLoop();
    },
  });
  if (result.finishReason === 'aborted') throw new ProviderError('generation aborted by the caller', 'local', 'aborted');
  let kept = tokens.length;
  if (cut >= 0) {
    text = text.slice(0, cut);
    kept = starts.findIndex((start) => start >= cut);
    if (kept < 0) kept = tokens.length;
  }
  const keptTokens = tokens.slice(0, kept);
  if (options.onDelta && (text.length > emittedChars || keptTokens.length > emittedTokens)) {
    options.onDelta({ text: text.slice(emittedChars), tokens: keptTokens.slice(emittedTokens) });
  }
  return {
    text,
    tokens: keptTokens,
    tokenIds: ids.slice(0, kept),
    finishReason: result.finishReason === 'length' ? 'length' : 'stop',
    stopSequence,
    endOfTurn: result.finishReason === 'stop' || endOfTurnString,
    promptTokens: prompt.length,
    completionTokens: ids.length,
  };
}

function tokenInfo(model: LanguageModel, id: number, logprob: number, top: TopLogprob[]): TokenInfo {
  return { token: model.tokenText(id), id, logprob, bytes: [...Buffer.from(model.decode([id]), 'utf8')], top };
}

/** The `k` largest scores above `floor` (ties by lower id), as alternatives with `toLogprob(score)`. */
function topAlternatives(model: LanguageModel, scores: Float32Array, k: number, floor: number, toLogprob: (score: number) => number): TopLogprob[] {
  if (k === 0) return [];
  const bestIds: number[] = [];
  const bestScores: number[] = [];
  for (let id = 0; id < scores.length; id++) {
    const score = scores[id] as number;
    if (!(score > floor)) continue;
    if (bestIds.length === k && score <= (bestScores[k - 1] as number)) continue;
    let position = bestIds.length;
    while (position > 0 && score > (bestScores[position - 1] as number)) position--;
    bestIds.splice(position, 0, id);
    bestScores.splice(position, 0, score);
    if (bestIds.length > k) {
      bestIds.pop();
      bestScores.pop();
    }
  }
  return bestIds.map((id, index) => ({ token: model.tokenText(id), id, logprob: toLogprob(bestScores[index] as number) }));
}

function findFirstStop(text: string, stops: readonly string[], from: number): { index: number; stop: string } | undefined {
  let best: { index: number; stop: string } | undefined;
  for (const stop of stops) {
    const index = text.indexOf(stop, from);
    if (index >= 0 && (best === undefined || index < best.index)) best = { index, stop };
  }
  return best;
}

/** Characters at the end of `text` to hold back: an incomplete UTF-8 character, or a tail that may grow into a stop string. */
function heldBack(text: string, stops: readonly string[]): number {
  let hold = 0;
  while (hold < text.length && text.charCodeAt(text.length - 1 - hold) === 0xfffd) hold++;
  const visible = text.slice(0, text.length - hold);
  let partial = 0;
  for (const stop of stops) {
    for (let length = Math.min(stop.length - 1, visible.length); length > partial; length--) {
      if (visible.endsWith(stop.slice(0, length))) {
        partial = length;
        break;
      }
    }
  }
  return hold + partial;
}

/**
 * A fresh seed for requests that give none: an integer in [0, 2^31). The result reports it, so the run can be repeated.
 *
 * @example
 * const seed = randomSeed(); // e.g. 1736151394
 */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}
