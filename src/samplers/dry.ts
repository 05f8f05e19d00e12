import { InvalidParameterError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { scratchInt32 } from './selection.js';

/** Parameters of DRY. */
export interface DryOptions {
  readonly multiplier: number;
  readonly base: number;
  readonly allowed_length: number;
  /** Window over prompt + generated; -1 every token, 0 disables. */
  readonly last_n: number;
  /** Sequence breakers as token ids; an array of ids is a multi-token breaker. */
  readonly breakers: readonly (number | readonly number[])[];
}

/**
 * DRY, "don't repeat yourself" (p-e-w, text-generation-webui PR #5677; koboldcpp; llama.cpp
 * `llama_sampler_dry`): penalises the token that would extend a repetition of an earlier
 * stretch of the context. For each candidate c, let L be the longest run such that the last
 * L tokens of the context also occur earlier, immediately followed by c. When
 * `L >= allowed_length`, the logit of c drops by `multiplier · base^(L − allowed_length)`
 * (exponent capped so the penalty stays below float32's maximum). The context is the last
 * `last_n` tokens of prompt + generated (-1: all). A sequence breaker in the context stops
 * runs from reaching back across it (L is limited to the tokens after the last breaker), and
 * a single-token breaker is never penalised itself. Breakers here are token ids (llama.cpp
 * tokenizes strings such as "\n"). `multiplier = 0` is neutral (the default); nothing
 * happens when the context has at most `allowed_length` tokens. Follows llama.cpp's
 * implementation, including its reverse Z-algorithm and the cap on the exponent.
 *
 * @example
 * // llama.cpp's test: context 0 1 2 0 1 → token 2 (which would repeat "0 1 2") is penalised
 * createSampler([{ dry: { multiplier: 1, base: 1.1, allowed_length: 2, last_n: 5 } }], { history: [0, 1, 2, 0, 1] })
 *   .distribution(new Float32Array(4).fill(Math.log(0.25))); // ≈ [0.2969, 0.2969, 0.1092, 0.2969]
 */
export function drySampler(options: DryOptions): Sampler {
  const { multiplier, base, allowed_length: allowedLength, last_n: lastN } = options;
  checkParameter('dry', MULTIPLIER, multiplier);
  checkParameter('dry', BASE, base);
  checkParameter('dry', ALLOWED_LENGTH, allowedLength);
  checkParameter('dry', LAST_N, lastN);
  const tails = parseBreakers(options.breakers);
  const singleBreakers = new Set([...tails].filter(([, list]) => list.some((tail) => tail.length === 0)).map(([head]) => head));
  const maxExponent = base > 1.000001 ? Math.trunc(88.7228391 / Math.log(base)) : 0;
  let window: Int32Array | undefined;
  let repeats: Int32Array | undefined;
  let longest: Int32Array | undefined;
  let touched: Int32Array | undefined;
  return {
    name: 'dry',
    apply(candidates: Candidates, context: SamplerContext): void {
      if (multiplier === 0 || lastN === 0) return;
      const { prompt, generated } = context;
      const total = prompt.length + generated.length;
      const n = lastN < 0 ? total : Math.min(total, lastN);
      if (n <= allowedLength) return;
      window = scratchInt32(window, n);
      repeats = scratchInt32(repeats, n);
      for (let i = 0; i < n; i++) {
        const position = total - n + i;
        window[i] = (position < prompt.length ? prompt[position] : generated[position - prompt.length]) as number;
      }
      const w = window;
      // Step 1: the last breaker limits how far back a repetition may reach.
      let limit = n;
      for (let i = 0; i < n; i++) {
        const sequences = tails.get(back(w, n, i));
        if (!sequences) continue;
        let match = -1;
        for (let s = 0; s < sequences.length; s++) {
          const tail = sequences[s] as number[];
          if (tail.length <= match || tail.length > i) continue;
          let ok = true;
          for (let offset = 0; offset < tail.length && ok; offset++) ok = tail[offset] === back(w, n, i - offset - 1);
          if (ok) match = tail.length;
        }
        if (match >= 0) {
          limit = i - match;
          break;
        }
      }
      if (limit < allowedLength) return;
      // Step 2: reverse Z-algorithm: repeats[n-1-k] = length of the suffix that recurs k back.
      const last = n - 1;
      let left = 0;
      let right = 0;
      for (let k = 1; k < n; k++) {
        if (k > right) {
          let length = 0;
          while (length + k < n && back(w, n, length) === back(w, n, length + k)) length++;
          repeats[last - k] = Math.min(length, limit);
          if (length > 0) {
            left = k;
            right = k + length - 1;
          }
        } else {
          const pair = repeats[last - (k - left)] as number;
          if (pair < right - k + 1) {
            repeats[last - k] = Math.min(pair, limit);
          } else {
            let i = right + 1;
            while (i < n && back(w, n, i) === back(w, n, i - k)) i++;
            repeats[last - k] = Math.min(i - k, limit);
            left = k;
            right = i - 1;
          }
        }
      }
      // Step 3: the token after each long-enough repeat would extend it.
      const vocab = candidates.vocabSize;
      longest = scratchInt32(longest, vocab);
      touched = scratchInt32(touched, n);
      let count = 0;
      for (let i = 0; i < n - 1; i++) {
        const length = repeats[i] as number;
        if (length < allowedLength) continue;
        const token = back(w, n, n - 2 - i);
        if (token >= vocab) continue;
        if ((longest[token] as number) === 0) touched[count++] = token;
        if (length + 1 > (longest[token] as number)) longest[token] = length + 1; // stored +1: 0 = none
      }
      // Step 4: penalise (single-token breakers excepted).
      const logits = candidates.logits;
      for (let j = 0; j < count; j++) {
        const token = touched[j] as number;
        const length = (longest[token] as number) - 1;
        longest[token] = 0;
        if (singleBreakers.has(token)) continue;
        let exponent = length - allowedLength;
        if (maxExponent > 0 && exponent > maxExponent) exponent = maxExponent;
        const penalty = Math.fround(multiplier * Math.pow(base, exponent));
        logits[token] = (logits[token] as number) - penalty;
      }
      if (candidates.order === 'descending') candidates.order = 'any';
    },
  };
}

/** The i-th token from the end of the window `w` of length n. */
function back(w: Int32Array, n: number, i: number): number {
  return w[n - 1 - i] as number;
}

/** Breakers as head token → tails (the rest of each sequence; empty for one-token breakers). */
function parseBreakers(breakers: readonly (number | readonly number[])[]): Map<number, number[][]> {
  if (!Array.isArray(breakers)) throw new InvalidParameterError('dry.breakers', breakers, 'an array of token ids or arrays of token ids');
  const tails = new Map<number, number[][]>();
  breakers.forEach((breaker, index) => {
    const sequence = typeof breaker === 'number' ? [breaker] : breaker;
    if (!Array.isArray(sequence) || sequence.length === 0) {
      throw new InvalidParameterError(`dry.breakers[${index}]`, breaker, 'a token id or a non-empty array of token ids');
    }
    sequence.forEach((id, position) => checkInteger(`dry.breakers[${index}]${typeof breaker === 'number' ? '' : `[${position}]`}`, id, 0));
    const [head, ...tail] = sequence as number[];
    const list = tails.get(head as number) ?? [];
    list.push(tail);
    tails.set(head as number, list);
  });
  return tails;
}

const MULTIPLIER: ParameterSpec = {
  name: 'multiplier',
  kind: 'number',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  hint: 'strength of the penalty; 0 disables',
  control: { min: 0, max: 2, step: 0.01, initial: 0.8 },
  fields: ['dry_multiplier'],
};
const BASE: ParameterSpec = {
  name: 'base',
  kind: 'number',
  default: 1.75,
  range: { min: 1, max: Infinity },
  hint: 'growth of the penalty per extra repeated token',
  control: { min: 1, max: 4, step: 0.01 },
  optional: true,
  fields: ['dry_base'],
};
const ALLOWED_LENGTH: ParameterSpec = {
  name: 'allowed_length',
  kind: 'integer',
  default: 2,
  range: { min: 0, max: Infinity },
  hint: 'repeats up to this long are not penalised',
  control: { min: 0, max: 10, step: 1 },
  optional: true,
  fields: ['dry_allowed_length'],
};
const LAST_N: ParameterSpec = {
  name: 'last_n',
  kind: 'integer',
  default: -1,
  range: { min: -1, max: Infinity },
  hint: 'window of recent tokens; -1 = whole context',
  control: { min: -1, max: 1024, step: 1 },
  optional: true,
  fields: ['dry_penalty_last_n'],
};
const BREAKERS: ParameterSpec = {
  name: 'breakers',
  kind: 'token-sequences',
  default: [],
  hint: 'JSON array of token ids that break a repeated sequence ([[a, b]] for a multi-token one)',
  fields: ['dry_sequence_breakers'],
};

/** The `dry` sampler: its parameters, engines and factory. */
export const dry = defineSampler({
  name: 'dry',
  summary: 'DRY: penalise tokens that extend a repeated sequence',
  parameters: [MULTIPLIER, BASE, ALLOWED_LENGTH, LAST_N, BREAKERS],
  engines: {
    knobs: { order: 30 },
    'llama.cpp': { order: 30, preset: { multiplier: 0, base: 1.75, allowed_length: 2, last_n: -1 } },
    koboldcpp: { order: 20, defaults: { last_n: 320 }, preset: { multiplier: 0, base: 1.75, allowed_length: 2, last_n: 320 } },
    'node-llama-cpp': { order: 30 },
  },
  create: (parameters: DryOptions) => drySampler(parameters),
});
