import { createSampler } from './chain.js';
import { ENGINE_NAMES, getProfile, type EngineName, type EngineProfile, type TopPRule } from './profiles.js';
import type { StageSpec } from './spec.js';

/** Why a top-p rule keeps a different number of tokens than the exact rule (`knobs`). */
export const TOP_P_WHY: Readonly<Record<TopPRule, string>> = {
  prefix: 'the exact rule: the smallest prefix whose exact mass reaches p',
  'prefix-float32':
    'a float32 running sum in descending order, compared with (float) p: once the probabilities it adds fall below half an ulp of the sum (3e-8 near 0.9) it stops growing, so the cut comes later; its float32 normaliser, summed in id order, also moves it',
  'suffix-float32': 'float32 cumulative sums from the least likely token up (PyTorch): equal to the exact rule except at exact boundaries and in ties, where the higher ids stay',
  'prefix-strict-float32': 'a float32 running sum in descending order that must exceed (float) p (strict): it stalls on a long tail as llama.cpp\'s does',
  'exclusive-float32': 'a float32 running sum: a token stays while the mass before it is <= p, so the crossing token stays and the sum stalls on a long tail',
  'under-p-float32': 'a min-heap walk in array order that drops the token crossing p and lets smaller later ones fit under it: not a prefix',
};

/**
 * Why an engine's top-p keeps `kept` tokens where the exact rule keeps another count: it
 * ignores top_p, a top-k of its own ran first (koboldcpp), or its rule (`TOP_P_WHY`).
 *
 * @example
 * topPWhy(getProfile('koboldcpp'), 1124); // 'a top-k of 3000 runs first, always; then ...'
 */
export function topPWhy(profile: EngineProfile, kept: number): string {
  const ignored = profile.ignored.top_p;
  if (ignored !== undefined) return `top_p is ignored: ${ignored}`;
  if (profile.prefilterTopK > 0 && kept <= profile.prefilterTopK) return `a top-k of ${profile.prefilterTopK} runs first, always; then ${TOP_P_WHY[profile.topP]}`;
  return TOP_P_WHY[profile.topP];
}

/** The profile whose top-p is the exact rule (`topP: 'prefix'`): the reference the others are compared with. */
export const EXACT_TOP_P_ENGINE: EngineName = ENGINE_NAMES.find((name) => getProfile(name).topP === 'prefix') ?? 'knobs';

/** One engine's top-p on one row. */
export interface TopPKept {
  readonly engine: EngineName;
  readonly rule: TopPRule;
  /** Tokens kept (the decision). */
  readonly kept: number;
  /** Why it differs from the exact rule, when it does (empty when the same). */
  readonly why: string;
}

/**
 * How many tokens each engine's top-p keeps on one row (after `temperature`), against the
 * exact rule of the `knobs` profile, and why they differ. On large vocabularies the float32
 * running sum of llama.cpp keeps thousands of tokens more: on the embedded model's row for
 * "The weather today is", top-p 0.95 keeps 5,415 tokens exactly and 6,015 under llama.cpp.
 *
 * @example
 * topPByEngine(logits, 0.95).map((e) => `${e.engine} ${e.kept}`); // ['knobs 5415', 'llama.cpp 6015', ...]
 */
export function topPByEngine(logits: Float32Array, p: number, temperature = 1, engines: readonly EngineName[] = ENGINE_NAMES): TopPKept[] {
  const chain: StageSpec[] = temperature === 1 ? [{ top_p: p }] : [{ temperature }, { top_p: p }];
  const mask = new Uint8Array(logits.length);
  const kept = (engine: EngineName): number => {
    createSampler(chain, { engine }).distribution(logits, undefined, mask);
    let count = 0;
    for (let i = 0; i < mask.length; i++) count += mask[i] as number;
    return count;
  };
  const exact = kept(EXACT_TOP_P_ENGINE);
  return engines.map((engine) => {
    const profile = getProfile(engine);
    const rule = profile.topP;
    const count = engine === EXACT_TOP_P_ENGINE ? exact : kept(engine);
    return { engine, rule, kept: count, why: count === exact ? '' : topPWhy(profile, count) };
  });
}
