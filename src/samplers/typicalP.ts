import { exp32 } from '../core/exp.js';
import { ExactSum } from '../core/exactSum.js';
import { expf } from '../core/expf.js';
import { partialSort } from '../core/partialSort.js';
import type { Candidates } from './candidates.js';
import { MassCut, roundedRatio } from './cumulativeMass.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import { fastTypicalP } from './fast/typicalP.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { compactLive, scratchFloat64, scratchInt32, softmaxByIdFloat32 } from './selection.js';

/**
 * Locally typical sampling (Meister et al. 2023): ranks tokens by how close their surprise
 * `-ln p_i` is to the entropy `H = -Σ p ln p` (the shifted score `|-ln p_i - H|`, smallest
 * first) and keeps the most typical tokens until their probability mass reaches p.
 * `p = 1` is neutral; `p = 0` keeps one token; at least `min_keep` are kept.
 *
 * Rules by engine (`profile.typical`):
 * - `inclusive` (knobs): the exact cumulative-mass rule of top-p (`cumulativeMass.ts`) in
 *   typicality order. With `w = exp32(l − max)`, the shifted score is `|l − μ|` where
 *   `μ = Σ w·l / Σ w` (the expected logit: `−ln p_i − H = μ − l_i`), rounded once to float32
 *   from the exact sums; the score is computed in float64. Ties: higher logit, then lower id.
 *   The kept prefix is the smallest whose exact mass is ≥ p · the exact total; `min_keep` then
 *   adds the most likely tokens not kept yet.
 * - `strict-float32` (llama.cpp `llama_sampler_typical_apply`): stop only once the mass is
 *   `> p` (strict), float32 softmax, entropy and sums.
 * - `inclusive-keep-ties` (transformers `TypicalLogitsWarper`): the crossing token is the
 *   first with mass `>= p` (`last_ind = Σ [cum < p]`), and every token whose shifted score
 *   is not above its score is kept — ties in typicality all survive.
 * - `exllamav2` (`typical_cpu` @da07facd, read, not run): only for `0 < p < 1`; tokens under
 *   1e-8 are dropped; the "log-probability" is `y = q + ln(q + 1e-10)` (not `ln q`), the
 *   deviation `|y − Σ q·y|`, ascending; the loop stops at the token whose float32 mass
 *   reaches p and keeps the tokens *before* it (at least one). The engines research note
 *   said "inclusive"; the code returns the count without the crossing token.
 *
 * @example
 * // llama.cpp's test: {0.4, 0.2, 0.2, 0.2} at p = 0.5 keeps the three 0.2 tokens
 * createSampler([{ typical_p: 0.5 }], { engine: 'llama.cpp' }).distribution(Float32Array.from([0.4, 0.2, 0.2, 0.2], Math.log));
 */
export function typicalPSampler({ p, min_keep: minKeep }: { p: number; min_keep: number }, profile: EngineProfile): Sampler {
  const rule = profile.typical;
  checkParameter('typical_p', P, p);
  checkParameter('typical_p', MIN_KEEP, minKeep);
  if (rule === 'exllamav2') return exllamaTypical(p);
  let key: Float64Array = new Float64Array(0);
  let probs: Float64Array = new Float64Array(0);
  let heap: Int32Array | undefined;
  let logits: Float32Array = new Float32Array(0);
  const cut = new MassCut();
  // More typical first: smaller shifted score, then higher logit, then lower id.
  const better = (a: number, b: number): boolean => {
    const ka = key[a] as number;
    const kb = key[b] as number;
    if (ka !== kb) return ka < kb;
    if (rule !== 'inclusive-keep-ties') {
      const la = logits[a] as number;
      const lb = logits[b] as number;
      if (la !== lb) return la > lb;
    }
    return a < b;
  };
  return {
    name: 'typical_p',
    apply(candidates: Candidates): void {
      if (p >= 1 || candidates.size <= 1) return;
      const vocab = candidates.vocabSize;
      key = scratchFloat64(key, vocab);
      probs = scratchFloat64(probs, vocab);
      heap = scratchInt32(heap, vocab);
      logits = candidates.logits;
      if (rule === 'inclusive') {
        exactTypical(candidates, p, minKeep, key, better, heap, cut);
        return;
      }
      const float32 = rule === 'strict-float32';
      shiftedScores(candidates, key, probs, float32);
      const ids = candidates.ids;
      const size = candidates.size;
      const target = float32 ? Math.fround(p) : p;
      let sorted = Math.min(size, Math.max(64, minKeep));
      let count = size;
      search: while (true) {
        partialSort(ids, size, sorted, better, heap);
        let cumulative = 0;
        for (let i = 0; i < sorted; i++) {
          const q = probs[ids[i] as number] as number;
          cumulative = float32 ? Math.fround(cumulative + q) : cumulative + q;
          const crossed = rule === 'strict-float32' ? cumulative > target : cumulative >= target;
          // transformers finds the crossing first and protects min_keep separately.
          if (crossed && (rule === 'inclusive-keep-ties' || i + 1 >= minKeep)) {
            count = i + 1;
            break search;
          }
        }
        if (sorted >= size) break;
        sorted = Math.min(size, sorted * 8);
      }
      if (rule === 'inclusive-keep-ties') {
        // Keep every token as typical as the crossing one, and the first min_keep.
        const limit = key[ids[Math.min(count, size) - 1] as number] as number;
        let write = 0;
        for (let i = 0; i < size; i++) {
          const id = ids[i] as number;
          if ((key[id] as number) <= limit || i < minKeep) ids[write++] = id;
        }
        candidates.size = write;
      } else {
        candidates.size = count;
      }
      candidates.order = 'any';
    },
  };
}

/** exllamav2's typical sampling (see `typicalPSampler`): float32, ties in deviation by lower id. */
function exllamaTypical(p: number): Sampler {
  let probs: Float64Array | undefined;
  let key: Float64Array = new Float64Array(0);
  let heap: Int32Array | undefined;
  const target = Math.fround(p);
  // Smaller deviation first, then lower id.
  const better = (a: number, b: number): boolean => (key[a] as number) < (key[b] as number) || ((key[a] as number) === (key[b] as number) && a < b);
  return {
    name: 'typical_p',
    apply(candidates: Candidates): void {
      if (p <= 0 || p >= 1 || candidates.size <= 1) return;
      probs = scratchFloat64(probs, candidates.vocabSize);
      key = scratchFloat64(key, candidates.vocabSize);
      const q = probs;
      const deviation = key;
      softmaxByIdFloat32(candidates, q);
      compactLive(candidates, (id) => (q[id] as number) >= 1e-8);
      const ids = candidates.ids;
      const size = candidates.size;
      let negativeEntropy = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        const x = q[id] as number;
        const y = Math.fround(x + Math.fround(Math.log(Math.fround(x + 1e-10))));
        deviation[id] = y;
        negativeEntropy = Math.fround(negativeEntropy + Math.fround(x * y));
      }
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        deviation[id] = Math.fround(Math.abs((deviation[id] as number) - negativeEntropy));
      }
      heap = scratchInt32(heap, candidates.vocabSize);
      partialSort(ids, size, size, better, heap);
      let cumulative = 0;
      let count = size;
      for (let i = 0; i < size; i++) {
        cumulative = Math.fround(cumulative + (q[ids[i] as number] as number));
        if (cumulative >= target) {
          count = Math.max(i, 1);
          break;
        }
      }
      candidates.size = count;
      candidates.order = 'any';
    },
  };
}

/**
 * The knobs rule: `key[id] = |l − μ|` with μ the expected logit (exact sums, rounded once to
 * float32), the typicality order `better`, and the exact mass cut; then `min_keep` by logit.
 */
function exactTypical(candidates: Candidates, p: number, minKeep: number, key: Float64Array, better: (a: number, b: number) => boolean, heap: Int32Array, cut: MassCut): void {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  const total = TOTAL;
  const moment = MOMENT;
  total.clear();
  moment.clear();
  for (let i = 0; i < size; i++) {
    const logit = logits[ids[i] as number] as number;
    const w = exp32(logit - max);
    total.addShort(w);
    moment.addProduct(w, logit);
  }
  const centre = roundedRatio(moment, total);
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    key[id] = Math.abs((logits[id] as number) - centre);
  }
  cut.reset(total, p);
  let sorted = Math.min(size, 64);
  let fed = 0;
  let count = size;
  search: while (true) {
    partialSort(ids, size, sorted, better, heap);
    for (; fed < sorted; fed++) {
      if (cut.feed(exp32((logits[ids[fed] as number] as number) - max), 1) > 0) {
        count = fed + 1;
        break search;
      }
    }
    if (sorted >= size) break;
    sorted = Math.min(size, sorted * 8);
  }
  if (count < minKeep && count < size) {
    // min_keep: the most likely tokens not kept yet, after the typical ones.
    const extra = Math.min(minKeep, size) - count;
    const rest = ids.subarray(count, size);
    partialSort(rest, size - count, extra, candidates.descending, heap);
    count += extra;
  }
  candidates.size = count;
  candidates.order = 'any';
}

const TOTAL = new ExactSum();
const MOMENT = new ExactSum();

/** Fills `probs[id]` and `key[id] = |-ln p - H|` for the live ids (float32 like llama.cpp when asked). */
function shiftedScores(candidates: Candidates, key: Float64Array, probs: Float64Array, float32: boolean): void {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const weight = float32 ? expf((logits[id] as number) - max) : Math.exp((logits[id] as number) - max);
    probs[id] = weight;
    sum = float32 ? Math.fround(sum + weight) : sum + weight;
  }
  let entropy = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const q = float32 ? Math.fround((probs[id] as number) / sum) : (probs[id] as number) / sum;
    probs[id] = q;
    if (q > 0) entropy = float32 ? Math.fround(entropy - Math.fround(q * Math.fround(Math.log(q)))) : entropy - q * Math.log(q);
  }
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const q = probs[id] as number;
    const surprise = float32 ? -Math.fround(Math.log(q)) : -Math.log(q);
    key[id] = float32 ? Math.fround(Math.abs(Math.fround(surprise - entropy))) : Math.abs(surprise - entropy);
  }
}

const P: ParameterSpec = {
  name: 'p',
  kind: 'number',
  default: 1,
  range: { min: 0, max: 1 },
  neutral: 1,
  hint: '1 disables',
  control: { min: 0, max: 1, step: 0.01, initial: 0.95 },
  fields: ['typical_p'],
  flag: 'typical-p',
};

/** The `typical_p` sampler: its parameters, engines and factory. */
export const typicalP = defineSampler({
  name: 'typical_p',
  summary: 'keep the most typical tokens (surprise near the entropy) up to mass p',
  parameters: [P, MIN_KEEP],
  engines: {
    knobs: { order: 80 },
    'llama.cpp': { order: 60, preset: 1 },
    hf: { order: 80 },
    ollama: { order: 60, preset: 1 },
    koboldcpp: { order: 70, preset: 1 },
    exllamav2: { order: 100, preset: 1 },
    'transformers.js': { order: 63 },
  },
  create: typicalPSampler,
  fast: fastTypicalP,
});
