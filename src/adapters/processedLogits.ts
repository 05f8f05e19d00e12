/**
 * What a logits processor hands back to a runtime that draws the token itself
 * (transformers.js, web-llm): either only our drawn token left finite (`pick`), or the
 * chain's distribution as logits (`filter`), which the runtime's own multinomial draw then
 * follows.
 */
import { ChainSpecError } from '../core/errors.js';
import type { KnobsSampler } from '../samplers/chain.js';
import { parseChain, type ChainSpec } from '../samplers/spec.js';

/**
 * `pick`: our seeded sampler draws the token and only that token stays finite, so the
 * runtime's greedy (or any) choice reproduces our draws exactly. `filter`: the chain's
 * logits, for the runtime's own random draw.
 */
export type ProcessorMode = 'pick' | 'filter';

/**
 * Samplers that draw a random number or select the token themselves: in `filter` mode the
 * runtime draws instead, so their result would not be the chain's (XTC's coin, mirostat's
 * and adaptive-p's feedback on the chosen token, skew's own draw).
 */
const SELF_DRAWING = new Set(['xtc', 'mirostat', 'adaptive_p', 'skew']);

/**
 * Checks a mode and, for `filter`, that no stage of the chain draws by itself. Throws
 * `ChainSpecError` naming the stage and the way out (`mode: 'pick'`).
 *
 * @example
 * checkProcessorMode([{ xtc: { threshold: 0.1, probability: 0.5 } }], 'filter'); // throws: xtc draws ...
 */
export function checkProcessorMode(chain: ChainSpec | string, mode: unknown): ProcessorMode {
  if (mode !== 'pick' && mode !== 'filter') throw new ChainSpecError(`mode = ${JSON.stringify(mode)} is invalid: expected "pick" (our sampler draws) or "filter" (the runtime draws from the chain's logits)`);
  if (mode === 'filter') {
    parseChain(chain).forEach((stage, index) => {
      if (SELF_DRAWING.has(stage.name)) {
        throw new ChainSpecError(`chain[${index}] ${stage.name} draws by itself, which mode "filter" cannot hand over to the runtime's draw: use mode "pick" (the default)`);
      }
    });
  }
  return mode;
}

/**
 * `pick`: draws a token with `sampler` from `logits` and writes `out[start .. start + vocab)`
 * as -Infinity everywhere but the drawn token (0). Returns the token. `logits` may be that
 * same row of `out` (it is read before it is written).
 *
 * @example
 * const token = writePick(sampler, row, data, row * vocab, vocab);
 */
export function writePick(sampler: KnobsSampler, logits: ArrayLike<number>, out: Float32Array, start: number, vocab: number): number {
  const token = sampler.sample(logits);
  out.fill(-Infinity, start, start + vocab);
  out[start + token] = 0;
  return token;
}

/**
 * `filter`: writes the chain's final distribution of `logits` as natural-log probabilities
 * into `out[start .. start + vocab)`: -Infinity for every token the chain removed, and for
 * the others logits whose softmax is the chain's distribution (a kept token whose float32
 * probability underflows to 0 also reads -Infinity). `probs` is a working buffer of length
 * `vocab`, distinct from `logits` and `out`.
 *
 * @example
 * writeFilter(sampler, row, probs, data, row * vocab, vocab);
 */
export function writeFilter(sampler: KnobsSampler, logits: ArrayLike<number>, probs: Float32Array, out: Float32Array, start: number, vocab: number): void {
  sampler.distribution(logits, probs);
  for (let i = 0; i < vocab; i++) {
    const p = probs[i] as number;
    out[start + i] = p > 0 ? Math.log(p) : -Infinity;
  }
}
