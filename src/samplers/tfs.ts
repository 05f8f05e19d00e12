import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import type { EngineProfile, TfsRule } from './profiles.js';
import type { Sampler } from './sampler.js';
import { scratchFloat64 } from './selection.js';

/**
 * Tail-free sampling (Trenton Bricken 2019): finds where the sorted probability curve
 * flattens into its tail and cuts there. With `p` sorted descending (n tokens), the second
 * differences `d_i = |p_i − 2·p_{i+1} + p_{i+2}|` for i = 0 … n−3 are normalised to sum to 1
 * and accumulated, `c_i = Σ_{j<=i} d_j / Σ d`; `i*` is the first index with `c_i > z`
 * (strict). `z = 1` is neutral; with 2 tokens or fewer nothing happens.
 *
 * Rules by engine (`profile.tfs`):
 * - `exact` (knobs): float64; keeps the `i*` tokens before the crossing (at least `min_keep`
 *   and one); a tail without curvature (`Σ d = 0`) keeps everything.
 * - `llama.cpp-float32` (llama.cpp before PR #10071 removed it, 2024-10-29; koboldcpp
 *   `sample_tail_free` @0c163a9b is the same code): float32; the cut is the first `i >=
 *   min_keep` with `c_i > z`, keeping `i` tokens (so a crossing at index 0 keeps one); when
 *   `Σ d <= 1e-6` every weight is `1/(n−2)`.
 * - `exllamav2-float32` (`tfs_cpu` @da07facd): only for `0 < z < 1` and 3 candidates or more;
 *   tokens under 1e-8 are dropped first; it keeps `i* + 1` tokens ("center distribution on
 *   the cutoff point"), or `n − 1` when no index crosses — also when `Σ d = 0`, whose NaN
 *   weights never cross — so the least likely token always goes.
 * All read, not run. text-generation-webui (not a profile) keeps one more like exllamav2 and
 * computes over the whole vocabulary, removed tokens counting as p = 0.
 *
 * @example
 * // p = {0.5, 0.25, 0.15, 0.07, 0.03}: c = {0.714, 0.810, 1}; z = 0.8 keeps 1 (2 under exllamav2)
 * createSampler([{ tfs: 0.8 }]).distribution(Float32Array.from([0.5, 0.25, 0.15, 0.07, 0.03], Math.log));
 */
export function tfsSampler({ z, min_keep: minKeep }: { z: number; min_keep: number }, profile: EngineProfile): Sampler {
  checkParameter('tfs', Z, z);
  checkParameter('tfs', MIN_KEEP, minKeep);
  const rule = profile.tfs;
  let probs: Float64Array | undefined;
  return {
    name: 'tfs',
    apply(candidates: Candidates): void {
      if (z >= 1 || candidates.size <= 2 || (rule === 'exllamav2-float32' && z <= 0)) return;
      candidates.sortDescending();
      probs = scratchFloat64(probs, candidates.size);
      const n = sortedProbabilities(candidates, probs, rule !== 'exact');
      candidates.truncate(tailFreeKeep(probs, n, z, minKeep, rule));
    },
  };
}

/** Fills `probs[0..size)` with the softmax of the sorted candidates (float32 when asked); returns the size. */
function sortedProbabilities(candidates: Candidates, probs: Float64Array, float32: boolean): number {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const round = float32 ? Math.fround : (x: number): number => x;
  const max = logits[ids[0] as number] as number;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const weight = round(Math.exp(round((logits[ids[i] as number] as number) - max)));
    probs[i] = weight;
    sum = round(sum + weight);
  }
  for (let i = 0; i < size; i++) probs[i] = round((probs[i] as number) / sum);
  return size;
}

/** How many of the n sorted probabilities the rule keeps. */
export function tailFreeKeep(probs: Float64Array, n: number, z: number, minKeep: number, rule: TfsRule): number {
  if (rule === 'exact') {
    let total = 0;
    for (let i = 0; i + 2 < n; i++) total += Math.abs((probs[i] as number) - 2 * (probs[i + 1] as number) + (probs[i + 2] as number));
    if (total === 0) return n;
    let cumulative = 0;
    for (let i = 0; i + 2 < n; i++) {
      cumulative += Math.abs((probs[i] as number) - 2 * (probs[i + 1] as number) + (probs[i + 2] as number)) / total;
      if (cumulative > z) return Math.max(i, minKeep, 1);
    }
    return n;
  }
  const f = Math.fround;
  if (rule === 'llama.cpp-float32') {
    const count = n - 2;
    let total = 0;
    for (let i = 0; i < count; i++) total = f(total + secondDifferenceLlama(probs, i));
    let cumulative = 0;
    for (let i = 0; i < count; i++) {
      const weight = total > f(1e-6) ? f(secondDifferenceLlama(probs, i) / total) : f(1 / count);
      cumulative = f(cumulative + weight);
      if (cumulative > f(z) && i >= minKeep) return Math.max(i, 1);
    }
    return n;
  }
  // exllamav2: the pre-pass leaves the tokens at or above 1e-8.
  let nc = 0;
  while (nc < n && (probs[nc] as number) >= 1e-8) nc++;
  let total = 0;
  for (let i = 0; i + 2 < nc; i++) total = f(total + secondDifferenceExllama(probs, i));
  const inverse = f(1 / total);
  let k = 0;
  let cumulative = 0;
  while (k < nc - 2) {
    cumulative = f(cumulative + f(secondDifferenceExllama(probs, k) * inverse));
    if (cumulative > f(z)) break;
    k++;
  }
  return Math.max(k + 1, 1);
}

/** llama.cpp: `|(p_i − p_{i+1}) − (p_{i+1} − p_{i+2})|` in float32. */
function secondDifferenceLlama(probs: Float64Array, i: number): number {
  const f = Math.fround;
  return Math.abs(f(f((probs[i] as number) - (probs[i + 1] as number)) - f((probs[i + 1] as number) - (probs[i + 2] as number))));
}

/** exllamav2: `|−p_i + 2·p_{i+1} − p_{i+2}|` in float32. */
function secondDifferenceExllama(probs: Float64Array, i: number): number {
  const f = Math.fround;
  return Math.abs(f(f(-(probs[i] as number) + f(2 * (probs[i + 1] as number))) - (probs[i + 2] as number)));
}

const Z: ParameterSpec = {
  name: 'z',
  kind: 'number',
  default: 1,
  range: { min: 0, max: 1 },
  neutral: 1,
  hint: 'cut where the tail flattens; 1 disables',
  control: { min: 0, max: 1, step: 0.01, initial: 0.95 },
  fields: ['tfs', 'tfs_z'],
  flag: 'tfs',
};

/** The `tfs` sampler: its parameters, engines and factory. */
export const tfs = defineSampler({
  name: 'tfs',
  summary: 'tail-free: cut where the second difference of the sorted probabilities flattens',
  parameters: [Z, MIN_KEEP],
  engines: {
    knobs: { order: 85 },
    koboldcpp: { order: 60, preset: 1 },
    exllamav2: { order: 90, preset: 1 },
  },
  create: tfsSampler,
});
