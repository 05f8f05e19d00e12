/**
 * One sampler per batch row, kept in step with the token ids a runtime passes its logits
 * processors (transformers.js passes every row's whole `input_ids`, prompt included).
 */
import { InvalidInputError } from '../core/errors.js';
import { createSampler, type KnobsSampler } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';

/** Options of the samplers: seed of row 0 (row r uses `seed + r`) and the engine profile. */
export interface RowSamplerOptions {
  readonly seed?: number;
  readonly engine?: string;
}

interface RowState {
  sampler: KnobsSampler;
  /** Length of the row at the last call. */
  length: number;
  /** Its last token id then. */
  last: number;
}

/**
 * Tracks the rows of a batch across the steps of a generation. A row is a new sequence the
 * first time it is seen, or whenever its ids are not exactly one token longer than at the
 * previous call with the same last token as then (a new `generate()` call): its sampler is
 * then made afresh, seeded with `seed + row`, with the ids it holds at that moment as the
 * prompt. On each later call the one new token, the one the runtime chose, is accepted
 * into the row's history. So penalties, DRY and no-repeat-ngram tell the prompt (the ids
 * present at the first call) from the generated tokens (those after), as the engine
 * profile asks.
 */
export class RowSamplers {
  private readonly states: (RowState | undefined)[] = [];

  constructor(
    private readonly chain: ChainSpec | string,
    private readonly options: RowSamplerOptions = {},
  ) {}

  /**
   * The sampler of `row`, whose token ids are now `ids` (numbers or bigints).
   *
   * @example
   * const sampler = rows.samplerFor(0, inputIds[0]);
   */
  samplerFor(row: number, ids: ArrayLike<number | bigint>): KnobsSampler {
    const length = ids.length;
    if (length === 0) throw new InvalidInputError(`row ${row} has no token ids: a logits processor needs at least the prompt`);
    const last = Number(ids[length - 1]);
    const state = this.states[row];
    if (state && length === state.length + 1 && Number(ids[length - 2]) === state.last) {
      state.sampler.accept(last);
      state.length = length;
      state.last = last;
      return state.sampler;
    }
    const prompt = Array.from(ids, Number);
    const sampler = createSampler(this.chain, { seed: (this.options.seed ?? 0) + row, engine: this.options.engine ?? 'knobs', prompt });
    this.states[row] = { sampler, length, last };
    return sampler;
  }

  /** Forgets every row: the next call starts new sequences from the seed. */
  reset(): void {
    this.states.length = 0;
  }
}
