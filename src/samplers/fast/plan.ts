import type { EngineProfile } from '../profiles.js';
import { samplerDefinition } from '../registry.js';
import type { FastStage } from './row.js';

/** A stage with every parameter resolved (`resolveParameters`). */
export interface ResolvedStage {
  readonly name: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * The fast path's eligibility, the one decision: a chain runs fast when every stage's
 * definition has a fast form under the profile (`SamplerDefinition.fast`). Returns the fast
 * forms in order, or why the chain has none (the first stage without one, and its reason). A
 * stage given as a string has none: the string says why (a nested sampler, a knob the engine
 * ignores).
 *
 * @example
 * planFastChain([{ name: 'top_k', parameters: { k: 40, min_keep: 0 } }], getProfile('knobs')); // [top_k's fast form]
 * planFastChain([{ name: 'xtc', parameters: { threshold: 0.1, probability: 0.5 } }], getProfile('knobs')); // 'xtc has no fast form'
 */
export function planFastChain(stages: readonly (ResolvedStage | string)[], profile: EngineProfile): FastStage[] | string {
  const planned: FastStage[] = [];
  for (const stage of stages) {
    if (typeof stage === 'string') return stage;
    const definition = samplerDefinition(stage.name);
    if (!definition.fast) return `${stage.name} has no fast form`;
    const form = definition.fast(stage.parameters as Record<string, unknown>, profile);
    if ('reason' in form) return `${stage.name}: ${form.reason}`;
    planned.push(form);
  }
  return planned;
}
