import { KnobsError } from '../core/errors.js';
import type { ExpectationRules } from './expected.js';
import { modelSpaces } from './modelSpace.js';
import { modelOf, type KnobPlan } from './plan.js';
import { logLikelihoodRatio, pooledFit, type PooledFit } from './pooledFit.js';
import type { Fields, FitSummary, Verdict } from './types.js';

/** What the draws of one knob say. */
export interface Judgement {
  readonly verdict: Verdict;
  readonly pValue: number | null;
  readonly summary: string;
  readonly applied: FitSummary;
  readonly ignored: FitSummary;
  /** ln L(applied) − ln L(ignored): positive favours "applied". */
  readonly logLikelihoodRatio: number;
  /** For `different`: the settings of the knob that the draws fit, and the best p-value among them (null: none fits). */
  readonly bestFit?: { readonly settings: readonly Fields[]; readonly p_value: number } | null;
}

/**
 * A p-value as text: two significant digits, scientific below 0.001, `0` when a draw was impossible.
 *
 * @example
 * formatP(3.2e-7); // '3.2e-7'
 */
export function formatP(p: number): string {
  if (p === 0) return '0';
  if (p >= 0.001) return p.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  const [mantissa, exponent] = p.toExponential(1).split('e');
  return `${mantissa}e${Number(exponent)}`;
}

/**
 * A setting as text.
 *
 * @example
 * describeSetting({ xtc_threshold: 0.1, xtc_probability: 0.5 }); // 'xtc_threshold 0.1, xtc_probability 0.5'
 * describeSetting({ logit_bias: { 7: 3 } }); // 'logit_bias {"7":3}'
 */
export function describeSetting(setting: Fields): string {
  return Object.entries(setting)
    .map(([field, value]) => `${field} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

function summary(fit: PooledFit, labels: readonly string[]): FitSummary {
  return {
    p_value: fit.pValue,
    g: fit.g,
    chi2: fit.chi2,
    df: fit.degreesOfFreedom,
    ...(fit.impossible ? { impossible: { token: labels[fit.impossible.cell] ?? `cell ${fit.impossible.cell}`, count: fit.impossible.count } } : {}),
  };
}

function why(fit: PooledFit, labels: readonly string[], model: string): string {
  if (fit.impossible) return `${JSON.stringify(labels[fit.impossible.cell])} was drawn ${fit.impossible.count} time(s), which ${model} forbids`;
  return `G = ${fit.g.toFixed(1)} on ${fit.degreesOfFreedom} df`;
}

/**
 * The verdict on a knob from its draws (counts per cell of the plan's position): each
 * model — knob applied, knob ignored — is tested with `pooledFit` at level `alpha`.
 * `applied`: the draws fit "applied" and reject "ignored"; `ignored`: the reverse;
 * `different`: they reject both (then the knob's scan values are tested, to say which
 * settings the draws do fit); both fitting gives `untestable` (too few draws to tell).
 *
 * @example
 * judgeKnob(plan, counts, labels, 1e-4, rules).verdict; // 'applied'
 */
export function judgeKnob(plan: KnobPlan, observed: ArrayLike<number>, labels: readonly string[], alpha: number, rules: ExpectationRules, baseline: Fields): Judgement {
  const fitApplied = pooledFit(observed, plan.applied);
  const fitIgnored = pooledFit(observed, plan.ignored);
  const applied = summary(fitApplied, labels);
  const ignored = summary(fitIgnored, labels);
  const llr = logLikelihoodRatio(observed, plan.applied, plan.ignored);
  const setting = describeSetting(plan.setting);
  const base = { applied, ignored, logLikelihoodRatio: llr };
  const fitsApplied = fitApplied.pValue >= alpha;
  const fitsIgnored = fitIgnored.pValue >= alpha;
  if (fitsApplied && !fitsIgnored) {
    return { ...base, verdict: 'applied', pValue: fitIgnored.pValue, summary: `the draws fit ${setting} applied (p = ${formatP(fitApplied.pValue)}) and reject it ignored (p = ${formatP(fitIgnored.pValue)}: ${why(fitIgnored, labels, 'the neutral distribution')})` };
  }
  if (fitsIgnored && !fitsApplied) {
    return { ...base, verdict: 'ignored', pValue: fitApplied.pValue, summary: `the draws fit the neutral distribution (p = ${formatP(fitIgnored.pValue)}) and reject ${setting} applied (p = ${formatP(fitApplied.pValue)}: ${why(fitApplied, labels, setting)})` };
  }
  if (fitsApplied && fitsIgnored) {
    return { ...base, verdict: 'untestable', pValue: null, summary: `inconclusive: the draws fit both ${setting} applied (p = ${formatP(fitApplied.pValue)}) and ignored (p = ${formatP(fitIgnored.pValue)})` };
  }
  const bestFit = scanFits(plan, observed, alpha, rules, baseline);
  const fits = bestFit === null ? 'no other setting of the knob fits either' : `they fit ${bestFit.settings.length === 1 ? describeSetting(bestFit.settings[0] as Fields) : `${describeSetting(bestFit.settings[0] as Fields)} ... ${describeSetting(bestFit.settings[bestFit.settings.length - 1] as Fields)}`} (best p = ${formatP(bestFit.p_value)})`;
  return {
    ...base,
    verdict: 'different',
    pValue: Math.max(fitApplied.pValue, fitIgnored.pValue),
    summary: `the draws fit neither ${setting} applied (p = ${formatP(fitApplied.pValue)}: ${why(fitApplied, labels, setting)}) nor ignored (p = ${formatP(fitIgnored.pValue)}); ${fits}`,
    bestFit,
  };
}

/** The scanned settings of the knob that the draws fit at `alpha`, in scan order, or null. */
function scanFits(plan: KnobPlan, observed: ArrayLike<number>, alpha: number, rules: ExpectationRules, baseline: Fields): { settings: Fields[]; p_value: number } | null {
  const fitting: Fields[] = [];
  let best = 0;
  const spaces = modelSpaces(plan.position);
  for (const setting of plan.knob.scan?.(plan.setting) ?? []) {
    let expected: Float64Array;
    try {
      expected = modelOf(spaces, { ...baseline, ...setting }, rules).model;
    } catch (error) {
      if (error instanceof KnobsError) continue;
      throw error;
    }
    const p = pooledFit(observed, expected).pValue;
    if (p >= alpha) {
      fitting.push(setting);
      best = Math.max(best, p);
    }
  }
  return fitting.length === 0 ? null : { settings: fitting, p_value: best };
}
