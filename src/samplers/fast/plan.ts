import type { EngineProfile } from '../profiles.js';
import type { ParsedStage } from '../spec.js';

/**
 * One stage of a chain the fast path can run, with its parameters resolved under the
 * engine profile exactly as the reference sampler resolves them (`registry.ts` and the
 * sampler files are the spec; `test/speed` checks that both agree).
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

/**
 * Recognises a chain made only of temperature, top_k, top_p, min_p and greedy stages whose
 * rules under `profile` the fast path implements; returns null for anything else (the chain
 * then always runs the reference per-stage path). Reads the profile's fields (`temperature`,
 * `topKTies`, `topP`, `minP`, `minKeep`): a rule it does not know disables the fast path.
 *
 * @example
 * planFastChain(parseChain('top_k=40,top_p=0.95,temperature=0.8'), getProfile('knobs'));
 * // { stages: [{ kind: 'top_k', k: 40, ... }, { kind: 'top_p', p: 0.95, ... }, { kind: 'temperature', ... }], ... }
 */
export function planFastChain(stages: readonly ParsedStage[], profile: EngineProfile): FastPlan | null {
  const fields = profile as unknown as Record<string, unknown>;
  const planned: FastStage[] = [];
  for (const stage of stages) {
    const next = planStage(stage, fields);
    if (next === null) return null;
    planned.push(next);
  }
  const topPAfter = planned.map((_, index) => planned.slice(index + 1).some((stage) => stage.kind === 'top_p'));
  return { stages: planned, topPAfter };
}

interface TemperatureRuleFields {
  zero?: unknown;
  negative?: unknown;
  greedyBelow?: unknown;
  floor?: unknown;
  float32?: unknown;
}

function planStage(stage: ParsedStage, profile: Record<string, unknown>): FastStage | null {
  const parameters = stage.parameters;
  const number = (name: string): number | undefined => {
    const value = parameters[name];
    return typeof value === 'number' ? value : undefined;
  };
  const minKeepDefault = typeof profile.minKeep === 'number' ? profile.minKeep : 1;
  switch (stage.name) {
    case 'greedy':
      return { kind: 'greedy' };
    case 'temperature': {
      const rule = (profile.temperature ?? { greedyBelow: 0, floor: 0, float32: false }) as TemperatureRuleFields;
      if (typeof rule.greedyBelow !== 'number' || typeof rule.floor !== 'number' || typeof rule.float32 !== 'boolean') return null;
      const t = number('t') ?? 1;
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
      const ties = profile.topKTies ?? 'exact';
      if (ties !== 'exact' && ties !== 'keep-ties') return null;
      const k = number('k') ?? 0;
      const minKeep = number('min_keep') ?? 0;
      return { kind: 'top_k', k, keep: Math.max(k, minKeep), keepTies: ties === 'keep-ties' };
    }
    case 'top_p': {
      if ((profile.topP ?? 'prefix') !== 'prefix') return null;
      return { kind: 'top_p', p: number('p') ?? 1, minKeep: number('min_keep') ?? minKeepDefault };
    }
    case 'min_p': {
      const rule = profile.minP ?? 'logit';
      if (rule !== 'logit' && rule !== 'logit-float32') return null;
      const p = number('p') ?? 0;
      if (p > 1) return null;
      return { kind: 'min_p', p, minKeep: number('min_keep') ?? minKeepDefault, float32: rule === 'logit-float32' };
    }
    default:
      return null;
  }
}
