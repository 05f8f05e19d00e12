import { InvalidInputError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { compactLiveFlags, scratchInt32, scratchUint8 } from './selection.js';

/**
 * No-repeat n-gram (fairseq; transformers `NoRepeatNGramLogitsProcessor`): forbids every
 * token that would complete an n-gram already present in the context (prompt + generated,
 * as transformers does for decoder-only models). With the last n−1 tokens as prefix, each
 * earlier occurrence of that prefix bans the token that followed it; `n = 1` bans every
 * token already seen. Nothing is banned while the context is shorter than n. `n = 0` is
 * neutral (transformers' `generate` skips the processor for 0). Banning every live token is
 * an error (transformers would leave no finite logit).
 *
 * @example
 * // transformers' test: context 1 1 2 1, n = 2 bans 1 and 2 (the bigrams "1 1", "1 2")
 * createSampler([{ no_repeat_ngram: 2 }], { history: [1, 1, 2, 1] }).distribution(new Float32Array(3));
 */
export function noRepeatNgramSampler({ n }: { n: number }): Sampler {
  checkParameter('no_repeat_ngram', N, n);
  let banned: Uint8Array | undefined;
  let touched: Int32Array | undefined;
  return {
    name: 'no_repeat_ngram',
    apply(candidates: Candidates, context: SamplerContext): void {
      const { prompt, generated } = context;
      const length = prompt.length + generated.length;
      if (n === 0 || length < n) return;
      banned = scratchUint8(banned, candidates.vocabSize);
      touched = scratchInt32(touched, length);
      let count = 0;
      // Windows start at 0 .. length − n; the prefix is the last n − 1 tokens.
      for (let start = 0; start + n <= length; start++) {
        let match = true;
        for (let j = 0; j < n - 1 && match; j++) match = at(prompt, generated, start + j) === at(prompt, generated, length - n + 1 + j);
        if (!match) continue;
        const token = at(prompt, generated, start + n - 1);
        if (token < candidates.vocabSize && (banned[token] as number) === 0) {
          banned[token] = 1;
          touched[count++] = token;
        }
      }
      if (count === 0) return;
      const kept = compactLiveFlags(candidates, banned);
      for (let j = 0; j < count; j++) banned[touched[j] as number] = 0;
      if (kept === 0) throw new InvalidInputError(`no_repeat_ngram.n = ${n} bans every remaining token: nothing left to sample`);
    },
  };
}

/** Token i of prompt + generated. */
function at(prompt: readonly number[], generated: readonly number[], i: number): number {
  return (i < prompt.length ? prompt[i] : generated[i - prompt.length]) as number;
}

const N: ParameterSpec = {
  name: 'n',
  kind: 'integer',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  atOrBelow: true,
  hint: 'forbid repeating n-grams of this size; 0 disables',
  control: { min: 0, max: 10, step: 1, initial: 3 },
  fields: ['no_repeat_ngram_size'],
  flag: 'no-repeat-ngram',
};

/** The `no_repeat_ngram` sampler: its parameter, engines and factory. */
export const noRepeatNgram = defineSampler({
  name: 'no_repeat_ngram',
  summary: 'forbid tokens that would repeat an n-gram of the context',
  parameters: [N],
  engines: {
    knobs: { order: 40 },
    hf: { order: 30 },
    'transformers.js': { order: 20 },
  },
  create: noRepeatNgramSampler,
});
