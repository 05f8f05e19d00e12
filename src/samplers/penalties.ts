import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile, PenaltyRule } from './profiles.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { scratchInt32 } from './selection.js';

/** Parameters of the penalties stage. */
export interface PenaltyOptions {
  readonly repeat: number;
  readonly frequency: number;
  readonly presence: number;
  /** Window: the last `last_n` tokens of prompt + generated; -1 every token, 0 disables. */
  readonly last_n: number;
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
 * Which tokens count, and the arithmetic, differ by engine (`profile.penalties`):
 * - knobs: the last `last_n` tokens of prompt + generated (`-1`, the default: all of them).
 * - llama.cpp: the same window, default last_n 64; the server accepts the prompt tokens into
 *   the sampler, so they count; float32 arithmetic.
 * - transformers (`RepetitionPenaltyLogitsProcessor`): `repeat` only, over every prompt and
 *   generated token (no window; `logit < 0` multiplies).
 * - vLLM (`apply_penalties`): `repeat` over prompt + generated, `frequency` and `presence`
 *   over generated tokens only, both in [-2, 2]; no window (`logit > 0` divides).
 * - SGLang (read, not run): frequency and presence over generated tokens, in [-2, 2];
 *   `repeat` is validated in (0, 2] and then ignored (`profile.ignored`, a warning).
 * - koboldcpp (read, not run): window `rep_pen_range` (default 320) over prompt + generated,
 *   pre-filled with token 0 (`zeroFilledWindow`); presence only (no frequency).
 * - exllamav2 (read, not run): the whole sequence (sustain −1), `repeat`, then presence once and
 *   frequency per occurrence.
 * - node-llama-cpp (run): only the tokens generated in this response count, last 64.
 * - transformers.js (run): `repeat` over the set of prompt + generated ids (`l < 0` multiplies).
 * Token ids outside the vocabulary never match a candidate and are ignored.
 *
 * @example
 * // llama.cpp's test: history [0], repeat 50 on five equal tokens → token 0 nearly removed
 * createSampler([{ penalties: { repeat: 50, last_n: 1 } }], { history: [0] }).distribution(new Float32Array(5).fill(Math.log(0.2)));
 */
export function penaltiesSampler(options: PenaltyOptions, profile: EngineProfile): Sampler {
  const { repeat, frequency, presence, last_n: lastN } = options;
  const rule = profile.penalties;
  const engine = profile.name;
  checkParameter('penalties', REPEAT, repeat, REPEAT.range, '(1 = off)');
  if (rule.repeatMax !== undefined && repeat > rule.repeatMax) throw new InvalidParameterError('penalties.repeat', repeat, `a number in (0, ${rule.repeatMax}] under ${engine}`);
  if (rule.presenceOnly && frequency !== 0) {
    throw new InvalidParameterError('penalties.frequency', frequency, `0 under ${engine}, which has only the presence penalty (its OpenAI layer sends frequency_penalty as presence_penalty)`);
  }
  checkAdditive(FREQUENCY, frequency, rule, engine);
  checkAdditive(PRESENCE, presence, rule, engine);
  checkParameter('penalties', LAST_N, lastN, LAST_N.range, '(-1 = every token, 0 = off)');
  if (!rule.window && lastN !== -1) {
    throw new InvalidParameterError('penalties.last_n', lastN, `-1 under ${engine}, which counts every prompt and generated token (no window)`);
  }
  const round = rule.float32 ? Math.fround : (x: number): number => x;
  const reciprocal = Math.fround(1 / Math.fround(repeat));
  const multiplyAtZero = rule.repeatSign === 'multiply-at-or-below-zero';
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
      touched = scratchInt32(touched, total + 1);
      // Count the window (prompt + generated); vLLM's additive penalties count generated only,
      // node-llama-cpp's every penalty (`repeatCounts: 'generated'`).
      const first = rule.repeatCounts === 'generated' ? prompt.length : 0;
      let distinct = 0;
      for (let i = lastN < 0 ? first : Math.max(first, total - lastN); i < total; i++) {
        const token = (i < prompt.length ? prompt[i] : generated[i - prompt.length]) as number;
        if (token >= vocab) continue;
        if ((seen[token] as number) === 0) touched[distinct++] = token;
        seen[token] = (seen[token] as number) + 1;
      }
      distinct = zeroFilled(rule, lastN, total - first, seen, touched, distinct);
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
        if (logit < 0 || (logit === 0 && multiplyAtZero)) logit = round(logit * repeat);
        else logit = rule.repeatDivision === 'reciprocal-float32' ? round(logit * reciprocal) : round(logit / repeat);
        if (rule.additive === 'separate') {
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

/**
 * koboldcpp's window is a buffer pre-filled with token 0 (`zeroFilledWindow`): while fewer than
 * `last_n` tokens were seen, token 0 fills the rest of the window. Returns the new count of
 * distinct tokens.
 */
function zeroFilled(rule: PenaltyRule, lastN: number, counted: number, seen: Int32Array, touched: Int32Array, distinct: number): number {
  if (!rule.zeroFilledWindow || lastN <= 0 || counted >= lastN || seen.length === 0) return distinct;
  if ((seen[0] as number) === 0) touched[distinct++] = 0;
  seen[0] = (seen[0] as number) + (lastN - counted);
  return distinct;
}

function checkAdditive(spec: ParameterSpec, value: unknown, rule: PenaltyRule, engine: string): void {
  const parameter = `penalties.${spec.name}`;
  checkParameter('penalties', spec, value, spec.range, '(0 = off)');
  if (rule.additiveCounts === 'none' && value !== 0) {
    throw new InvalidParameterError(parameter, value, `0 under ${engine}, which has only the multiplicative repetition penalty`);
  }
  const range = rule.additiveRange;
  if (range && ((value as number) < range[0] || (value as number) > range[1])) {
    throw new InvalidParameterError(parameter, value, `a number in [${range[0]}, ${range[1]}] under ${engine}`);
  }
}

const REPEAT: ParameterSpec = {
  name: 'repeat',
  kind: 'number',
  default: 1,
  range: { min: 0, max: Infinity, minOpen: true },
  neutral: 1,
  hint: 'multiplicative; 1 is neutral (divides positive logits)',
  control: { min: 0.5, max: 2, step: 0.01, initial: 1.1 },
  fields: ['repetition_penalty', 'repeat_penalty'],
  flag: 'repeat-penalty',
};
const FREQUENCY: ParameterSpec = {
  name: 'frequency',
  kind: 'number',
  default: 0,
  neutral: 0,
  hint: 'subtracts count × frequency',
  control: { min: -2, max: 2, step: 0.01 },
  fields: ['frequency_penalty'],
  flag: 'frequency-penalty',
};
const PRESENCE: ParameterSpec = {
  name: 'presence',
  kind: 'number',
  default: 0,
  neutral: 0,
  hint: 'subtracts presence once per seen token',
  control: { min: -2, max: 2, step: 0.01 },
  fields: ['presence_penalty'],
  flag: 'presence-penalty',
};
const LAST_N: ParameterSpec = {
  name: 'last_n',
  kind: 'integer',
  default: -1,
  range: { min: -1, max: Infinity },
  hint: 'window of recent tokens; -1 = all, 0 = none',
  control: { min: -1, max: 512, step: 1, initial: 64 },
  optional: true,
  fields: ['repeat_last_n', 'penalty_last_n'],
};

/** The `penalties` sampler: its parameters, engines and factory. */
export const penalties = defineSampler({
  name: 'penalties',
  summary: 'repetition (x), frequency and presence (-) penalties on seen tokens',
  parameters: [REPEAT, FREQUENCY, PRESENCE, LAST_N],
  engines: {
    knobs: { order: 20 },
    'llama.cpp': { order: 20, defaults: { last_n: 64 }, preset: { repeat: 1, frequency: 0, presence: 0, last_n: 64 } },
    hf: { order: 20 },
    vllm: { order: 20, preset: { repeat: 1, frequency: 0, presence: 0, last_n: -1 } },
    sglang: { order: 10, preset: { repeat: 1, frequency: 0, presence: 0, last_n: -1 } },
    ollama: { order: 20, defaults: { last_n: 64 }, preset: { repeat: 1, frequency: 0, presence: 0, last_n: 64 } },
    koboldcpp: { order: 30, defaults: { last_n: 320 }, preset: { repeat: 1, frequency: 0, presence: 0, last_n: 320 } },
    exllamav2: { order: 10, preset: { repeat: 1, frequency: 0, presence: 0, last_n: -1 } },
    'transformers.js': { order: 10 },
    'node-llama-cpp': { order: 20, defaults: { last_n: 64 } },
  },
  create: penaltiesSampler,
});
