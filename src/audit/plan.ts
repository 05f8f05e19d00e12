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
  /** Power to tell the setting from its nearby setting, when that fits in `maxN` (default 0.99). */
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
  /** Cell probabilities with the knob applied, and ignored (the baseline alone). */
  readonly applied: Float64Array;
  readonly ignored: Float64Array;
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

/** N · (chi-square distance) of `b` from `a`, and the mass `b` puts where `a` has none. */
function tailBias(a: Float64Array, b: Float64Array): { distance: number; outside: number } {
  let distance = 0;
  let outside = 0;
  for (let cell = 0; cell < a.length; cell++) {
    const p = a[cell] as number;
    const q = b[cell] as number;
    if (p > 0) distance += ((q - p) * (q - p)) / p;
    else outside += q;
  }
  return { distance, outside };
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
 * bias the expected counts; it computes the draws needed to reject "ignored" when applied
 * and "applied" when ignored, each with `power` at `alpha`, and, when it takes at most three
 * times as many, to tell the setting from its nearby setting with `resolutionPower` (so that
 * a server that changes the value, top_p 0.9 into 0.95, is caught). It keeps the plan that
 * needs the fewest draws; a plan that does not resolve the nearby setting counts double.
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
  let best: Candidate | undefined;
  for (const position of positions) {
    if (knob.needs === 'prompt-ids' && position.promptIds === undefined) {
      note('it needs a prompt of known token ids, which this target does not take');
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
    let ignored: Float64Array;
    try {
      ignored = expectedCells(space, baseline, rules);
    } catch (error) {
      if (!(error instanceof KnobsError)) throw error;
      note(`the baseline cannot be modelled: ${error.message}`);
      continue;
    }
    for (const setting of settings) {
      const fields = { ...baseline, ...setting };
      let applied: Float64Array;
      try {
        applied = expectedCells(space, fields, rules);
      } catch (error) {
        if (!(error instanceof KnobsError)) throw error;
        note(error.message);
        continue;
      }
      if (totalVariation(applied, ignored) < 1e-6) {
        note('it changes nothing at the positions tried');
        continue;
      }
      const robust = ([0, 1] as const).every((pattern) => {
        const nudged = jittered(space, pattern, JITTER);
        const a = expectedCells(nudged, fields, rules);
        return sameSupport(a, applied) && totalVariation(a, applied) < JITTER_TOLERANCE;
      });
      if (!robust) {
        note('its cut falls at a boundary (a tie or a sum within rounding) at the positions tried');
        continue;
      }
      const range = { min: options.minN, max: options.maxN };
      const nNeeded = Math.max(drawsForPower(applied, ignored, options.alpha, options.power, range), drawsForPower(ignored, applied, options.alpha, options.power, range));
      if (!Number.isFinite(nNeeded)) {
        note(`its effect needs more than ${options.maxN} draws at the positions tried`);
        continue;
      }
      let tailOk = true;
      for (const other of spaces.slice(1)) {
        const alternative = expectedCells(other, fields, rules);
        const bias = tailBias(applied, alternative);
        if (bias.distance * nNeeded > TAIL_TOLERANCE || bias.outside * nNeeded > 0.01) tailOk = false;
      }
      if (!tailOk) {
        note('its effect depends on the tokens past the top log-probabilities, which the target does not show');
        continue;
      }
      let resolution: KnobPlan['resolution'];
      let n = nNeeded;
      let score = 2 * nNeeded;
      const nearby = knob.nearby?.(setting);
      if (nearby !== undefined) {
        try {
          const other = expectedCells(space, { ...baseline, ...nearby }, rules);
          const same = totalVariation(other, applied) < 1e-6;
          const needed = same ? Infinity : drawsForPower(other, applied, options.alpha, options.resolutionPower, { min: options.minN, max: RESOLUTION_BUDGET * nNeeded });
          if (Number.isFinite(needed)) {
            n = Math.max(n, needed);
            score = n;
            resolution = { setting: nearby, nNeeded: needed, power: rejectionPower(other, applied, n, options.alpha) };
          } else {
            resolution = { setting: nearby, note: same ? 'gives the same first-token distribution here' : `needs more than ${RESOLUTION_BUDGET} times the draws of the knob itself here` };
          }
        } catch (error) {
          if (!(error instanceof KnobsError)) throw error;
        }
      } else score = nNeeded;
      const power = Math.min(rejectionPower(applied, ignored, n, options.alpha), rejectionPower(ignored, applied, n, options.alpha));
      if (best === undefined || score < best.score) best = { knob, setting, position, space, applied, ignored, n, nNeeded, power, ...(resolution ? { resolution } : {}), score };
    }
  }
  if (best !== undefined) {
    const { score: _score, ...plan } = best;
    return plan;
  }
  const ranked = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
  return { reason: ranked.length === 0 ? 'no position to test it at' : ranked.map(([reason]) => reason).slice(0, 2).join('; ') };
}
