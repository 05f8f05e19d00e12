/**
 * creativity-knobs/web-llm: our sampling chains inside web-llm (`@mlc-ai/web-llm`), whose own
 * sampling is temperature, top-p, penalties and logit bias, with no top-k and no min-p
 * (read from its `lib/index.js`, 0.2.86: `sampleFromRawLogits`). Its hook is a
 * `LogitProcessor` registered with `CreateMLCEngine(modelId, { logitProcessorRegistry })`:
 * web-llm copies the logits to the CPU, calls `processLogits`, copies the result back, applies
 * its logit bias and penalties, and draws with its temperature and top-p; then it calls
 * `processSampledToken` with the token, and `resetState` when the chat is reset. This module
 * imports nothing of web-llm: a processor is a plain object of that shape.
 *
 * @module creativity-knobs/web-llm
 */
import { createSampler, type KnobsSampler } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { checkProcessorMode, writeFilter, writePick, type ProcessorMode } from './processedLogits.js';

export type { ProcessorMode } from './processedLogits.js';

/** web-llm's `LogitProcessor` interface (`@mlc-ai/web-llm`, `lib/types.d.ts`). */
export interface WebLlmLogitProcessor {
  processLogits: (logits: Float32Array) => Float32Array;
  processSampledToken: (token: number) => void;
  resetState: () => void;
}

/** Options of `knobsLogitProcessor`. */
export interface KnobsLogitProcessorOptions {
  /** Seed of our sampler (default 0); `resetState` restarts from it. */
  readonly seed?: number;
  /** Engine profile of the chain (default `'knobs'`). */
  readonly engine?: string;
  /** `'pick'` (default): our sampler draws; `'filter'`: web-llm draws from the chain's logits. */
  readonly mode?: ProcessorMode;
  /**
   * Token ids of the prompt, for penalties that count it: web-llm does not pass the prompt
   * to a logit processor, so without this the chain's history holds only generated tokens.
   */
  readonly prompt?: readonly number[];
}

/** The processor, with its sampler (for `trace`, `generated`, ...). */
export interface KnobsLogitProcessor extends WebLlmLogitProcessor {
  readonly sampler: KnobsSampler;
  readonly mode: ProcessorMode;
}

/**
 * A web-llm `LogitProcessor` that runs a chain (`createSampler`).
 *
 * - `mode: 'pick'` (default): `processLogits` draws the token with our seeded sampler and
 *   returns logits where only that token is finite, so whatever web-llm's temperature, top-p,
 *   penalties or logit bias, its draw is ours.
 * - `mode: 'filter'`: `processLogits` returns the chain's logits (removed tokens -Infinity, the
 *   others the log of the chain's probabilities) for web-llm's own draw: set its
 *   `temperature` and `top_p` to 1 and its penalties off, or they apply on top. Chains with a
 *   stage that draws by itself (XTC, mirostat, adaptive-p, skew) are refused.
 *
 * `processSampledToken` accepts the token web-llm committed into the chain's history;
 * `resetState` (web-llm's `resetChat`) forgets it and restarts the generator from the seed.
 * The array web-llm passes is modified in place and returned.
 *
 * @example
 * import { CreateMLCEngine } from '@mlc-ai/web-llm';
 * import { knobsLogitProcessor } from 'creativity-knobs/web-llm';
 * const id = 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
 * const processor = knobsLogitProcessor([{ top_k: 40 }, { min_p: 0.05 }, { temperature: 0.8 }], { seed: 1 });
 * const engine = await CreateMLCEngine(id, { logitProcessorRegistry: new Map([[id, processor]]) });
 * const reply = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], stream: false });
 */
export function knobsLogitProcessor(chain: ChainSpec | string, options: KnobsLogitProcessorOptions = {}): KnobsLogitProcessor {
  const mode = checkProcessorMode(chain, options.mode ?? 'pick');
  const sampler = createSampler(chain, { seed: options.seed ?? 0, engine: options.engine ?? 'knobs', prompt: options.prompt ?? [] });
  let probs = new Float32Array(0);
  return {
    sampler,
    mode,
    processLogits(logits: Float32Array): Float32Array {
      if (mode === 'pick') {
        writePick(sampler, logits, logits, 0, logits.length);
      } else {
        if (probs.length !== logits.length) probs = new Float32Array(logits.length);
        writeFilter(sampler, logits, probs, logits, 0, logits.length);
      }
      return logits;
    },
    processSampledToken(token: number): void {
      sampler.accept(token);
    },
    resetState(): void {
      sampler.reset();
    },
  };
}
