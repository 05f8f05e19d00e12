import type { ChainSpec } from '../samplers/spec.js';

/** Which kind of decoding a strategy is, for colouring and for the findings. */
export type StrategyFamily = 'human' | 'maximization' | 'sampling' | 'truncation';

/** A decoding strategy of the comparison: a sampler chain, or (stochastic) beam search. */
export type DecodingStrategy =
  | { readonly name: string; readonly label: string; readonly family: StrategyFamily; readonly kind: 'sampler'; readonly chain: ChainSpec }
  | { readonly name: string; readonly label: string; readonly family: StrategyFamily; readonly kind: 'beam'; readonly width: number; readonly stochastic?: boolean };

/**
 * The strategies of `knobs compare-decoding`, in table order: Holtzman et al.'s (2020)
 * Table 1 rows that apply to one model (greedy, beam search, pure sampling, temperature,
 * top-k, top-k with temperature, nucleus) plus beam width 4, temperature 0.7, min-p and
 * typical-p. Temperature comes before top-k, as in transformers (the order does not change
 * which tokens top-k keeps). Stochastic beam search (the paper's row) is
 * `STOCHASTIC_BEAM_STRATEGY`, opt-in because it costs as much as beam width 16.
 */
export const DECODING_STRATEGIES: readonly DecodingStrategy[] = [
  { name: 'greedy', label: 'Greedy', family: 'maximization', kind: 'sampler', chain: [{ greedy: true }] },
  { name: 'beam-4', label: 'Beam, b=4', family: 'maximization', kind: 'beam', width: 4 },
  { name: 'beam-16', label: 'Beam, b=16', family: 'maximization', kind: 'beam', width: 16 },
  { name: 'pure', label: 'Pure sampling', family: 'sampling', kind: 'sampler', chain: [] },
  { name: 'temperature-0.9', label: 'Sampling, t=0.9', family: 'sampling', kind: 'sampler', chain: [{ temperature: 0.9 }] },
  { name: 'temperature-0.7', label: 'Sampling, t=0.7', family: 'sampling', kind: 'sampler', chain: [{ temperature: 0.7 }] },
  { name: 'top-k-40', label: 'Top-k=40', family: 'truncation', kind: 'sampler', chain: [{ top_k: 40 }] },
  { name: 'top-k-640', label: 'Top-k=640', family: 'truncation', kind: 'sampler', chain: [{ top_k: 640 }] },
  { name: 'top-k-40-t-0.7', label: 'Top-k=40, t=0.7', family: 'truncation', kind: 'sampler', chain: [{ temperature: 0.7 }, { top_k: 40 }] },
  { name: 'top-p-0.95', label: 'Nucleus p=0.95', family: 'truncation', kind: 'sampler', chain: [{ top_p: 0.95 }] },
  { name: 'min-p-0.1', label: 'Min-p=0.1', family: 'truncation', kind: 'sampler', chain: [{ min_p: 0.1 }] },
  { name: 'typical-p-0.95', label: 'Typical p=0.95', family: 'truncation', kind: 'sampler', chain: [{ typical_p: 0.95 }] },
];

/** Stochastic beam search of width 16 (Kool et al., 2019), the paper's "Stochastic Beam, b=16" row. */
export const STOCHASTIC_BEAM_STRATEGY: DecodingStrategy = {
  name: 'stochastic-beam-16',
  label: 'Stochastic beam, b=16',
  family: 'sampling',
  kind: 'beam',
  width: 16,
  stochastic: true,
};

/** The name of the human reference row. */
export const HUMAN_ROW = 'human';
