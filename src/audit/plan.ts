import { KnobsError } from '../core/errors.js';
import { expectedCells, type ExpectationRules } from './expected.js';
import type { KnobDefinition } from './knobDefinitions.js';
import { jittered, modelSpaces, type ModelSpace } from './modelSpace.js';
import type { Position } from './position.js';
import { drawsForPower, rejectionPower } from './power.js';
import type { Fields } from './types.js';

/** How much evidence the audit asks for. */
export interface PlanOptions {
  /** Significance level of each test (default 1e-4). */
  readonly alpha: number;
  /** Power to reject "ignored" when the knob is applied, and "applied" when it is ignored (default 0.999). */
  readonly power: number;
  /** Power to tell the setting from its nearby setting, when that costs at most three times the draws (default 0.99). */
  readonly resolutionPower: number;
  /** Fewest draws per knob (default 100). */
  readonly minN: number;
  /** Most draws per knob (default 4000). */
  readonly maxN: number;
}

/** A knob ready to be measured: where, with what, how many draws, and what each model expects. */
export interface KnobPlan {
  readonly knob: KnobDefinition;
  /** The knob's fields (without the baseline). */
  readonly setting: Fields;
  readonly position: Position;
  /** The space the expectations were computed in (the first of `modelSpaces(position)`). */
  readonly space: ModelSpace;
  /**
   * The models tested: cell probabilities with the knob applied, and ignored (the baseline
   * alone). The "other" cell is NaN where the unseen tail leaves it unknown (the test is then
   * conditional on the listed tokens).
   */
  readonly applied: Float64Array;
  readonly ignored: Float64Array;
  /** The same with the tail as the first space assumes it (a plausible truth, for power and charts). */
  readonly appliedTruth: Float64Array;
  readonly ignoredTruth: Float64Array;
  readonly n: number;
  /** Draws needed for `power` against "ignored" (and against "applied" when ignored). */
  readonly nNeeded: number;
  /** The power at `n`: the smaller of the two. */
  readonly power: number;
  readonly resolution?: { readonly setting: Fields; readonly nNeeded: number; readonly power: number } | { readonly setting: Fields; readonly note: string };
}

/** Why a knob cannot be measured at any position. */
export interface Unplannable {
  readonly reason: string;
}

/** Logit nudge that tells a boundary position (a tie, a sum next to p). */
const JITTER = 1e-3;
/** Largest total variation a nudge may cause in a robust position. */
const JITTER_TOLERANCE = 0.01;
/** Draws spent on telling the nearby setting apart: at most this many times the draws the knob itself needs. */
const RESOLUTION_BUDGET = 3;
/** Largest bias (as chi-square units, N · Σ Δ² / p) that the unseen tail may add to the expected counts. */
const TAIL_TOLERANCE = 0.2;

const totalVariation = (a: Float64Array, b: Float64Array): number => {
  let sum = 0;
  for (let cell = 0; cell < a.length; cell++) sum += Math.abs((a[cell] as number) - (b[cell] as number));
  return sum / 2;
};

const sameSupport = (a: Float64Array, b: Float64Array): boolean => a.every((value, cell) => value > 0 === (b[cell] as number) > 0);

/** The listed tokens' probabilities given that one of them is drawn (the last cell, "other", left out). */
function headConditional(cells: Float64Array): Float64Array {
  const head = cells.subarray(0, cells.length - 1);
  let total = 0;
  for (const p of head) total += p;
  return total > 0 ? head.map((p) => p / total) : head.slice();
}

/** Chi-square distance of `b` from `a` per draw, and the mass `b` puts where `a` has none. */
function distance(a: Float64Array, b: Float64Array): { distance: number; outside: number } {
  let sum = 0;
  let outside = 0;
  for (let cell = 0; cell < a.length; cell++) {
    const p = a[cell] as number;
    const q = b[cell] as number;
    if (p > 0) sum += ((q - p) * (q - p)) / p;
    else outside += q;
  }
  return { distance: sum, outside };
}

/**
 * The model to test from its computations under each tail assumption: the first's
 * probabilities, with the "other" cell kept only when every assumption gives it the same
 * probability (0 when a knob surely removes the tail, the tail's own mass when nothing acts
 * on it), else NaN (unknown: the test conditions on the listed tokens). `spread` is how far
 * the assumptions disagree on the listed tokens' conditional distribution (chi-square per
 * draw, and mass where the first gives none).
 *
 * @example
 * testedModel([Float64Array.of(0.6, 0.4, 0), Float64Array.of(0.6, 0.4, 0)]).model; // [0.6, 0.4, 0]: the tail surely removed
 * testedModel([Float64Array.of(0.5, 0.3, 0.2), Float64Array.of(0.55, 0.33, 0.12)]).model[2]; // NaN: the tail's share is unknown
 */
export function testedModel(variants: readonly Float64Array[]): { model: Float64Array; spread: { distance: number; outside: number } } {
  const reference = variants[0] as Float64Array;
  const last = reference.length - 1;
  const model = reference.slice();
  let spread = { distance: 0, outside: 0 };
  const other = reference[last] as number;
  const agree = variants.every((variant) => {
    const value = variant[last] as number;
    return Math.abs(value - other) <= 1e-6 + 1e-3 * Math.max(value, other);
  });
  if (!agree) model[last] = NaN;
  const head = headConditional(reference);
  for (const variant of variants.slice(1)) {
    const d = distance(head, headConditional(variant));
    spread = { distance: Math.max(spread.distance, d.distance), outside: Math.max(spread.outside, d.outside) };
  }
  return { model, spread };
}

/**
 * The tested model of `fields` at a position (computed under every tail assumption), with the
 * first assumption's concrete probabilities as a plausible truth.
 *
 * @example
 * modelOf(modelSpaces(position), { temperature: 1, top_k: 2 }, rules).model;
 */
export function modelOf(spaces: readonly ModelSpace[], fields: Fields, rules: ExpectationRules): { model: Float64Array; truth: Float64Array; spread: { distance: number; outside: number } } {
  const variants = spaces.map((space) => expectedCells(space, fields, rules));
  return { ...testedModel(variants), truth: variants[0] as Float64Array };
}

interface Candidate extends KnobPlan {
  readonly score: number;
}

/**
 * Chooses where and how to test a knob: for every setting the knob proposes (or the one the
 * user fixed) and every position whose prompt suits it, the expected first-token
 * distribution with the knob applied and with it ignored (the baseline alone); it rejects
 * positions where the knob changes nothing, where a nudge of the logits by 0.001 changes
 * the cut (a boundary), or where the unseen tail of a top-log-probability position could
 * bias the expected counts of the listed tokens; it computes the draws needed to reject
 * "ignored" when applied and "applied" when ignored, each with `power` at `alpha`, and, when
 * it takes at most three times as many, to tell the setting from its nearby setting with
 * `resolutionPower` (so that a server that changes the value, top_p 0.9 into 0.95, is
 * caught: were the nearby setting applied, both "applied" and "ignored" are rejected). It keeps the plan that needs the fewest draws; a plan that does not resolve the
 * nearby setting counts double.
 *
 * @example
 * const plan = planKnob(knobDefinition('top_p'), positions, { temperature: 1 }, rules, options);
 * if ('reason' in plan) console.log(plan.reason); else console.log(plan.setting, plan.n);
 */
export function planKnob(knob: KnobDefinition, positions: readonly Position[], baseline: Fields, rules: ExpectationRules, options: PlanOptions, fixedValue?: number): KnobPlan | Unplannable {
  const reasons = new Map<string, number>();
  const note = (reason: string): void => {
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  };
  const range = { min: options.minN, max: options.maxN };
  let best: Candidate | undefined;
  for (const position of positions) {
    if (knob.needs === 'prompt-ids' && position.promptIds === undefined) {
      note('it needs a prompt of known token ids, which this target does not take');
      continue;
    }
    if (knob.needsWholeDistribution && position.tailMass > 0) {
      note('its cut depends on the entropy or spread of the whole distribution, which top log-probabilities do not give');
      continue;
    }
    const context = { head: position.head };
    const fixed = fixedValue === undefined ? undefined : knob.fromValue(fixedValue, context);
    const settings: Fields[] = fixedValue === undefined ? knob.candidates(context) : fixed === undefined ? [] : [fixed];
    if (settings.length === 0) {
      note(knob.needs === 'token-ids' ? 'it needs token ids, which this target does not name' : 'no setting fits this position');
      continue;
    }
    const spaces = modelSpaces(position);
    const space = spaces[0] as ModelSpace;
    let ignored: ReturnType<typeof modelOf>;
    try {
      ignored = modelOf(spaces, baseline, rules);
    } catch (error) {
      if (!(error instanceof KnobsError)) throw error;
      note(`the baseline cannot be modelled: ${error.message}`);
      continue;
    }
    for (const setting of settings) {
      const fields = { ...baseline, ...setting };
      let applied: ReturnType<typeof modelOf>;
      try {
        applied = modelOf(spaces, fields, rules);
      } catch (error) {
        if (!(error instanceof KnobsError)) throw error;
        note(error.message);
        continue;
      }
      if (totalVariation(applied.truth, ignored.truth) < 1e-6) {
        note('it changes nothing at the positions tried');
        continue;
      }
      const robust = ([0, 1] as const).every((pattern) => {
        const nudged = expectedCells(jittered(space, pattern, JITTER), fields, rules);
        return sameSupport(nudged, applied.truth) && totalVariation(nudged, applied.truth) < JITTER_TOLERANCE;
      });
      if (!robust) {
        note('its cut falls at a boundary (a tie or a sum within rounding) at the positions tried');
        continue;
      }
      const nNeeded = Math.max(drawsForPower(applied.truth, ignored.model, options.alpha, options.power, range), drawsForPower(ignored.truth, applied.model, options.alpha, options.power, range));
      if (!Number.isFinite(nNeeded)) {
        note(`its effect needs more than ${options.maxN} draws at the positions tried`);
        continue;
      }
      const biased = [applied, ignored].some((model) => model.spread.distance * nNeeded > TAIL_TOLERANCE || model.spread.outside * nNeeded > 0.01);
      if (biased) {
        note('its effect on the listed tokens depends on the tokens past the top log-probabilities, which the target does not show');
        continue;
      }
      let resolution: KnobPlan['resolution'];
      let n = nNeeded;
      let score = 2 * nNeeded;
      const nearby = knob.nearby?.(setting);
      if (nearby !== undefined) {
        try {
          // Were the nearby setting applied instead, the draws must reject both "applied" and "ignored" (a `different` verdict).
          const other = expectedCells(space, { ...baseline, ...nearby }, rules);
          const same = totalVariation(other, applied.truth) < 1e-6 || totalVariation(other, ignored.truth) < 1e-6;
          const budget = { min: options.minN, max: Math.max(options.minN, RESOLUTION_BUDGET * nNeeded) };
          const needed = same ? Infinity : Math.max(drawsForPower(other, applied.model, options.alpha, options.resolutionPower, budget), drawsForPower(other, ignored.model, options.alpha, options.resolutionPower, budget));
          if (Number.isFinite(needed)) {
            n = Math.max(n, needed);
            score = n;
            resolution = { setting: nearby, nNeeded: needed, power: Math.min(rejectionPower(other, applied.model, n, options.alpha), rejectionPower(other, ignored.model, n, options.alpha)) };
          } else {
            resolution = { setting: nearby, note: same ? 'gives the same first-token distribution here' : `needs more than ${RESOLUTION_BUDGET} times the draws of the knob itself here` };
          }
        } catch (error) {
          if (!(error instanceof KnobsError)) throw error;
        }
      } else score = nNeeded;
      const power = Math.min(rejectionPower(applied.truth, ignored.model, n, options.alpha), rejectionPower(ignored.truth, applied.model, n, options.alpha));
      if (best === undefined || score < best.score) {
        best = { knob, setting, position, space, applied: applied.model, ignored: ignored.model, appliedTruth: applied.truth, ignoredTruth: ignored.truth, n, nNeeded, power, ...(resolution ? { resolution } : {}), score };
      }
    }
  }
  if (best !== undefined) {
    const { score: _score, ...plan } = best;
    return plan;
  }
  const ranked = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
  return { reason: ranked.length === 0 ? 'no position to test it at' : ranked.map(([reason]) => reason).slice(0, 2).join('; ') };
}
