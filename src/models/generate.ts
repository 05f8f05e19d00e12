import { InvalidParameterError } from '../core/errors.js';
import { createSampler } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { decode, type DecodeStep } from './decode.js';
import type { LanguageModel } from './languageModel.js';

/** Options of `generate`. */
export interface GenerateOptions {
  /** Seed of completion 0; completion i uses seed + i (default 0). */
  seed?: number;
  /** Engine profile of the chain (default `'knobs'`). */
  engine?: string;
  /** Tokens per completion at most (default 40). */
  maxTokens?: number;
  /** Number of completions (default 1). */
  n?: number;
  /** Stop at the model's stop tokens (default true). */
  stopAtStopTokens?: boolean;
  /** Called with each new piece of text as soon as it is complete UTF-8. */
  onToken?: (event: TokenEvent) => void;
  /** Called when each completion is finished. */
  onCompletion?: (completion: Completion) => void;
}

/** One generated token, as `onToken` sees it. */
export interface TokenEvent {
  /** Which completion (0-based). */
  readonly completion: number;
  readonly token: number;
  /** Position of the token in its completion (0-based). */
  readonly index: number;
  /** The text this token completes (may be empty while a multi-byte character is unfinished). */
  readonly text: string;
}

/** One completion. */
export interface Completion {
  readonly index: number;
  readonly seed: number;
  /** Generated token ids (without the stop token). */
  readonly tokens: number[];
  readonly text: string;
  /** `stop`: the model produced a stop token; `length`: maxTokens reached. */
  readonly finishReason: 'stop' | 'length';
}

/**
 * Generates completions of a prompt token by token with `decode`: at each step the model's
 * next-token logits go through the chain (`createSampler`) and one token is drawn, accepted
 * into the chain's history and appended to the context, until a stop token (which is not
 * part of the completion) or `maxTokens`. The prompt's tokens are the chain's `prompt`
 * (for penalties). Completion i is seeded with `seed + i`, so the same seed gives the same
 * text, and temperature 0 (or `greedy`) always takes the most likely token.
 *
 * @example
 * const [completion] = await generate(model, 'The weather today is', [{ temperature: 0.8 }], { seed: 1, maxTokens: 20 });
 * completion.text; // ' ...'
 */
export async function generate(model: LanguageModel, prompt: string | readonly number[], chain: ChainSpec | string, options: GenerateOptions = {}): Promise<Completion[]> {
  const seed = options.seed ?? 0;
  const maxTokens = options.maxTokens ?? 40;
  const n = options.n ?? 1;
  if (!Number.isInteger(maxTokens) || maxTokens < 0) throw new InvalidParameterError('maxTokens', maxTokens, 'an integer >= 0');
  if (!Number.isInteger(n) || n < 1) throw new InvalidParameterError('n', n, 'an integer >= 1');
  if (!Number.isInteger(seed) || seed < 0 || seed + n - 1 > Number.MAX_SAFE_INTEGER) {
    throw new InvalidParameterError('seed', seed, `an integer in [0, ${Number.MAX_SAFE_INTEGER - n + 1}]`);
  }
  const promptTokens = typeof prompt === 'string' ? model.encode(prompt) : [...prompt];
  const stop = options.stopAtStopTokens === false ? [] : model.stopTokens;
  const completions: Completion[] = [];
  for (let index = 0; index < n; index++) {
    const sampler = createSampler(chain, { seed: seed + index, engine: options.engine ?? 'knobs', prompt: promptTokens });
    const onToken = options.onToken;
    const sofar: number[] = [];
    let emitted = '';
    const result = await decode(model, promptTokens, sampler, {
      maxTokens,
      stop,
      ...(onToken
        ? {
            onToken: (step: DecodeStep) => {
              sofar.push(step.token);
              let text = model.decode(sofar);
              if (text.endsWith('\uFFFD')) text = emitted; // wait for the rest of the character
              onToken({ completion: index, token: step.token, index: step.index, text: text.slice(emitted.length) });
              emitted = text;
            },
          }
        : {}),
    });
    const tokens = result.tokens;
    const text = model.decode(tokens);
    if (text.length > emitted.length && onToken && tokens.length > 0) {
      onToken({ completion: index, token: tokens[tokens.length - 1] as number, index: tokens.length - 1, text: text.slice(emitted.length) });
    }
    const completion: Completion = { index, seed: seed + index, tokens, text, finishReason: result.finishReason === 'stop' ? 'stop' : 'length' };
    options.onCompletion?.(completion);
    completions.push(completion);
  }
  return completions;
}
