import { type ChainSpec, parseChain, samplerDefinition, type SamplerDefinition, samplerDefinitions, type StageSpec } from 'creativity-knobs';
import { isJsonParam, paramControl, type ParamControl } from '../knobs/ranges.js';

/** One stage as the chain editor holds it: a sampler, its parameters, and whether it is on. */
export interface Stage {
  /** Stable identity for rendering and focus (not part of the chain). */
  readonly key: number;
  readonly name: string;
  /** Parameters that are set; an unset optional parameter takes the engine's default. */
  readonly params: Readonly<Record<string, unknown>>;
  /** A stage switched off stays in the editor but not in the chain. */
  readonly enabled: boolean;
}

let nextKey = 1;

/** A new stage key (unique within the page). */
export function newKey(): number {
  return nextKey++;
}

/** The control of one parameter: the range table, a JSON editor for object values, or nothing known. */
export function controlFor(definition: SamplerDefinition, parameter: string): ParamControl | undefined {
  return paramControl(definition.name, parameter);
}

/** The parameters a newly added stage starts with: every non-optional parameter at its initial value. */
export function initialParams(name: string): Record<string, unknown> {
  const definition = samplerDefinition(name);
  const params: Record<string, unknown> = {};
  definition.parameters.forEach(({ name: parameter }, index) => {
    const control = controlFor(definition, parameter);
    if (control === undefined) {
      if (index === 0) params[parameter] = 0;
      return;
    }
    if (isJsonParam(control)) params[parameter] = control.initial;
    else if (!control.optional) params[parameter] = control.initial;
  });
  return params;
}

/** Stages from a chain (the JSON array of DESIGN.md); throws `ChainSpecError` for unknown samplers. */
export function stagesFromSpec(spec: ChainSpec | string): Stage[] {
  return parseChain(spec).map((stage) => ({ key: newKey(), name: stage.name, params: { ...stage.parameters }, enabled: true }));
}

/**
 * The chain of the enabled stages, in the DESIGN.md form: the number form when only the
 * first parameter is set, `true` for samplers without parameters, the object otherwise.
 *
 * @example
 * specFromStages([{ key: 1, name: 'top_p', params: { p: 0.9 }, enabled: true }]); // [{ top_p: 0.9 }]
 */
export function specFromStages(stages: readonly Stage[]): StageSpec[] {
  return stages.filter((stage) => stage.enabled).map((stage) => stageSpec(stage));
}

/** One stage in the DESIGN.md form. */
export function stageSpec(stage: Stage): StageSpec {
  const definition = samplerDefinition(stage.name);
  const names = definition.parameters.map((parameter) => parameter.name);
  const first = names[0];
  if (first === undefined) return { [stage.name]: true };
  const set = Object.keys(stage.params).filter((key) => stage.params[key] !== undefined);
  if (definition.objectIsValue) return { [stage.name]: (stage.params[first] ?? {}) as Record<string, unknown> };
  if (set.length === 1 && set[0] === first && typeof stage.params[first] === 'number') return { [stage.name]: stage.params[first] as number };
  const object: Record<string, unknown> = {};
  for (const key of names) if (stage.params[key] !== undefined) object[key] = stage.params[key];
  return { [stage.name]: object };
}

/** Moves the stage at `index` by `delta` places (clamped to the list). */
export function moveStage(stages: readonly Stage[], index: number, delta: number): Stage[] {
  const target = Math.max(0, Math.min(stages.length - 1, index + delta));
  const result = [...stages];
  const [moved] = result.splice(index, 1);
  if (moved) result.splice(target, 0, moved);
  return result;
}

/** Orders stages as an engine's default order does (unknown names last, order kept). */
export function sortStages(stages: readonly Stage[], order: readonly string[]): Stage[] {
  const rank = (stage: Stage, index: number): number => {
    const position = order.indexOf(stage.name);
    return position < 0 ? order.length + index : position;
  };
  return stages
    .map((stage, index) => ({ stage, rank: rank(stage, index) }))
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => entry.stage);
}

/** Names of every registered sampler (the add menu). */
export function samplerNames(): string[] {
  return samplerDefinitions().map((definition) => definition.name);
}
