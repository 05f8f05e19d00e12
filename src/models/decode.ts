import { checkInteger } from '../core/validate.js';
import type { KnobsSampler } from '../samplers/chain.js';
import type { LanguageModel } from './languageModel.js';

/** What `decode` needs of a sampler (`createSampler` gives one). */
export type DecodeSampler = Pick<KnobsSampler, 'sample' | 'accept'>;

/** One generated token, as `onToken` sees it. */
export interface DecodeStep {
  /** The token taken: drawn, not a stop token, accepted by the sampler and appended. */
  readonly token: number;
  /** Its position in the generation (0-based). */
  readonly index: number;
  /**
   * The model's logits the token was drawn from (before the chain reshaped them). The loop
   * reuses this buffer, and this object, for the next token: read them in the callback.
   */
  readonly logits: Float32Array;
}

/**
 * Why a generation ended: `stop`, the sampler drew a stop token; `length`, `maxTokens`
 * tokens; `halted`, `onToken` returned `'halt'`; `aborted`, the signal was aborted.
 */
export type DecodeFinish = 'stop' | 'length' | 'halted' | 'aborted';

/** Options of `decode`. */
export interface DecodeOptions {
  /** Tokens to generate at most (an integer ≥ 0). */
  readonly maxTokens: number;
  /** Token ids that end the generation (default `model.stopTokens`; `[]` never stops early). */
  readonly stop?: readonly number[] | ReadonlySet<number>;
  /**
   * Called after each token is taken, with the step (valid during the call only). Return
   * `'halt'` to end the generation after this token (stop strings, budgets); a promise is
   * awaited first (to yield to the event loop between tokens).
   */
  readonly onToken?: (step: DecodeStep) => void | 'halt' | Promise<void | 'halt'>;
  /** Checked before each model call; once aborted, the generation ends as `aborted`. */
  readonly signal?: AbortSignal;
}

/** What `decode` returns. */
export interface DecodeResult {
  /** The generated token ids, never a stop token. */
  readonly tokens: number[];
  readonly finishReason: DecodeFinish;
}

/**
 * The stop rule of every generation in the package: a stop token ends the generation and
 * is not taken — it is not accepted by the sampler, not part of the text and not counted
 * in token counts or scores. Any other token is accepted (so that penalties and the like
 * see it). Returns whether the token was taken.
 *
 * @example
 * const token = sampler.sample(logits);
 * if (!takeToken(sampler, token, stops)) return; // the model ended its text
 */
export function takeToken(sampler: DecodeSampler, token: number, stops: ReadonlySet<number>): boolean {
  if (stops.has(token)) return false;
  sampler.accept(token);
  return true;
}

/**
 * The decode loop behind every command that generates (`generate`, `sampleContinuation`,
 * `generateCompletion`, hence `knobs generate`, `compare-decoding`, `knobs serve` and the
 * local provider): at each step the model's logits for `context` plus the tokens so far
 * (into one reused buffer), one draw of `sampler` (seeded), then `takeToken`'s stop rule,
 * until a stop token, `maxTokens`, `onToken`'s `'halt'` or the signal. The same model,
 * context, chain and seed give the same tokens wherever the loop runs (it imports nothing
 * of Node, so a browser page can run it too).
 *
 * @example
 * const sampler = createSampler('top_p=0.9,temperature=0.8', { seed: 1, prompt });
 * const { tokens, finishReason } = await decode(model, prompt, sampler, { maxTokens: 40 });
 * model.decode(tokens); // the same text for the same seed, every time
 */
export async function decode(model: LanguageModel, context: readonly number[], sampler: DecodeSampler, options: DecodeOptions): Promise<DecodeResult> {
  const maxTokens = checkInteger('maxTokens', options.maxTokens, 0);
  const given = options.stop ?? model.stopTokens;
  const stops: ReadonlySet<number> = given instanceof Set ? given : new Set(given as readonly number[]);
  const sequence = [...context];
  const tokens: number[] = [];
  const buffer = new Float32Array(model.vocabSize);
  const step: { token: number; index: number; logits: Float32Array } = { token: 0, index: 0, logits: buffer };
  while (tokens.length < maxTokens) {
    if (options.signal?.aborted) return { tokens, finishReason: 'aborted' };
    const result = model.nextLogits(sequence, buffer);
    const logits = result instanceof Promise ? await result : result;
    const token = sampler.sample(logits);
    if (!takeToken(sampler, token, stops)) return { tokens, finishReason: 'stop' };
    tokens.push(token);
    sequence.push(token);
    if (options.onToken) {
      step.token = token;
      step.index = tokens.length - 1;
      step.logits = logits;
      const answer = options.onToken(step);
      if ((answer instanceof Promise ? await answer : answer) === 'halt') return { tokens, finishReason: 'halted' };
    }
  }
  return { tokens, finishReason: 'length' };
}
