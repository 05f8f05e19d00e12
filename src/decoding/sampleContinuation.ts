import { logSumExp } from '../kernel/logSumExp.js';
import { checkInteger } from '../core/validate.js';
import { decode } from '../models/decode.js';
import type { LanguageModel } from '../models/languageModel.js';
import { createSampler } from '../samplers/chain.js';
import type { EngineName } from '../samplers/profiles.js';
import type { ChainSpec } from '../samplers/spec.js';

/** Options of `sampleContinuation`. */
export interface SampleContinuationOptions {
  /** Most tokens to generate (≥ 1). */
  maxTokens: number;
  /** Seed of the chain's generator (default 0). */
  seed?: number;
  /** Engine profile of the chain (default `'knobs'`). */
  engine?: EngineName | string;
  /** Tokens that end the generation (default `model.stopTokens`); a stop token is not part of the continuation. */
  stopTokens?: readonly number[];
}

/** A generated continuation. */
export interface Continuation {
  /** Generated token ids (never the stop token that ended it). */
  readonly tokens: readonly number[];
  /** Natural-log probability of each token under the model itself (before the chain reshaped it). */
  readonly logprobs: readonly number[];
  /** Whether a stop token ended it. */
  readonly stopped: boolean;
}

/**
 * Ancestral generation through a sampler chain with `decode`: for each step, the model's
 * logits for prompt ++ generated-so-far go through `createSampler(chain, { seed, prompt })`,
 * the drawn token is accepted (so penalties see it) and appended, until a stop token (not
 * part of the continuation, not scored) or `maxTokens`. Also records each token's
 * log-probability under the unmodified model, for perplexity. One model call per step,
 * into one reused buffer.
 *
 * @example
 * const { tokens } = await sampleContinuation(model, model.encode('The jury'), [{ top_p: 0.95 }], { maxTokens: 40, seed: 1 });
 */
export async function sampleContinuation(
  model: LanguageModel,
  prompt: readonly number[],
  chain: ChainSpec | string,
  options: SampleContinuationOptions,
): Promise<Continuation> {
  const maxTokens = checkInteger('maxTokens', options.maxTokens, 1);
  const sampler = createSampler(chain, { seed: options.seed ?? 0, engine: options.engine ?? 'knobs', prompt });
  const logprobs: number[] = [];
  const result = await decode(model, prompt, sampler, {
    maxTokens,
    stop: options.stopTokens ?? model.stopTokens,
    onToken: ({ token, logits }) => {
      logprobs.push((logits[token] as number) - logSumExp(logits));
    },
  });
  return { tokens: result.tokens, logprobs, stopped: result.finishReason === 'stop' };
}
