import { ChainSpecError, KnobsError } from '../core/errors.js';
import { chainFromKnobFields } from '../providers/knobFields.js';
import type { Candidates } from '../samplers/candidates.js';
import { createSampler } from '../samplers/chain.js';
import { getProfile, type EngineProfile } from '../samplers/profiles.js';
import { createStage } from '../samplers/registry.js';
import type { Sampler } from '../samplers/sampler.js';
import { parseChain, type ParsedStage } from '../samplers/spec.js';
import type { ModelSpace } from './modelSpace.js';
import type { Fields } from './types.js';

/** A setting the audit cannot turn into an expected distribution (a token outside the space, mirostat 1). */
export class UnmodelledSettingError extends KnobsError {
  override name = 'UnmodelledSettingError';
}

/**
 * The rules expected distributions follow: engine profiles, preferred first (a stage that
 * the first cannot build is built by the next, and finally by `knobs`), with every knob a
 * profile lists as ignored applied all the same — "applied" means the knob doing what its
 * field says, under the engine's rules; whether the engine does is what the audit measures.
 */
export interface ExpectationRules {
  readonly profiles: readonly EngineProfile[];
  /** Profile whose default order sorts the stages built from several fields. */
  readonly order: string;
}

/**
 * The rules of a list of profile names (unknown names are skipped; none left: `knobs`).
 *
 * @example
 * expectationRules(['vllm']).profiles[0].name; // 'vllm'
 */
export function expectationRules(names: readonly string[]): ExpectationRules {
  const profiles = names.flatMap((name) => {
    try {
      return [{ ...getProfile(name), ignored: {} } as EngineProfile];
    } catch {
      return [];
    }
  });
  const knobs = getProfile('knobs');
  return { profiles: [...profiles, knobs], order: profiles[0]?.name ?? knobs.name };
}

/** The first step of Mirostat 2 (μ = 2τ): keep the tokens whose surprise is at most μ bits, at least one; no draw. */
function mirostatFirstStep(tau: number): Sampler {
  return {
    name: 'mirostat',
    apply(candidates: Candidates): void {
      candidates.sortDescending();
      const { logits, ids, size } = candidates;
      const max = logits[ids[0] as number] as number;
      let sum = 0;
      for (let i = 0; i < size; i++) sum += Math.exp((logits[ids[i] as number] as number) - max);
      const logSum = Math.log(sum);
      let keep = 0;
      while (keep < size && -((logits[ids[keep] as number] as number) - max - logSum) / Math.LN2 <= 2 * tau) keep++;
      candidates.truncate(Math.max(keep, 1));
    },
  };
}

function buildStage(stage: ParsedStage, rules: ExpectationRules): Sampler {
  if (stage.name === 'mirostat') {
    const version = (stage.parameters.version as number | undefined) ?? 2;
    if (version !== 2) throw new UnmodelledSettingError('mirostat 1 depends on a Zipf estimate over 100 tokens: the audit models mirostat 2 only');
    return mirostatFirstStep((stage.parameters.tau as number | undefined) ?? 5);
  }
  let failure: unknown;
  for (const profile of rules.profiles) {
    try {
      return createStage(stage.name, stage.parameters, profile);
    } catch (error) {
      if (!(error instanceof ChainSpecError)) throw error;
      failure = error;
    }
  }
  throw failure;
}

/** The fields with logit_bias keys turned from token ids into the space's indices. */
function inSpace(fields: Fields, model: ModelSpace): Record<string, unknown> {
  const result: Record<string, unknown> = { ...fields };
  const bias = fields.logit_bias as Record<string, number> | undefined;
  if (bias !== undefined && bias !== null) {
    const mapped: Record<string, number> = {};
    for (const [key, value] of Object.entries(bias)) {
      const index = model.indexOf(Number(key));
      if (index === undefined) throw new UnmodelledSettingError(`logit_bias names token ${key}, which is not among the tokens the audit sees at this position`);
      mapped[String(index)] = value;
    }
    result.logit_bias = mapped;
  }
  return result;
}

function distribution(stages: readonly ParsedStage[], model: ModelSpace, rules: ExpectationRules): Float32Array {
  const xtc = stages.findIndex((stage) => stage.name === 'xtc');
  const chance = xtc < 0 ? 1 : ((stages[xtc] as ParsedStage).parameters.probability as number | undefined) ?? 0;
  if (xtc >= 0 && chance > 0 && chance < 1) {
    // XTC removes its top tokens with probability `chance` per draw: the draws follow the mixture.
    const always = stages.map((stage, index) => (index === xtc ? { name: stage.name, parameters: { ...stage.parameters, probability: 1 } } : stage));
    const never = stages.filter((_, index) => index !== xtc);
    const a = distribution(always, model, rules);
    const b = distribution(never, model, rules);
    return a.map((value, index) => chance * value + (1 - chance) * (b[index] as number));
  }
  const samplers = stages.map((stage) => buildStage(stage, rules));
  return createSampler(samplers, { engine: 'knobs', prompt: model.prompt, seed: 0 }).distribution(model.logits);
}

/**
 * The probability of each cell of a space under request fields: the fields become a chain
 * (`chainFromKnobFields`, in the rules' default order), each stage is built under the rules'
 * profiles, the chain runs on the space's logits with the prompt's ids as its prompt, and
 * the probabilities are summed per cell. XTC's random removal gives the mixture of its two
 * outcomes; Mirostat 2 gives its first step's truncated distribution.
 *
 * @example
 * expectedCells(modelSpaces(position)[0], { temperature: 1, top_p: 0.9 }, expectationRules(['knobs']));
 */
export function expectedCells(model: ModelSpace, fields: Fields, rules: ExpectationRules): Float64Array {
  const chain = chainFromKnobFields(inSpace(fields, model), rules.order).chain;
  const probabilities = distribution(parseChain(chain), model, rules);
  const cells = new Float64Array(model.cells);
  for (let index = 0; index < probabilities.length; index++) {
    const p = probabilities[index] as number;
    if (p > 0) cells[model.cellOf[index] as number] = (cells[model.cellOf[index] as number] as number) + p;
  }
  let total = 0;
  for (const p of cells) total += p;
  if (total > 0) for (let cell = 0; cell < cells.length; cell++) cells[cell] = (cells[cell] as number) / total;
  return cells;
}
