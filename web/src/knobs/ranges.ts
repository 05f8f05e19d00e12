/**
 * Slider ranges and starting values of every sampler parameter the playground knows.
 * The list of samplers itself comes from the library's registry (`samplerDefinitions()`),
 * so a sampler added there appears in the page at once; a parameter missing from this
 * table gets a plain number field.
 */

/** How one parameter is edited. */
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

/** Parameters edited as JSON text rather than a number (DRY's breakers). */
export interface JsonParam {
  readonly json: true;
  readonly initial: unknown;
  readonly hint?: string;
}

export type ParamControl = ParamRange | JsonParam;

const minKeep: ParamRange = { min: 0, max: 20, step: 1, initial: 1, integer: true, optional: true, hint: 'never keep fewer than this many tokens' };

/** sampler name → parameter name → control. */
export const PARAM_RANGES: Readonly<Record<string, Readonly<Record<string, ParamControl>>>> = {
  temperature: { t: { min: 0, max: 3, step: 0.01, initial: 1, hint: '1 is neutral; 0 is greedy' } },
  dynatemp: {
    t: { min: 0, max: 3, step: 0.01, initial: 1 },
    range: { min: 0, max: 2, step: 0.01, initial: 0.5, hint: 'temperature varies in [t − range, t + range] with entropy' },
    exponent: { min: 0, max: 5, step: 0.05, initial: 1, optional: true },
  },
  top_k: { k: { min: 0, max: 200, step: 1, initial: 40, integer: true, hint: '0 disables' }, min_keep: { ...minKeep, initial: 0 } },
  top_p: { p: { min: 0, max: 1, step: 0.01, initial: 0.95, hint: '1 keeps everything' }, min_keep: minKeep },
  min_p: { p: { min: 0, max: 1, step: 0.01, initial: 0.05, hint: 'relative to the top token; 0 disables' }, min_keep: minKeep },
  typical_p: { p: { min: 0, max: 1, step: 0.01, initial: 0.95, hint: '1 disables' }, min_keep: minKeep },
  top_n_sigma: { n: { min: 0, max: 5, step: 0.05, initial: 1, hint: 'keep logits within n standard deviations of the top' }, min_keep: minKeep },
  epsilon: { epsilon: { min: 0, max: 0.01, step: 0.0001, initial: 0.0003, hint: 'absolute probability floor' }, min_keep: minKeep },
  eta: { eta: { min: 0, max: 0.01, step: 0.0001, initial: 0.0009, hint: 'entropy-adaptive floor' }, min_keep: minKeep },
  xtc: {
    threshold: { min: 0, max: 0.5, step: 0.01, initial: 0.1, hint: 'tokens above this are "top choices"' },
    probability: { min: 0, max: 1, step: 0.01, initial: 0.5, hint: 'chance of excluding the top choices' },
    min_keep: minKeep,
  },
  penalties: {
    repeat: { min: 0.5, max: 2, step: 0.01, initial: 1.1, hint: '1 is neutral (divides positive logits)' },
    frequency: { min: -2, max: 2, step: 0.01, initial: 0, hint: 'subtracts count × frequency' },
    presence: { min: -2, max: 2, step: 0.01, initial: 0, hint: 'subtracts presence once per seen token' },
    last_n: { min: -1, max: 512, step: 1, initial: 64, integer: true, optional: true, hint: 'window of recent tokens; -1 = all, 0 = none' },
  },
  dry: {
    multiplier: { min: 0, max: 2, step: 0.01, initial: 0.8, hint: '0 disables' },
    base: { min: 1, max: 4, step: 0.01, initial: 1.75, optional: true },
    allowed_length: { min: 0, max: 10, step: 1, initial: 2, integer: true, optional: true },
    last_n: { min: -1, max: 1024, step: 1, initial: -1, integer: true, optional: true, hint: '-1 = whole context' },
    breakers: { json: true, initial: [], hint: 'JSON array of token ids that break a repeated sequence ([[a, b]] for a multi-token one)' },
  },
  no_repeat_ngram: { n: { min: 0, max: 10, step: 1, initial: 3, integer: true, hint: '0 disables' } },
  mirostat: {
    version: { min: 1, max: 2, step: 1, initial: 2, integer: true, options: [1, 2] },
    tau: { min: 0, max: 10, step: 0.1, initial: 5, hint: 'target surprise in bits' },
    eta: { min: 0, max: 1, step: 0.01, initial: 0.1, hint: 'learning rate' },
  },
};

/** The control of one parameter, or `undefined` when the table does not know it. */
export function paramControl(sampler: string, parameter: string): ParamControl | undefined {
  return PARAM_RANGES[sampler]?.[parameter];
}

/** Whether a control is edited as JSON text. */
export function isJsonParam(control: ParamControl | undefined): control is JsonParam {
  return control !== undefined && 'json' in control;
}
