import type { ExactSum } from '../core/exactSum.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import { roundedRatio } from './cumulativeMass.js';
import { keepAtLeastMass, keepAtLeastProbability, type MassCutoff } from './epsilon.js';
import { fastCutoff } from './fast/epsilon.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { liveEntropy } from './selection.js';

/**
 * Eta sampling (Hewitt et al. 2022, "Truncation Sampling as Language Model Desmoothing"):
 * an entropy-adaptive epsilon. With H the entropy of the live distribution in nats, the
 * cutoff is `η = min(ε, √ε · e^(−H))`, and tokens with `p_i < η` are removed (strict: a token
 * exactly at η stays). High entropy (a flat distribution) lowers the cutoff. The `min_keep`
 * most likely tokens always stay, with every token tied with the `min_keep`-th. `ε = 0` is
 * neutral; ε must be below 1. Follows transformers' `EtaLogitsWarper` (`eta_cutoff`); under
 * its profile (`profile.cutoffFloat32`), its float32 arithmetic. Under the other profiles
 * the masses are exact (as epsilon's): with `w = exp32(l − max)`, S = Σw and μ = Σw·l / S
 * (both exact, each rounded once to float64), `H = ln S − (μ − max)`, and a token stays
 * when `w ≥ η · S` exactly.
 *
 * @example
 * // transformers' test: {0.01, 0.04, 0.9, 0.05} at ε = 0.0625 keeps only 0.9
 * createSampler([{ eta: 0.0625 }], { engine: 'hf' }).distribution(Float32Array.from([0.01, 0.04, 0.9, 0.05], Math.log));
 */
export function etaSampler({ eta: epsilon, min_keep: minKeep }: { eta: number; min_keep: number }, profile: EngineProfile): Sampler {
  const float32 = profile.cutoffFloat32;
  checkParameter('eta', ETA, epsilon);
  checkParameter('eta', MIN_KEEP, minKeep);
  const round = float32 ? Math.fround : (x: number): number => x;
  const cutoff = etaMassCutoff(epsilon);
  return {
    name: 'eta',
    apply(candidates: Candidates): void {
      if (epsilon <= 0) return;
      if (!float32) {
        keepAtLeastMass(candidates, cutoff, minKeep);
        return;
      }
      const entropy = liveEntropy(candidates);
      const e = round(epsilon);
      const eta = Math.min(e, round(round(Math.sqrt(e)) * round(Math.exp(-round(entropy)))));
      keepAtLeastProbability(candidates, eta, minKeep, float32);
    },
  };
}

/**
 * Eta's cutoff from the exact sums S = Σw and Σw·l of the live tokens (w = exp32(l − max)):
 * `min(ε, √ε · e^(−H))` with `H = ln S − (μ − max)`, S and μ = Σw·l / S each rounded once to
 * float64. The fast path calls this same function.
 *
 * @example
 * etaMassCutoff(0.0009)(total, moment, max); // the fraction of the total a token needs
 */
export function etaMassCutoff(epsilon: number): MassCutoff {
  const cutoff = (total: ExactSum, moment: ExactSum, max: number): number => {
    const entropy = Math.log(total.rounded()) - (roundedRatio(moment, total, true) - max);
    return Math.min(epsilon, Math.sqrt(epsilon) * Math.exp(-entropy));
  };
  return Object.assign(cutoff, { moment: true });
}

const ETA: ParameterSpec = {
  name: 'eta',
  kind: 'number',
  default: 0,
  range: { min: 0, max: 1, maxOpen: true },
  neutral: 0,
  hint: 'entropy-adaptive floor; 0 disables',
  control: { min: 0, max: 0.01, step: 0.0001, initial: 0.0009 },
  fields: ['eta_cutoff'],
  flag: 'eta',
};

/** The `eta` sampler: its parameters, engines and factory. */
export const etaCutoff = defineSampler({
  name: 'eta',
  summary: 'keep tokens with probability >= min(eta, sqrt(eta) e^-H)',
  parameters: [ETA, MIN_KEEP],
  engines: {
    knobs: { order: 110 },
    hf: { order: 100 },
    'transformers.js': { order: 65 },
  },
  create: etaSampler,
  fast: ({ eta, min_keep: minKeep }, profile) => fastCutoff('eta', etaMassCutoff(eta), minKeep, profile, eta <= 0),
});
