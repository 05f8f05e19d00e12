import { getProfile, parameterDefault, type ParameterSpec, samplerDefinitions } from 'creativity-knobs';

/**
 * How the playground edits each sampler parameter: read from the parameter's declaration
 * in its sampler's file (`ParameterSpec.control`, `hint`, `optional`), so a sampler added to
 * the registry appears in the page with its controls at once. Parameters without a slider
 * (lists, maps) are edited as JSON text.
 */

/** How one parameter is edited with a slider. */
export interface ParamRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** Value given when the stage is added (or when the parameter is first set). */
  readonly initial: number;
  /** Integer-valued (k, n, last_n, ...). */
  readonly integer?: boolean;
  /** A fixed set of values (mirostat version). */
  readonly options?: readonly number[];
  /**
   * Not set when the stage is added: the engine profile's default applies until the
   * user moves the slider (min_keep and friends).
   */
  readonly optional?: boolean;
  /** A one-line hint shown under the slider. */
  readonly hint?: string;
}

/** Parameters edited as JSON text rather than a number (DRY's breakers, logit_bias). */
export interface JsonParam {
  readonly json: true;
  readonly initial: unknown;
  readonly hint?: string;
}

export type ParamControl = ParamRange | JsonParam;

/** The control of one parameter, or `undefined` when the sampler has no such parameter. */
export function paramControl(sampler: string, parameter: string): ParamControl | undefined {
  const spec = samplerDefinitions()
    .find((definition) => definition.name === sampler)
    ?.parameters.find((entry) => entry.name === parameter);
  return spec === undefined ? undefined : controlOf(spec);
}

/** The page's control for a declared parameter. */
export function controlOf(spec: ParameterSpec): ParamControl {
  const fallback = parameterDefault(spec, getProfile('knobs'));
  const control = spec.control;
  if (control === undefined) return { json: true, initial: fallback, hint: spec.hint };
  return {
    min: control.min,
    max: control.max,
    step: control.step,
    initial: control.initial ?? (typeof fallback === 'number' ? fallback : control.min),
    ...(spec.kind === 'integer' ? { integer: true } : {}),
    ...(control.options ? { options: control.options } : {}),
    ...(spec.optional ? { optional: true } : {}),
    hint: spec.hint,
  };
}

/** Whether a control is edited as JSON text. */
export function isJsonParam(control: ParamControl | undefined): control is JsonParam {
  return control !== undefined && 'json' in control;
}
