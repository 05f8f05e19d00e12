/**
 * The generation loop the adapters share with `knobs generate --model ...`: the one decode
 * loop (`decode` of src/models/decode.ts), with stop strings and cancellation on top.
 */
import { decode } from '../models/decode.js';
import type { LanguageModel } from '../models/languageModel.js';
import { createSampler } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';

/** Options of `decodeWithChain`. */
export interface DecodeOptions {
  readonly seed?: number;
  readonly engine?: string;
  readonly maxTokens?: number;
  /** Strings that end the generation (not included in the text). */
  readonly stop?: readonly string[];
  /** Called with each token and the text it completes (empty while a multi-byte character is unfinished). */
  readonly onToken?: (token: number, text: string) => void;
  readonly signal?: AbortSignal;
}

/** What `decodeWithChain` produced. */
export interface Decoded {
  /** Generated token ids (without the model's stop token; with the one that completed a stop string). */
  readonly tokens: number[];
  /** Their text, cut before the stop string that ended it. */
  readonly text: string;
  /** `stop`: a stop token or string; `length`: `maxTokens` reached. */
  readonly finishReason: 'stop' | 'length';
  /** The stop string that ended it, or null. */
  readonly stopSequence: string | null;
}

/**
 * Generates from `prompt` (token ids) with `chain` on `model`, exactly as `knobs generate`
 * does for the same seed (the same sampler, seed and stop tokens, through the one decode
 * loop `decode`), stopping early at a stop string or when `signal` aborts (then it rejects
 * with the signal's reason).
 *
 * @example
 * const { text, tokens } = await decodeWithChain(model, model.encode('Once upon'), 'top_p=0.9', { seed: 1, maxTokens: 20, stop: ['\n'] });
 */
export async function decodeWithChain(model: LanguageModel, prompt: readonly number[], chain: ChainSpec | string, options: DecodeOptions = {}): Promise<Decoded> {
  const stops = (options.stop ?? []).filter((stop) => stop.length > 0);
  const longestStop = Math.max(0, ...stops.map((stop) => stop.length - 1));
  options.signal?.throwIfAborted();
  const sampler = createSampler(chain, { seed: options.seed ?? 0, engine: options.engine ?? 'knobs', prompt });
  const taken: number[] = [];
  let text = '';
  let stopSequence: string | null = null;
  const result = await decode(model, prompt, sampler, {
    maxTokens: options.maxTokens ?? 40,
    ...(options.signal ? { signal: options.signal } : {}),
    onToken: (step) => {
      taken.push(step.token);
      let whole = model.decode(taken);
      if (whole.endsWith('\uFFFD')) whole = text; // wait for the rest of the character
      const piece = whole.slice(text.length);
      const searchFrom = Math.max(0, text.length - longestStop);
      text = whole;
      options.onToken?.(step.token, piece);
      let earliest = -1;
      for (const stop of stops) {
        const at = text.indexOf(stop, searchFrom);
        if (at >= 0 && (earliest < 0 || at < earliest)) {
          earliest = at;
          stopSequence = stop;
        }
      }
      if (earliest < 0) return undefined;
      text = text.slice(0, earliest);
      return 'halt';
    },
  });
  if (result.finishReason === 'aborted') options.signal?.throwIfAborted();
  if (stopSequence !== null) return { tokens: result.tokens, text, finishReason: 'stop', stopSequence };
  return { tokens: result.tokens, text: model.decode(result.tokens), finishReason: result.finishReason === 'stop' ? 'stop' : 'length', stopSequence: null };
}
