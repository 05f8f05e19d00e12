import { InvalidInputError, InvalidParameterError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import { Candidates } from './candidates.js';
import { createSampler, type KnobsSampler, type SamplerOptions } from './chain.js';
import type { ChainSpec } from './spec.js';

/** Options of `createBatchSampler`: those of `createSampler`, per row where it matters. */
export interface BatchSamplerOptions extends Omit<SamplerOptions, 'seed' | 'history' | 'prompt' | 'workspace'> {
  /** Number of rows (sequences) sampled together. */
  rows: number;
  /** Seed of row r is `seed + r` (default seed 0), unless `seeds` gives one per row. */
  seed?: number;
  seeds?: readonly number[];
  /** Prompt token ids per row. */
  prompts?: readonly (readonly number[])[];
  /** Tokens already generated per row. */
  histories?: readonly (readonly number[])[];
}

/** Many sequences sampled by one chain: one token per row per call. */
export interface BatchSampler {
  readonly rows: number;
  /**
   * Draws one token for every row. `logits` is either one array of `rows × vocabulary`
   * values, row after row, or one array per row. Writes the ids into `out` (or a new
   * Int32Array) and returns it. Row r draws exactly what `createSampler(chain, { seed:
   * seeds[r] })` would draw from the same rows. Passing one array per row (views made once)
   * allocates nothing per call; a single flat Float32Array costs one view per row.
   */
  sample(logits: ArrayLike<number> | readonly ArrayLike<number>[], out?: Int32Array): Int32Array;
  /** The final distribution of every row into `out` (rows × vocabulary, row after row). */
  distribution(logits: ArrayLike<number> | readonly ArrayLike<number>[], out?: Float32Array): Float32Array;
  /** Accepts one token per row (for samplers with history). */
  accept(tokens: ArrayLike<number>): void;
  /** Forgets every row's history and restarts its generator. */
  reset(): void;
  /** The sampler of one row. */
  row(index: number): KnobsSampler;
}

/**
 * A batch of samplers over one chain, for the experiment runner and the server: every row
 * has its own seeded generator and history, and they share one set of working buffers and
 * the kernel, so memory does not grow with the number of rows beyond small per-row state.
 *
 * @example
 * const batch = createBatchSampler('top_k=40,top_p=0.95,temperature=0.8', { rows: 8, seed: 1 });
 * const tokens = batch.sample(logits); // logits: Float32Array of 8 × vocabulary
 * batch.accept(tokens);
 */
export function createBatchSampler(chain: ChainSpec | string, options: BatchSamplerOptions): BatchSampler {
  const rows = checkInteger('rows', options.rows, 1);
  if (options.seeds && options.seeds.length !== rows) throw new InvalidParameterError('seeds', options.seeds.length, `an array of ${rows} seeds (one per row)`);
  const seed = options.seed ?? 0;
  let workspace: Candidates | undefined;
  let samplers: KnobsSampler[] = [];
  let vocabulary = -1;
  const build = (size: number): void => {
    if (size === vocabulary) return;
    vocabulary = size;
    workspace = new Candidates(size);
    samplers = Array.from({ length: rows }, (_, r) =>
      createSampler(chain, {
        ...options,
        seed: options.seeds?.[r] ?? seed + r,
        prompt: options.prompts?.[r],
        history: options.histories?.[r],
        workspace,
      }),
    );
  };
  // Validate the chain and options now rather than at the first call.
  createSampler(chain, { ...options, seed });
  const rowOf = (logits: ArrayLike<number> | readonly ArrayLike<number>[], r: number, size: number): ArrayLike<number> => {
    if (isRowList(logits)) return logits[r] as ArrayLike<number>;
    if (logits instanceof Float32Array) return logits.subarray(r * size, (r + 1) * size);
    return Array.prototype.slice.call(logits, r * size, (r + 1) * size) as number[];
  };
  const sizeOf = (logits: ArrayLike<number> | readonly ArrayLike<number>[]): number => {
    if (isRowList(logits)) {
      if (logits.length !== rows) throw new InvalidInputError(`expected ${rows} rows of logits, got ${logits.length}`);
      return (logits[0] as ArrayLike<number>).length;
    }
    if (logits.length % rows !== 0 || logits.length === 0) throw new InvalidInputError(`expected ${rows} rows of logits: ${logits.length} values is not a multiple of ${rows}`);
    return logits.length / rows;
  };
  const batch: BatchSampler = {
    rows,
    sample(logits, out) {
      const size = sizeOf(logits);
      build(size);
      const tokens = out ?? new Int32Array(rows);
      for (let r = 0; r < rows; r++) tokens[r] = (samplers[r] as KnobsSampler).sample(rowOf(logits, r, size));
      return tokens;
    },
    distribution(logits, out) {
      const size = sizeOf(logits);
      build(size);
      const result = out ?? new Float32Array(rows * size);
      for (let r = 0; r < rows; r++) (samplers[r] as KnobsSampler).distribution(rowOf(logits, r, size), result.subarray(r * size, (r + 1) * size));
      return result;
    },
    accept(tokens) {
      if (tokens.length !== rows) throw new InvalidInputError(`expected ${rows} tokens (one per row), got ${tokens.length}`);
      if (vocabulary < 0) throw new InvalidInputError('accept before any sample: nothing to accept');
      for (let r = 0; r < rows; r++) (samplers[r] as KnobsSampler).accept(tokens[r] as number);
    },
    reset() {
      for (const sampler of samplers) sampler.reset();
    },
    row(index) {
      checkInteger('row', index, 0, rows - 1);
      if (vocabulary < 0) throw new InvalidInputError('row before any sample: the rows are built on the first call');
      return samplers[index] as KnobsSampler;
    },
  };
  return batch;
}

function isRowList(logits: ArrayLike<number> | readonly ArrayLike<number>[]): logits is readonly ArrayLike<number>[] {
  return Array.isArray(logits) && logits.length > 0 && typeof logits[0] === 'object';
}
