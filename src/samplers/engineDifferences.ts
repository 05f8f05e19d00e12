import { resolveParameters } from './definition.js';
import { ENGINE_NAMES, listProfiles, type EngineName, type EngineProfile } from './profiles.js';
import { samplerDefinition, samplerDefinitions } from './registry.js';

/** One row of the engine comparison: an aspect and what each engine does. */
export interface EngineAspect {
  readonly aspect: string;
  readonly values: Readonly<Partial<Record<EngineName, string>>>;
  /** Whether the engines disagree on this aspect. */
  readonly differs: boolean;
}

/** What the engine applies for `sampler` when nothing is set: its preset, or `off`. */
function preset(profile: EngineProfile, sampler: string): string {
  const value = samplerDefinitions().find((definition) => definition.name === sampler)?.engines[profile.name]?.preset;
  if (value === undefined) return 'off';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([key, entry]) => `${key} ${String(entry)}`)
    .join(', ');
}

/** The engine's default `last_n` of the penalties (-1: every token). */
const defaultLastN = (profile: EngineProfile): number => resolveParameters(samplerDefinition('penalties'), {}, profile).last_n as number;

const TOP_P: Record<EngineProfile['topP'], string> = {
  prefix: 'smallest prefix with exact mass >= p',
  'prefix-float32': 'smallest prefix with cumsum >= p (float32)',
  'suffix-float32': 'drop ascending cumsum <= 1 - p (float32)',
  'prefix-strict-float32': 'through the first cumsum > p (float32)',
  'exclusive-float32': 'keep while the mass before <= p (float32)',
  'under-p-float32': 'heap walk: a token crossing p is dropped, smaller ones may fit (float32)',
};
const MIN_P: Record<EngineProfile['minP'], string> = {
  logit: 'logit >= max + ln p (float64)',
  'logit-float32': 'logit >= max + logf(p) (float32)',
  'probability-float32': 'prob >= p * max prob (float32)',
};
const TYPICAL: Record<EngineProfile['typical'], string> = {
  inclusive: 'stop when exact mass >= p',
  'strict-float32': 'stop when mass > p (float32)',
  'inclusive-keep-ties': 'stop when mass >= p, keep equally typical tokens',
  exllamav2: 'p + ln p as log-prob; tokens before the one reaching p (float32)',
};
const TFS: Record<EngineProfile['tfs'], string> = {
  exact: 'tokens before the crossing (float64)',
  'llama.cpp-float32': 'tokens before the crossing, min_keep skip, flat -> uniform (float32)',
  'exllamav2-float32': 'one more than before the crossing; flat drops the last (float32)',
};
const SMOOTHING: Record<EngineProfile['smoothing'], string> = {
  exact: 'l_max - k·f·d² + s·f·d³, curve in [1, 3] (float64)',
  'float32-any-curve': 'l_max - k·f·d² + s·f·d³, any curve (float32)',
  'float32-no-curve': 'l_max - f·d² only (float32), before temperature',
};

/** `a, b` for the samplers of `names` an engine has, or `n/a`. */
const has = (p: EngineProfile, name: string): boolean => p.supported.includes(name) && p.ignored[name] === undefined;

/** Every aspect on which engines may differ: name → how to describe one profile. */
const ASPECTS: readonly [string, (profile: EngineProfile) => string][] = [
  ['default order (flag-style settings)', (p) => p.defaultOrder.join(' > ')],
  [
    'samplers not available',
    (p) =>
      samplerDefinitions()
        .map((definition) => definition.name)
        .filter((name) => !p.supported.includes(name))
        .join(', ') || 'none',
  ],
  [
    'knobs accepted but ignored',
    (p) =>
      Object.keys(p.ignored)
        .sort()
        .join(', ') || 'none',
  ],
  ['sampling when nothing is set', (p) => p.samplingByDefault],
  ['default temperature', (p) => preset(p, 'temperature')],
  ['default top_k', (p) => preset(p, 'top_k')],
  ['default top_p', (p) => preset(p, 'top_p')],
  ['default min_p', (p) => preset(p, 'min_p')],
  ['default penalties', (p) => preset(p, 'penalties')],
  ['temperature = 0', (p) => (p.temperature.zero === 'greedy' ? 'greedy (first maximum)' : 'rejected (use greedy)')],
  ['temperature < 0', (p) => (p.temperature.negative === 'greedy' ? 'greedy (first maximum)' : 'rejected')],
  ['tiny temperature', (p) => (p.temperature.greedyBelow > 0 ? `< ${p.temperature.greedyBelow} greedy; below ${p.temperature.floor} raised to ${p.temperature.floor}` : 'used as given')],
  ['temperature arithmetic', (p) => (p.temperature.float32 ? 'float32 division' : 'float64 multiply by 1/t')],
  ['top-k ties with the k-th', (p) => (p.topKTies === 'exact' ? 'exactly k (lower ids first)' : 'keeps every tied token')],
  ['top-k with k < 0', (p) => (p.topKNegative === 'disabled' ? 'disables top-k' : p.topKNegative === 'minus-one-only' ? '-1 disables; 0 and others rejected' : 'rejected')],
  ['top-k and top-p together', (p) => (p.topKTopP === 'sequential' ? 'top-p on the renormalised top-k' : 'joint (top-p mass over all tokens) unless min-p is set')],
  ['hidden top-k', (p) => (p.prefilterTopK > 0 ? `always top-k ${p.prefilterTopK} after bias and DRY` : 'none')],
  ['top-p rule', (p) => (has(p, 'top_p') ? TOP_P[p.topP] : 'n/a')],
  ['top-p ties at the cut', (p) => (!has(p, 'top_p') ? 'n/a' : p.topP === 'suffix-float32' || p.topP === 'under-p-float32' ? 'higher ids kept' : 'lower ids kept')],
  ['top-p p = 0', (p) => (!has(p, 'top_p') ? 'n/a' : p.topPZero === 'keep-one' ? 'keeps one token' : p.topPZero === 'disabled' ? 'disables top-p' : 'rejected: p in (0, 1]')],
  ['top-p 1 - p', (p) => (p.topP !== 'suffix-float32' || !has(p, 'top_p') ? 'n/a' : p.topPComplement === 'float32' ? 'computed in float32' : 'float64, rounded to float32')],
  ['min-p rule', (p) => (has(p, 'min_p') ? MIN_P[p.minP] : 'n/a')],
  ['min-p p > 1', (p) => (!has(p, 'min_p') ? 'n/a' : p.minPAboveOne === 'keep-max' ? 'keeps the maximum' : p.minPAboveOne === 'ignored' ? 'ignored (p >= 1)' : 'rejected: p in [0, 1]')],
  ['typical-p stop', (p) => (has(p, 'typical_p') ? TYPICAL[p.typical] : 'n/a')],
  ['top-n-sigma', (p) => (!p.supported.includes('top_n_sigma') ? 'n/a' : `${p.topNSigma.float32 ? 'float32' : 'float64'}; n < 0 ${p.topNSigma.negative === 'disabled' ? 'disables' : 'rejected'}`)],
  ['epsilon / eta compare', (p) => (!has(p, 'epsilon') && !has(p, 'eta') ? 'n/a' : p.cutoffFloat32 ? 'float32 probabilities' : 'exact masses')],
  ['xtc top choices', (p) => (!has(p, 'xtc') ? 'n/a' : p.xtcRemoval === 'remove' ? 'removed' : 'logit - 999 (stay candidates)')],
  ['top-h', (p) => (!has(p, 'top_h') ? 'n/a' : `top 100 only; ${p.topH === 'exact' ? 'float64' : 'float32'}`)],
  ['top-a', (p) => (!has(p, 'top_a') ? 'n/a' : `drop p < a·p_max² (${p.topA === 'exact' ? 'float64' : 'float32'})`)],
  ['tail-free keeps', (p) => (has(p, 'tfs') ? TFS[p.tfs] : 'n/a')],
  ['smoothing', (p) => (has(p, 'smoothing') ? SMOOTHING[p.smoothing] : 'n/a')],
  [
    'adaptive-p',
    (p) =>
      !has(p, 'adaptive_p')
        ? 'n/a'
        : `off when target ${p.adaptiveP.off === 'negative' ? '< 0' : '<= 0'}; decay ${p.adaptiveP.decay === 'clamp' ? 'clamped to' : 'in'} [${p.adaptiveP.decayRange.join(', ')}]; learns ${p.adaptiveP.update === 'accept' ? 'on accept' : 'at its draw'}`,
  ],
  ['skew draw', (p) => (!has(p, 'skew') ? 'n/a' : p.skewScale === 1 ? 'r^(e^-skew)' : `r^(e^-skew) × ${p.skewScale}`)],
  ['min_tokens masks', (p) => (!has(p, 'min_tokens') ? 'n/a' : p.minTokensMask === 'remove' ? 'stop ids -inf' : 'stop ids set to -1e30')],
  [
    'bad_words match',
    (p) => (!has(p, 'bad_words') ? 'n/a' : `${p.badWords.history === 'generated' ? 'generated tokens' : 'prompt + generated'}${p.badWords.dropEos ? '; [eos] dropped' : ''}`),
  ],
  ['min_keep default', (p) => String(p.minKeep)],
  ['repetition penalty counts', (p) => (p.penalties.window ? `last last_n of prompt + generated (default ${defaultLastN(p) === -1 ? 'all' : defaultLastN(p)})` : 'all prompt + generated tokens')],
  ['repetition penalty multiplies', (p) => (p.penalties.repeatSign === 'multiply-at-or-below-zero' ? 'logits <= 0 (divides the rest)' : 'logits < 0 (divides the rest)')],
  ['repetition penalty divides by', (p) => (p.penalties.repeatDivision === 'divide' ? 'repeat' : 'multiplying by fl32(1 / repeat)')],
  ['frequency / presence arithmetic', (p) => (p.penalties.additiveCounts === 'none' ? 'n/a' : p.penalties.additive === 'combined' ? 'one subtraction of count·f + presence' : 'count·f, then presence')],
  [
    'frequency / presence count',
    (p) =>
      p.penalties.additiveCounts === 'none'
        ? 'n/a (no such penalty)'
        : `${p.penalties.additiveCounts === 'generated' ? 'generated tokens only' : 'same window as repetition'}${p.penalties.additiveRange ? `, in [${p.penalties.additiveRange.join(', ')}]` : ''}`,
  ],
  ['penalty arithmetic', (p) => (p.penalties.float32 ? 'float32' : 'float64')],
  ['logit_bias', (p) => `${p.logitBias.clamp === Infinity ? 'unclamped' : `clamped to ±${p.logitBias.clamp}`}; unknown ids ${p.logitBias.outOfVocab === 'error' ? 'rejected' : 'ignored'}`],
];

/**
 * How the engine profiles differ, aspect by aspect (`all = false`: only the aspects where
 * they disagree). `engines` restricts the comparison to some profiles (default: every one).
 * This is what `knobs engines` prints.
 *
 * @example
 * engineDifferences().find((row) => row.aspect === 'top-k ties with the k-th')?.values.hf; // 'keeps every tied token'
 * engineDifferences(false, ['llama.cpp', 'ollama']); // the rows where those two differ
 */
export function engineDifferences(all = false, engines: readonly EngineName[] = ENGINE_NAMES): EngineAspect[] {
  const profiles = listProfiles().filter((profile) => engines.includes(profile.name));
  const rows = ASPECTS.map(([aspect, describe]) => {
    const values = Object.fromEntries(profiles.map((profile) => [profile.name, describe(profile)])) as Partial<Record<EngineName, string>>;
    const differs = new Set(profiles.map((profile) => values[profile.name])).size > 1;
    return { aspect, values, differs };
  });
  return all ? rows : rows.filter((row) => row.differs);
}
