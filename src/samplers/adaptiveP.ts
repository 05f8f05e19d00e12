import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import { drawToken } from './draw.js';
import type { AdaptivePRule, EngineProfile } from './profiles.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { scratchFloat64 } from './selection.js';

/** Width of the bump around the adapted target (llama.cpp `DISTRIBUTION_WIDTH`). */
const WIDTH = 0.3;
/** Logit at the target (`PEAK_LOGIT_VALUE`). */
const PEAK = 5;
/** How fast the logit falls with distance (`SHARPNESS`). */
const SHARPNESS = 10;

/**
 * Adaptive-p (MrJackSpade; llama.cpp `llama_sampler_adaptive_p`, PR #17927, read in
 * `src/llama-sampler.cpp` @00efb3e1; koboldcpp `sample_adaptive_p` @062b30f3; neither run): a
 * selector that replaces the final draw and steers the *probability* of the chosen tokens
 * toward `target` on average.
 * 1. `p` = softmax of the live candidates (what earlier stages left).
 * 2. The adapted target `t' = clamp(2·t − S/W, 0, 1)`, with `t = clamp(target, 0, 1)` and the
 *    running average `S/W` of the original probabilities of the tokens chosen so far: when
 *    recent choices were more likely than the target, it aims lower, and the reverse.
 * 3. Each candidate gets the logit `5 − 10·d²/(1 + d)`, `d = |p − t'| / 0.3` — a peak at the
 *    adapted target, quadratic near it, linear in the tails.
 * 4. One token is drawn from the softmax of those logits (the chain's draw rule, with
 *    `context.rng`) and kept alone, so the chain draws nothing more and `distribution()`
 *    shows the chosen token with probability 1 (each call consumes one draw, as mirostat's).
 * 5. Learning: `S ← p_chosen + decay·S`, `W ← 1 + decay·W`, with p the token's probability
 *    in step 1. They start at `S = target/(1 − decay)`, `W = 1/(1 − decay)` ("as if the target
 *    had been reached", from the unclamped target); `reset()` returns there.
 * With `target < 0` it is off: it draws from the distribution unchanged and learns nothing.
 *
 * Rules by engine (`profile.adaptiveP`):
 * - knobs: off for target < 0; decay must be in [0, 0.99]; learns on `accept(token)` (as
 *   llama.cpp), so `distribution()` does not move it; float64.
 * - llama.cpp: off for target < 0; decay clamped silently to [0, 0.99]; learns on accept
 *   (only if the accepted token is the one it drew); float32; it is appended at the very end
 *   of the chain whatever its place in the sampler list.
 * - koboldcpp: off for target <= 0 (default −1); decay clamped to [0.01, 0.99] by its request
 *   layer; the target is not clamped before `2·target − S/W`; it learns right after its own
 *   draw (so `distribution()` moves it) with the chosen token's probability in its filtered
 *   distribution (a stored version of `gpttype_adapter.cpp` says so explicitly; the engines
 *   note's "raw probability before bias" describes an older one); it runs after XTC.
 * Upstream issue table: "off when target < 0" and "decay clamped to [0, 0.99]" hold for
 * llama.cpp only; text-generation-webui and exllamav3 (not profiles) have it too.
 *
 * @example
 * const s = createSampler([{ top_k: 40 }, { temperature: 1 }, { adaptive_p: { target: 0.3, decay: 0.9 } }], { seed: 1 });
 * s.accept(s.sample(logits)); // the next tokens aim at probability 0.3 on average
 */
export function adaptivePSampler({ target, decay }: { target: number; decay: number }, profile: EngineProfile): Sampler {
  const rule = profile.adaptiveP;
  checkParameter('adaptive_p', TARGET, target, rule.decay === 'error' ? TARGET.range : { min: -Infinity, max: Infinity });
  if (rule.decay === 'error') checkParameter('adaptive_p', DECAY, decay, { min: rule.decayRange[0], max: rule.decayRange[1] });
  else checkParameter('adaptive_p', DECAY, decay, { min: -Infinity, max: Infinity });
  const clamped = Math.min(rule.decayRange[1], Math.max(rule.decayRange[0], decay));
  if (!Number.isFinite(1 / (1 - clamped))) throw new InvalidParameterError('adaptive_p.decay', decay, 'a number below 1');
  return adaptiveWithState(rule, target, clamped, initialState(rule, target, clamped));
}

/** What adaptive-p remembers: the running sums, and the probability of the token it drew last (for accept). */
interface AdaptiveState {
  weightedSum: number;
  totalWeight: number;
  pendingId: number;
  pendingProbability: number;
  probs: Float64Array;
}

function initialState(rule: AdaptivePRule, target: number, decay: number): AdaptiveState {
  const round = rule.float32 ? Math.fround : (x: number): number => x;
  // koboldcpp starts at (0, 0) when it is off; it never reads them then.
  const on = !isOff(rule, target);
  return {
    weightedSum: on || rule.off === 'negative' ? round(target / round(1 - decay)) : 0,
    totalWeight: on || rule.off === 'negative' ? round(1 / round(1 - decay)) : 0,
    pendingId: -1,
    pendingProbability: 0,
    probs: new Float64Array(0),
  };
}

function isOff(rule: AdaptivePRule, target: number): boolean {
  return rule.off === 'negative' ? target < 0 : target <= 0;
}

function adaptiveWithState(rule: AdaptivePRule, target: number, decay: number, state: AdaptiveState): Sampler {
  const round = rule.float32 ? Math.fround : (x: number): number => x;
  const off = isOff(rule, target);
  const learn = (probability: number): void => {
    state.weightedSum = round(probability + round(decay * state.weightedSum));
    state.totalWeight = round(1 + round(decay * state.totalWeight));
  };
  return {
    name: 'adaptive_p',
    apply(candidates: Candidates, context: SamplerContext): void {
      state.pendingId = -1;
      if (off) {
        candidates.keepOnly(candidates.ids.indexOf(drawToken(candidates, context.rng)));
        return;
      }
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      state.probs = scratchFloat64(state.probs, candidates.vocabSize);
      const probs = state.probs;
      const max = candidates.maxLogit();
      let sum = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        const weight = round(Math.exp(round((logits[id] as number) - max)));
        probs[id] = weight;
        sum = round(sum + weight);
      }
      const t = rule.clampTarget ? Math.min(1, Math.max(0, target)) : target;
      const raw = state.totalWeight === 0 ? t : round(round(2 * t) - round(state.weightedSum / state.totalWeight));
      const adapted = Math.min(1, Math.max(0, raw));
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        const p = round((probs[id] as number) / sum);
        probs[id] = p;
        const d = Math.abs(round(round(p - adapted) * round(1 / WIDTH)));
        logits[id] = round(PEAK - round(round(SHARPNESS * round(d * d)) / round(1 + d)));
      }
      const chosen = drawToken(candidates, context.rng);
      const p = probs[chosen] as number;
      if (rule.update === 'immediate') learn(p);
      else {
        state.pendingId = chosen;
        state.pendingProbability = p;
      }
      candidates.keepOnly(candidates.ids.indexOf(chosen));
    },
    accept(token: number): void {
      if (rule.update === 'accept' && state.pendingId === token) learn(state.pendingProbability);
      state.pendingId = -1;
    },
    reset(): void {
      const fresh = initialState(rule, target, decay);
      state.weightedSum = fresh.weightedSum;
      state.totalWeight = fresh.totalWeight;
      state.pendingId = -1;
    },
    clone(): Sampler {
      return adaptiveWithState(rule, target, decay, { ...state, probs: state.probs.slice() });
    },
  };
}

const TARGET: ParameterSpec = {
  name: 'target',
  kind: 'number',
  default: -1,
  range: { min: -Infinity, max: 1 },
  neutral: -1,
  atOrBelow: true,
  hint: 'average probability to aim the chosen tokens at; < 0 disables',
  control: { min: -1, max: 1, step: 0.01, initial: 0.3 },
  fields: ['adaptive_target'],
  flag: 'adaptive-target',
};
const DECAY: ParameterSpec = {
  name: 'decay',
  kind: 'number',
  default: 0.9,
  range: { min: 0, max: 0.99 },
  hint: 'memory of the running average (0 = last token only)',
  control: { min: 0, max: 0.99, step: 0.01, initial: 0.9 },
  optional: true,
  fields: ['adaptive_decay'],
  flag: 'adaptive-decay',
};

/** The `adaptive_p` sampler: its parameters, engines and factory. */
export const adaptiveP = defineSampler({
  name: 'adaptive_p',
  summary: 'select a token whose probability steers the running average toward a target',
  parameters: [TARGET, DECAY],
  selects: true,
  engines: {
    knobs: { order: 155 },
    'llama.cpp': { order: 125 },
    koboldcpp: { order: 110 },
  },
  create: adaptivePSampler,
});
