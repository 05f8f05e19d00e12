/**
 * The generation loop the adapters share with `knobs generate --model ...`: `generate` of
 * src/models/generate.ts, behind the one function below, with stop strings and
 * cancellation added on top. (When the models layer gains a `decode(model, context, sampler,
 * options)` that stops on strings and signals itself, this function becomes a call to it.)
 */
import { KnobsError } from '../core/errors.js';
import { generate } from '../models/generate.js';
import type { LanguageModel } from '../models/languageModel.js';
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

/** Thrown from inside the loop to end it early; never seen outside. */
class EndDecoding extends KnobsError {}

/**
 * Generates from `prompt` (token ids) with `chain` on `model`, exactly as `knobs generate`
 * does for the same seed (same sampler, seed, stop tokens), stopping early at a stop string
 * or when `signal` aborts (then it rejects with the signal's reason).
 *
 * @example
 * const { text, tokens } = await decodeWithChain(model, model.encode('Once upon'), 'top_p=0.9', { seed: 1, maxTokens: 20, stop: ['\n'] });
 */
export async function decodeWithChain(model: LanguageModel, prompt: readonly number[], chain: ChainSpec | string, options: DecodeOptions = {}): Promise<Decoded> {
  const stops = (options.stop ?? []).filter((stop) => stop.length > 0);
  const tokens: number[] = [];
  let text = '';
  let stopSequence: string | null = null;
  options.signal?.throwIfAborted();
  try {
    const [completion] = await generate(model, prompt, chain, {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.engine === undefined ? {} : { engine: options.engine }),
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      onToken: (event) => {
        options.signal?.throwIfAborted();
        tokens.push(event.token);
        const searchFrom = Math.max(0, text.length - Math.max(0, ...stops.map((stop) => stop.length - 1)));
        text += event.text;
        options.onToken?.(event.token, event.text);
        let earliest = -1;
        for (const stop of stops) {
          const at = text.indexOf(stop, searchFrom);
          if (at >= 0 && (earliest < 0 || at < earliest)) {
            earliest = at;
            stopSequence = stop;
          }
        }
        if (earliest >= 0) {
          text = text.slice(0, earliest);
          throw new EndDecoding('stop string');
        }
      },
    });
    if (!completion) throw new KnobsError('generate returned no completion');
    return { tokens: completion.tokens, text: completion.text, finishReason: completion.finishReason, stopSequence: null };
  } catch (error) {
    if (error instanceof EndDecoding) return { tokens, text, finishReason: 'stop', stopSequence };
    throw error;
  }
}
