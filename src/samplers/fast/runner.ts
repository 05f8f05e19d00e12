import { R_MAX, R_NAN, type Kernel } from '../../kernel/kernel.js';
import type { Candidates } from '../candidates.js';
import { drawToken } from '../draw.js';
import type { Rng } from '../rng.js';
import type { Sampler, SamplerContext } from '../sampler.js';
import { drawImplicit, writeImplicit } from './draw.js';
import { FastRow, type FastStage } from './row.js';

/** Returned by `FastChain.sample` when the row must go through the reference samplers. */
export const FALL_BACK = -1;

/** What the fast path did, counted over the rows it saw. */
export interface FastStats {
  /** Rows started. */
  rows: number;
  /** Rows handed to the reference samplers, and why the last one was. */
  fallbacks: number;
  lastReason: string;
  /** Rows per path taken by the stages that have several (`FastRow.note`). */
  paths: Record<string, number>;
}

/**
 * Runs a chain whose every stage has a fast form (`SamplerDefinition.fast`) on one row: the
 * stages in order on the row in the kernel's memory; once a stage leaves a small explicit
 * candidate list, the remaining stages run as their reference samplers on it. Then one draw
 * (`drawToken`'s rule) or the final distribution. A stage that cannot certify its result
 * returns false and the whole row runs the reference samplers instead: results never differ.
 *
 * @example
 * const fast = new FastChain(stages, samplers, getKernel('auto'));
 * const token = fast.sample(logits, logits.length, candidates, context, rng); // FALL_BACK: use the reference
 */
export class FastChain {
  readonly stats: FastStats = { rows: 0, fallbacks: 0, lastReason: '', paths: {} };
  /** Whether the kernel is this chain's own (see `withOwnKernel`). */
  ownsKernel = false;
  private readonly row: FastRow;
  private readonly greedyFirst: boolean;

  constructor(
    private readonly stages: readonly FastStage[],
    private readonly samplers: readonly Sampler[],
    readonly kernel: Kernel,
    candidates: Candidates,
  ) {
    this.row = new FastRow(kernel, candidates);
    this.greedyFirst = stages[0]?.name === 'greedy';
  }

  /** The same chain on a kernel of its own (for rows written into its memory). */
  withOwnKernel(kernel: Kernel): FastChain {
    const chain = new FastChain(this.stages, this.samplers, kernel, this.row.candidates);
    chain.ownsKernel = true;
    return chain;
  }

  /** Draws one token (consuming the generator as `drawToken` does), or `FALL_BACK` without touching it. */
  sample(source: ArrayLike<number>, n: number, candidates: Candidates, context: SamplerContext, rng: Rng): number {
    if (!this.run(source, n, candidates, context)) return this.fellBack();
    const row = this.row;
    if (row.explicit || row.materialise(true)) return drawToken(candidates, rng);
    return drawImplicit(row, rng.nextFloat());
  }

  /** Writes the final distribution (and the kept set); false when the row must take the reference path. */
  distribution(source: ArrayLike<number>, n: number, candidates: Candidates, context: SamplerContext, out: Float32Array, kept?: Uint8Array): boolean {
    if (!this.run(source, n, candidates, context)) {
      this.fellBack();
      return false;
    }
    const row = this.row;
    if (row.explicit || row.materialise(true)) {
      candidates.writeDistribution(out);
      if (kept) {
        kept.fill(0);
        for (let i = 0; i < candidates.size; i++) kept[candidates.ids[i] as number] = 1;
      }
      return true;
    }
    writeImplicit(row, out, kept);
    return true;
  }

  private fellBack(): number {
    this.stats.fallbacks++;
    this.stats.lastReason = this.row.reason;
    return FALL_BACK;
  }

  private run(source: ArrayLike<number>, n: number, candidates: Candidates, context: SamplerContext): boolean {
    this.stats.rows++;
    const kernel = this.kernel;
    // Checked here: `reserve` builds a closure, whose context V8 may allocate even when it returns at once.
    if (n > kernel.capacity) kernel.reserve(n);
    // A row written straight into the kernel's memory (`inputBuffer`) needs no copy.
    const inPlace = source instanceof Float32Array && source.buffer === kernel.logits.buffer && source.byteOffset === kernel.logits.byteOffset;
    if (!inPlace) kernel.load(source, 0, n);
    const row = this.row;
    row.paths = this.stats.paths;
    let first = 0;
    if (this.greedyFirst) {
      // One pass: the first maximum (and the checks that send bad rows to the reference).
      kernel.begin(n);
      const id = kernel.argmax(n);
      const max = kernel.results[R_MAX] as number;
      if (kernel.results[R_NAN] !== 0 || !(max > -Infinity) || max === Infinity) {
        row.reason = 'invalid logits (the reference names the bad value)';
        return false;
      }
      row.candidates = candidates;
      candidates.ids[0] = id;
      candidates.logits[id] = max;
      candidates.size = 1;
      candidates.order = 'descending';
      row.explicit = true;
      row.size = 1;
      first = 1;
    } else if (!row.begin(n, candidates)) return false;
    const stages = this.stages;
    for (let s = first; s < stages.length; s++) {
      if (row.explicit) (this.samplers[s] as Sampler).apply(candidates, context);
      else {
        row.flush();
        if (!(stages[s] as FastStage).run(row)) return false;
      }
    }
    return true;
  }
}
