import { exp32Weights } from '../core/exp.js';
import { ExactSum } from '../core/exactSum.js';
import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { MassCut } from './cumulativeMass.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import { fastTopP } from './fast/topP.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { scratchFloat64, scratchInt32, softmaxByIdFloat32 } from './selection.js';

/**
 * Top-p (nucleus sampling, Holtzman et al. 2020): orders tokens by logit descending (ties
 * by lower token id) and keeps the smallest prefix whose probability mass reaches p —
 * inclusive: the token that crosses p is kept, and a prefix that lands exactly on p stops
 * there. `p = 0` keeps exactly one token (the most likely); `p = 1` is neutral (keeps
 * everything, even tokens whose weight underflows). At least `min_keep` tokens are kept
 * (applied after the cut, by logit). The probabilities are those of the logits at this point
 * of the chain.
 *
 * Rules by engine (`profile.topP`):
 * - `prefix` (knobs): the mass is exact (`cumulativeMass.ts`): with `w = exp32(l − max)` the
 *   prefix is the smallest whose exact Σw is ≥ p · (exact Σw of every live token), p the
 *   float64 given. No summation order, no float rounding decides which tokens are kept.
 * - `prefix-float32` (llama.cpp's `llama_sampler_top_p`): its float32 softmax (`expf`, the
 *   sum in the candidates' current order) and a float32 running sum in sorted order,
 *   compared with `(float) p` (`cum_sum >= p`). A float32 sum stops growing once the
 *   probabilities added fall below half its ulp, so on a large vocabulary it can keep many
 *   more tokens than the exact rule.
 * - `suffix-float32` (transformers' `TopPLogitsWarper`, vLLM's `apply_top_k_top_p_pytorch`):
 *   sorts ascending and removes tokens whose float32 cumulative sum is `<= 1 - p`: the same
 *   set except at exact boundaries, and among tokens tied at the cut the higher ids survive;
 *   `1 - p` is the Python float rounded to float32 (transformers) or computed on a float32
 *   tensor (vLLM), `profile.topPComplement`. vLLM rejects p = 0 (`profile.topPZero`).
 * - Three more engines have rules of their own (`engineTopP` below, each read, not run):
 *   `prefix-strict-float32` (Ollama's Go sampler `topP` @f63eea3d: keep through the first
 *   token whose float32 running sum is `> p`), `exclusive-float32` (SGLang
 *   `layers/sampler.py`: keep a token while the float32 mass before it is `<= p`, so the
 *   crossing token stays and, at exact equality, one more) and `under-p-float32` (exllamav2
 *   `top_p_cpu` @da07facd, see `underP`: a min-heap walk in array order that drops the token
 *   crossing p but lets smaller later ones fit — not a prefix, and in id order it depends on
 *   where the large tokens sit; `p = 0` disables it, `profile.topPZero = 'disabled'`).
 *
 * @example
 * // the seed's 8-token example: p = 0.9 keeps "the", "a", "one", "some"
 * createSampler([{ top_p: 0.9 }]).distribution(new Float32Array([3, 2.5, 2, 1, 0.5, 0, -0.5, -1]));
 */
export function topPSampler({ p, min_keep: minKeep }: { p: number; min_keep: number }, profile: EngineProfile): Sampler {
  const rule = profile.topP;
  checkParameter('top_p', P, p);
  if (p === 0 && profile.topPZero === 'error') throw new InvalidParameterError('top_p.p', p, `a number in (0, 1] under ${profile.name}`);
  checkParameter('top_p', MIN_KEEP, minKeep);
  let probs: Float64Array | undefined;
  let ties: Int32Array | undefined;
  const cut = new MassCut();
  const threshold = profile.topPComplement === 'float32' ? Math.fround(1 - Math.fround(p)) : Math.fround(1 - p);
  const engineRule = engineTopP(profile, p, minKeep);
  if (engineRule) return engineRule;
  return {
    name: 'top_p',
    apply(candidates: Candidates): void {
      if (p >= 1) return;
      if (rule === 'prefix') {
        const count = exactNucleusCount(candidates, p, cut);
        truncateTo(candidates, Math.max(count, minKeep), count);
        return;
      }
      probs = scratchFloat64(probs, candidates.vocabSize);
      if (rule === 'prefix-float32') {
        const count = nucleusCountFloat32(candidates, Math.fround(p), minKeep, probs);
        truncateTo(candidates, count, count);
        return;
      }
      const count = Math.max(suffixCount(candidates, threshold, probs), minKeep, 1);
      ties = scratchInt32(ties, candidates.vocabSize);
      keepTopPreferringHighIds(candidates, count, ties);
    },
  };
}

/** Keeps the `keep` best; the first `sorted` are already in descending order. */
function truncateTo(candidates: Candidates, keep: number, sorted: number): void {
  if (keep >= candidates.size) return;
  if (keep > sorted) {
    candidates.order = 'any';
    candidates.partialSortDescending(keep);
  }
  candidates.truncate(keep);
  candidates.order = 'descending';
}

/**
 * The knobs rule (`MassCut`): sorts just enough of the candidates (best first) to find the
 * nucleus and returns its size, at least 1. The candidates end with their first n (or more)
 * in descending order, so `truncate(n)` keeps the nucleus.
 */
export function exactNucleusCount(candidates: Candidates, p: number, cut: MassCut): number {
  const size = candidates.size;
  const logits = candidates.logits;
  const ids = candidates.ids;
  const max = candidates.maxLogit();
  // Weights by id, computed once (a per-token exp32 call would box its argument and result).
  if (byPosition.length < size) byPosition = new Float64Array(size);
  if (byId.length < candidates.vocabSize) byId = new Float64Array(candidates.vocabSize);
  const weights = byId;
  exp32Weights(logits, ids, size, max, byPosition);
  const total = TOTAL;
  total.clear();
  for (let i = 0; i < size; i++) weights[ids[i] as number] = byPosition[i] as number;
  total.addShortAll(byPosition, size);
  cut.reset(total, p);
  // Grow the sorted prefix geometrically: most nuclei are small. The first `fed` stay in place.
  let sorted = Math.min(size, 64);
  let fed = 0;
  while (true) {
    candidates.partialSortDescending(sorted);
    for (; fed < sorted; fed++) {
      if (cut.feedAt(weights, ids[fed] as number, 1) > 0) return fed + 1;
    }
    if (sorted >= size) return size;
    candidates.order = 'any';
    sorted = Math.min(size, sorted * 8);
  }
}

/** Scratch total of `exactNucleusCount` (one row at a time), and its weights by position and by id (grown, never shrunk). */
const TOTAL = new ExactSum();
let byPosition = new Float64Array(0);
let byId = new Float64Array(0);

/** llama.cpp's loop: float32 probabilities and running sum; stop at `cum >= p` once `min_keep` are in. */
function nucleusCountFloat32(candidates: Candidates, p: number, minKeep: number, probs: Float64Array): number {
  softmaxByIdFloat32(candidates, probs);
  const size = candidates.size;
  const ids = candidates.ids;
  let sorted = Math.min(size, 64);
  while (true) {
    candidates.partialSortDescending(sorted);
    let cumulative = 0;
    for (let i = 0; i < sorted; i++) {
      cumulative = Math.fround(cumulative + (probs[ids[i] as number] as number));
      if (cumulative >= p && i + 1 >= minKeep) return i + 1;
    }
    if (sorted >= size) return size;
    candidates.order = 'any';
    sorted = Math.min(size, sorted * 8);
  }
}

/**
 * PyTorch's rule: token at descending position i survives when its ascending cumulative sum
 * `C_i = Σ_{j ≥ i} q_j` (float32 probabilities, double accumulation, float32 result) is
 * `> threshold`. C only decreases with i, so the survivors are a prefix; returns its length.
 */
function suffixCount(candidates: Candidates, threshold: number, probs: Float64Array): number {
  const size = candidates.size;
  const logits = candidates.logits;
  const ids = candidates.ids;
  const max = candidates.maxLogit();
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp((logits[ids[i] as number] as number) - max);
  let total = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const q = Math.fround(Math.exp((logits[id] as number) - max) / sum);
    probs[id] = q;
    total += q;
  }
  let sorted = Math.min(size, 64);
  while (true) {
    candidates.partialSortDescending(sorted);
    let before = 0;
    for (let i = 0; i < sorted; i++) {
      if (Math.fround(total - before) <= threshold) return i;
      before += probs[ids[i] as number] as number;
    }
    if (sorted >= size) return size;
    candidates.order = 'any';
    sorted = Math.min(size, sorted * 8);
  }
}

/**
 * Keeps the `count` most likely tokens; among tokens tied at the cut, the higher ids (a
 * stable ascending sort puts them last, where PyTorch's top-p keeps them).
 */
export function keepTopPreferringHighIds(candidates: Candidates, count: number, ties: Int32Array): void {
  if (count >= candidates.size) return;
  candidates.order = 'any';
  candidates.partialSortDescending(count);
  const logits = candidates.logits;
  const ids = candidates.ids;
  const cut = logits[ids[count - 1] as number] as number;
  let above = 0;
  let tied = 0;
  for (let i = 0; i < candidates.size; i++) {
    const id = ids[i] as number;
    const logit = logits[id] as number;
    if (logit > cut) above++;
    else if (logit === cut) ties[tied++] = id;
  }
  if (above + tied === count) {
    candidates.truncate(count);
    candidates.order = 'descending';
    return;
  }
  const group = ties.subarray(0, tied).sort();
  const lowestKept = group[tied - (count - above)] as number;
  let write = 0;
  for (let i = 0; i < candidates.size; i++) {
    const id = ids[i] as number;
    const logit = logits[id] as number;
    if (logit > cut || (logit === cut && id >= lowestKept)) ids[write++] = id;
  }
  candidates.size = write;
  candidates.order = 'any';
}

const P: ParameterSpec = {
  name: 'p',
  kind: 'number',
  default: 1,
  range: { min: 0, max: 1 },
  neutral: 1,
  hint: '1 keeps everything',
  control: { min: 0, max: 1, step: 0.01, initial: 0.95 },
  fields: ['top_p'],
  flag: 'top-p',
};

/** The `top_p` sampler: its parameters, engines and factory. */
export const topP = defineSampler({
  name: 'top_p',
  summary: 'keep the smallest prefix whose probability reaches p',
  parameters: [P, MIN_KEEP],
  engines: {
    knobs: { order: 60 },
    'llama.cpp': { order: 70, preset: 0.95 },
    hf: { order: 60, preset: 1 },
    vllm: { order: 60, preset: 1 },
    sglang: { order: 50, preset: 1 },
    ollama: { order: 70, preset: 0.9 },
    'ollama-go': { order: 30, preset: 0.9 },
    koboldcpp: { order: 80, preset: 0.9 },
    exllamav2: { order: 60, preset: 1 },
    'transformers.js': { order: 61 },
    'node-llama-cpp': { order: 50, preset: 0.95 },
  },
  create: topPSampler,
  fast: fastTopP,
});

/**
 * The top-p rules of SGLang, Ollama's Go sampler and exllamav2 (`profile.topP`), or null for
 * the rules above. Each sorts the candidates (logit descending, ties by lower id), computes
 * the float32 softmax and cuts a prefix.
 */
function engineTopP(profile: EngineProfile, p: number, minKeep: number): Sampler | null {
  const rule = profile.topP;
  if (rule !== 'prefix-strict-float32' && rule !== 'exclusive-float32' && rule !== 'under-p-float32') return null;
  const disabled = p >= 1 || (p === 0 && profile.topPZero === 'disabled');
  const limit = Math.fround(p);
  let probs: Float64Array | undefined;
  let heap: Int32Array | undefined;
  return {
    name: 'top_p',
    apply(candidates: Candidates): void {
      if (disabled) return;
      probs = scratchFloat64(probs, candidates.vocabSize);
      // exllamav2 walks its array as it is: id order, or descending after its top-k.
      if (rule !== 'under-p-float32' || candidates.order !== 'id') candidates.sortDescending();
      softmaxByIdFloat32(candidates, probs);
      const ids = candidates.ids;
      const size = candidates.size;
      let count = size;
      let sum = 0;
      if (rule === 'prefix-strict-float32') {
        for (let i = 0; i < size; i++) {
          sum = Math.fround(sum + (probs[ids[i] as number] as number));
          if (sum > limit) {
            count = i + 1;
            break;
          }
        }
      } else if (rule === 'exclusive-float32') {
        for (let i = 0; i < size; i++) {
          if (sum > limit) {
            count = i;
            break;
          }
          sum = Math.fround(sum + (probs[ids[i] as number] as number));
        }
      } else {
        heap = scratchInt32(heap, candidates.vocabSize);
        underP(candidates, limit, probs, heap);
        return;
      }
      candidates.truncate(Math.max(count, minKeep, 1));
    },
  };
}

/**
 * exllamav2's `top_p_cpu`, step by step: walk the candidates in their current order, skip
 * probabilities under 1e-6 (and, once the kept mass exceeds p, anything smaller than the
 * smallest kept); push each onto a min-heap of (probability, id), add it to a float32 sum,
 * and while the sum exceeds p and more than one token is held, pop the smallest. The held
 * tokens survive. Walking in descending order this keeps the top token and then every token
 * that still fits under p (a token that would cross p is dropped, smaller ones after it may
 * fit); walking in id order (no top-k before it) the result depends on that order.
 */
function underP(candidates: Candidates, limit: number, probs: Float64Array, heap: Int32Array): void {
  const ids = candidates.ids;
  const size = candidates.size;
  // Heap order: smaller probability first, then lower id (std::greater on (p, id) pairs).
  const below = (a: number, b: number): boolean => {
    const pa = probs[a] as number;
    const pb = probs[b] as number;
    return pa < pb || (pa === pb && a < b);
  };
  let held = 0;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const q = probs[id] as number;
    if (q < 1e-6) continue;
    if (sum > limit && q < (probs[heap[0] as number] as number)) continue;
    let child = held++;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!below(id, heap[parent] as number)) break;
      heap[child] = heap[parent] as number;
      child = parent;
    }
    heap[child] = id;
    sum = Math.fround(sum + q);
    while (sum > limit && held > 1) {
      sum = Math.fround(sum - (probs[heap[0] as number] as number));
      held--;
      const last = heap[held] as number;
      let index = 0;
      while (true) {
        const left = 2 * index + 1;
        if (left >= held) break;
        const right = left + 1;
        const smaller = right < held && below(heap[right] as number, heap[left] as number) ? right : left;
        if (!below(heap[smaller] as number, last)) break;
        heap[index] = heap[smaller] as number;
        index = smaller;
      }
      heap[index] = last;
    }
  }
  for (let i = 0; i < held; i++) ids[i] = heap[i] as number;
  candidates.size = Math.max(held, 1);
  candidates.order = 'any';
  candidates.sortDescending();
}
