import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import type { EngineName, PenaltyRule } from './profiles.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { scratchInt32 } from './selection.js';

/** Parameters of the penalties stage. */
export interface PenaltyOptions {
  readonly repeat: number;
  readonly frequency: number;
  readonly presence: number;
  /** Window: the last `last_n` tokens of prompt + generated; -1 every token, 0 disables. */
  readonly lastN: number;
}

/**
 * Repetition penalties on tokens already seen, in one stage (llama.cpp's
 * `llama_sampler_penalties`).
 * - `repeat` (multiplicative, Keskar et al. 2019, CTRL): a seen token's logit is divided by
 *   `repeat` when positive and multiplied by it when negative or zero — the sign rule that
 *   makes `repeat > 1` always lower the token (CTRL only divided). Applied once per token,
 *   however often it occurred. 1 is neutral.
 * - `frequency` and `presence` (additive, OpenAI's definition): `logit −= count·frequency +
 *   [count > 0]·presence`. 0 is neutral; negative values encourage repetition.
 * Which tokens count differs by engine (`rule`, `EngineProfile.penalties`):
 * - knobs: the last `last_n` tokens of prompt + generated (`-1`, the default: all of them).
 * - llama.cpp: the same window, default last_n 64; the server accepts the prompt tokens into
 *   the sampler, so they count; float32 arithmetic.
 * - transformers (`RepetitionPenaltyLogitsProcessor`): `repeat` only, over every prompt and
 *   generated token (no window; `logit < 0` multiplies).
 * - vLLM (`apply_penalties`): `repeat` over prompt + generated, `frequency` and `presence`
 *   over generated tokens only, both in [-2, 2]; no window (`logit > 0` divides).
 * Token ids outside the vocabulary never match a candidate and are ignored.
 *
 * @example
 * // llama.cpp's test: history [0], repeat 50 on five equal tokens → token 0 nearly removed
 * createSampler([{ penalties: { repeat: 50, last_n: 1 } }], { history: [0] }).distribution(new Float32Array(5).fill(Math.log(0.2)));
 */
export function penaltiesSampler(options: PenaltyOptions, rule: PenaltyRule, engine: EngineName | string = 'knobs'): Sampler {
  const { repeat, frequency, presence, lastN } = options;
  if (typeof repeat !== 'number' || !Number.isFinite(repeat) || repeat <= 0) {
    throw new InvalidParameterError('penalties.repeat', repeat, 'a finite number > 0 (1 = off)');
  }
  checkAdditive('penalties.frequency', frequency, rule, engine);
  checkAdditive('penalties.presence', presence, rule, engine);
  if (typeof lastN !== 'number' || !Number.isInteger(lastN) || lastN < -1) {
    throw new InvalidParameterError('penalties.last_n', lastN, 'an integer >= -1 (-1 = every token, 0 = off)');
  }
  if (!rule.window && lastN !== -1) {
    throw new InvalidParameterError('penalties.last_n', lastN, `-1 under ${engine}, which counts every prompt and generated token (no window)`);
  }
  const round = rule.float32 ? Math.fround : (x: number): number => x;
  const divide = engine === 'vllm' ? Math.fround(1 / Math.fround(repeat)) : 0;
  let seen: Int32Array | undefined;
  let generatedCounts: Int32Array | undefined;
  let touched: Int32Array | undefined;
  return {
    name: 'penalties',
    apply(candidates: Candidates, context: SamplerContext): void {
      if (lastN === 0 || (repeat === 1 && frequency === 0 && presence === 0)) return;
      const vocab = candidates.vocabSize;
      seen = scratchInt32(seen, vocab);
      generatedCounts = scratchInt32(generatedCounts, vocab);
      const { prompt, generated } = context;
      const total = prompt.length + generated.length;
      touched = scratchInt32(touched, total);
      // Count the window (prompt + generated); vLLM's additive penalties count generated only.
      let distinct = 0;
      for (let i = lastN < 0 ? 0 : Math.max(0, total - lastN); i < total; i++) {
        const token = (i < prompt.length ? prompt[i] : generated[i - prompt.length]) as number;
        if (token >= vocab) continue;
        if ((seen[token] as number) === 0) touched[distinct++] = token;
        seen[token] = (seen[token] as number) + 1;
      }
      const generatedOnly = rule.additiveCounts === 'generated';
      if (generatedOnly) {
        for (let i = 0; i < generated.length; i++) {
          const token = generated[i] as number;
          if (token < vocab) generatedCounts[token] = (generatedCounts[token] as number) + 1;
        }
      }
      const logits = candidates.logits;
      for (let j = 0; j < distinct; j++) {
        const token = touched[j] as number;
        const count = generatedOnly ? (generatedCounts[token] as number) : (seen[token] as number);
        let logit = logits[token] as number;
        if (engine === 'vllm') logit = logit > 0 ? round(logit * divide) : round(logit * repeat);
        else if (engine === 'hf') logit = logit < 0 ? round(logit * repeat) : round(logit / repeat);
        else logit = logit <= 0 ? round(logit * repeat) : round(logit / repeat);
        if (engine === 'vllm') {
          logit = round(logit - round(frequency * count));
          if (count > 0) logit = round(logit - presence);
        } else if (count > 0) {
          logit = round(logit - round(round(count * frequency) + presence));
        }
        logits[token] = logit;
        seen[token] = 0;
        generatedCounts[token] = 0;
      }
      if (candidates.order === 'descending') candidates.order = 'any';
    },
  };
}

function checkAdditive(parameter: string, value: unknown, rule: PenaltyRule, engine: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(parameter, value, 'a finite number (0 = off)');
  if (rule.additiveCounts === 'none' && value !== 0) {
    throw new InvalidParameterError(parameter, value, `0 under ${engine}, which has only the multiplicative repetition penalty`);
  }
  const range = rule.additiveRange;
  if (range && (value < range[0] || value > range[1])) {
    throw new InvalidParameterError(parameter, value, `a number in [${range[0]}, ${range[1]}] under ${engine}`);
  }
}
