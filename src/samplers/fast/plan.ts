import type { EngineProfile } from '../profiles.js';

/**
 * One stage of a chain the fast path can run, with its parameters as the sampler's
 * definition resolved them (`resolveParameters`) and the profile's rules applied.
 */
export type FastStage =
  /** Temperature: `mode` 0 neutral (t = 1), 1 `fl(x · d)` with d = 1/t exact in float32, 2 the same in float64, 3 `fl(x / d)` with d = fl(t). */
  | { readonly kind: 'temperature'; readonly mode: 0 | 1 | 2 | 3; readonly d: number; readonly inverse: number }
  /** Keeps the first maximum (greedy, or temperature 0 / below the engine's greedy limit). */
  | { readonly kind: 'greedy' }
  | { readonly kind: 'top_k'; readonly k: number; readonly keep: number; readonly keepTies: boolean }
  /** Top-p, `prefix` rule (float64 weights `exp32`, cumulative ≥ p·total). */
  | { readonly kind: 'top_p'; readonly p: number; readonly minKeep: number }
  /** Min-p on logits: keep `v ≥ max + ln p` (float64), or its float32 form. */
  | { readonly kind: 'min_p'; readonly p: number; readonly minKeep: number; readonly float32: boolean };

/** A chain the fast path can run: its stages, and for each whether a top-p stage follows it. */
export interface FastPlan {
  readonly stages: readonly FastStage[];
  readonly topPAfter: readonly boolean[];
}

/** A stage with every parameter resolved. */
export interface ResolvedStage {
  readonly name: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * Recognises a chain made only of temperature, top_k, top_p, min_p and greedy stages whose
 * rules under `profile` the fast path implements; returns null for anything else (the chain
 * then always runs the reference per-stage path).
 *
 * @example
 * planFastChain([{ name: 'top_k', parameters: { k: 40, min_keep: 0 } }], getProfile('knobs'));
 * // { stages: [{ kind: 'top_k', k: 40, keep: 40, keepTies: false }], topPAfter: [false] }
 */
export function planFastChain(stages: readonly ResolvedStage[], profile: EngineProfile): FastPlan | null {
  const planned: FastStage[] = [];
  for (const stage of stages) {
    const next = planStage(stage, profile);
    if (next === null) return null;
    planned.push(next);
  }
  const topPAfter = planned.map((_, index) => planned.slice(index + 1).some((stage) => stage.kind === 'top_p'));
  return { stages: planned, topPAfter };
}

function planStage(stage: ResolvedStage, profile: EngineProfile): FastStage | null {
  const number = (name: string): number => stage.parameters[name] as number;
  switch (stage.name) {
    case 'greedy':
      return { kind: 'greedy' };
    case 'temperature': {
      const rule = profile.temperature;
      const t = number('t');
      if (t < 0 && rule.negative === 'flip') return null;
      if (t <= 0 || t < rule.greedyBelow) return { kind: 'greedy' };
      const effective = t < rule.floor ? rule.floor : t;
      if (effective === 1) return { kind: 'temperature', mode: 0, d: 1, inverse: 1 };
      if (rule.float32) {
        const d = Math.fround(effective);
        return { kind: 'temperature', mode: 3, d, inverse: 1 / d };
      }
      const inverse = 1 / effective;
      return { kind: 'temperature', mode: Math.fround(inverse) === inverse ? 1 : 2, d: inverse, inverse };
    }
    case 'top_k': {
      const k = number('k');
      return { kind: 'top_k', k, keep: Math.max(k, number('min_keep')), keepTies: profile.topKTies === 'keep-ties' };
    }
    case 'top_p':
      return profile.topP === 'prefix' ? { kind: 'top_p', p: number('p'), minKeep: number('min_keep') } : null;
    case 'min_p': {
      const p = number('p');
      if (p > 1 || (profile.minP !== 'logit' && profile.minP !== 'logit-float32')) return null;
      return { kind: 'min_p', p, minKeep: number('min_keep'), float32: profile.minP === 'logit-float32' };
    }
    default:
      return null;
  }
}
