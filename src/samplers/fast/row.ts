import { type Before } from '../../core/partialSort.js';
import { R_MAX, R_MIN, R_NAN, type Kernel } from '../../kernel/kernel.js';
import type { Candidates } from '../candidates.js';
import type { EngineProfile } from '../profiles.js';
import { Groups } from './groups.js';

/**
 * A sampler's fast form: the same rule as its `apply`, run on a whole row in the kernel's
 * memory instead of on a candidate list. `run` returns false to hand the row to the
 * reference samplers (it then sets `row.reason`); it never changes a result.
 */
export interface FastStage {
  readonly name: string;
  run(row: FastRow): boolean;
}

/** A sampler's eligibility for the fast path: its fast form, or why it has none. */
export type FastForm = FastStage | { readonly reason: string };

/** Builds a sampler's fast form from its resolved parameters (see `SamplerDefinition.fast`). */
export type FastFactory = (parameters: Record<string, unknown>, profile: EngineProfile) => FastForm;

/**
 * The order the reference samplers would leave the candidates in at this point of the chain
 * (engine rules that sum in the candidates' current order need it): ascending id, or by value
 * descending (ties by lower id). `ORDER_OTHER`: some other order; no order-dependent rule may run.
 */
export const ORDER_ID = 0;
export const ORDER_DESCENDING = 1;
export const ORDER_OTHER = 2;

/** Live sets up to this size become an explicit candidate list. */
export const EXPLICIT_LIMIT = 4096;
/** The lowest finite float32: `v >= LOWEST` holds exactly for live values. */
export const LOWEST = -3.4028234663852886e38;

/**
 * One row on the fast path: the kernel's buffers hold its values (removed tokens at
 * -Infinity) and this object what is known about the live set. When the live set becomes
 * small it is copied into `candidates` (`explicit`), and the rest of the chain runs the
 * reference samplers on that list.
 */
export class FastRow {
  n = 0;
  /** Number of live tokens. */
  size = 0;
  /** Largest current value. */
  max = 0.5;
  /** Smallest live value (valid after `begin` and until a stage changes the values). */
  min = 0.5;
  explicit = false;
  order = ORDER_ID;
  /** `kernel.w` holds exp32(v − weightsTop) for every live token, when weightsTop === max. */
  weightsTop = NaN;
  /** Incremented by every pass that changes the current values. */
  version = 0;
  /**
   * A cut decided but not yet written (`cut` with a known count): the live set is the tokens
   * ranked at or before (pendingValue, pendingId). The draw reads it as it is; anything else
   * writes it first (`flush`).
   */
  pending = false;
  pendingValue = 0.5;
  pendingId = 0;
  readonly groups = new Groups();
  /** Why the last row left the fast path. */
  reason = '';
  /** Counts of the paths taken (see `note`), kept by the chain's statistics. */
  paths: Record<string, number> = {};
  /** Small float64 scratch (a field write boxes nothing, a returned double may). */
  readonly t = new Float64Array(8);
  /** The order "higher current value, then lower id" over the kernel's current values. */
  readonly before: Before;
  private current: Float32Array;

  constructor(
    readonly kernel: Kernel,
    public candidates: Candidates,
  ) {
    this.current = kernel.logits;
    this.before = (a, b) => {
      const x = this.current;
      const va = x[a] as number;
      const vb = x[b] as number;
      return va > vb || (va === vb && a < b);
    };
  }

  /** The kernel's current values (a view: valid until the next `reserve`). */
  values(): Float32Array {
    return (this.current = this.kernel.modified ? this.kernel.values : this.kernel.logits);
  }

  /** Starts a row already in `kernel.logits`: scans it; false (with a reason) when invalid. */
  begin(n: number, candidates: Candidates): boolean {
    const kernel = this.kernel;
    kernel.begin(n);
    this.pending = false;
    this.n = n;
    this.candidates = candidates;
    this.explicit = false;
    this.order = ORDER_ID;
    this.weightsTop = NaN;
    this.version++;
    this.values();
    this.size = kernel.scan(n);
    const r = kernel.results;
    this.max = r[R_MAX] as number;
    this.min = r[R_MIN] as number;
    if (r[R_NAN] !== 0 || this.size === 0 || this.max === Infinity) return this.fail('invalid logits (the reference names the bad value)');
    return true;
  }

  /** Counts one use of a named path (for statistics and benchmarks). */
  note(path: string): void {
    this.paths[path] = (this.paths[path] ?? 0) + 1;
  }

  /** Records why the row leaves the fast path; returns false. */
  fail(reason: string): boolean {
    this.reason = reason;
    return false;
  }

  /** After a pass changed the values: re-reads the buffers and forgets derived state. */
  changed(): void {
    this.version++;
    this.values();
  }

  /**
   * Keeps the tokens ranked at or before (value, id) in "value descending, ties by lower id";
   * `kept` (their number) lets the cut wait until something needs it written (-1: write now).
   */
  cut(value: number, id: number, kept = -1): void {
    this.flush();
    this.pending = true;
    this.pendingValue = value;
    this.pendingId = id;
    if (kept >= 0) this.size = kept;
    else this.flush();
  }

  /** Keeps the tokens whose current value is ≥ t (a float32); `kept` as for `cut`. */
  keepAtLeast(t: number, kept = -1): void {
    this.cut(t, 0x7fffffff, kept);
  }

  /** Writes a pending cut into the kernel's values. */
  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    const args = this.kernel.args;
    args[0] = this.pendingValue;
    args[1] = this.pendingId;
    args[2] = Infinity;
    args[3] = 0x7fffffff;
    this.size = this.kernel.cut(this.n);
    this.changed();
  }

  /** The current maximum again (after a cut that may have removed it). */
  rescan(): void {
    this.size = this.kernel.scan(this.n);
    this.max = this.kernel.results[R_MAX] as number;
  }

  /** Makes `kernel.w` hold exp32(v − max) for the live tokens; R_TOTAL their float64 sum. */
  ensureWeights(): void {
    if (this.weightsTop === this.max) return;
    this.kernel.args[0] = this.max;
    this.kernel.weights(this.n, false);
    this.weightsTop = this.max;
  }

  /**
   * Copies the live set into `candidates` and makes the row explicit; false when larger than
   * `limit`. The candidates are in ascending ids, or — unless `final` (only the draw or the
   * distribution follows, which need no order) — by value descending when the reference
   * samplers would have left them so.
   */
  materialise(final: boolean, limit = EXPLICIT_LIMIT): boolean {
    if (this.size > limit) return false;
    const kernel = this.kernel;
    // A pending cut is applied while gathering.
    kernel.args[0] = this.pending ? this.pendingValue : LOWEST;
    kernel.args[1] = this.pending ? this.pendingId : 0x7fffffff;
    const count = kernel.gather(this.n, limit);
    if (count < 0) return false;
    if (count !== this.size) return this.fail('the live set changed size');
    const x = this.values();
    const candidates = this.candidates;
    const ids = candidates.ids;
    const logits = candidates.logits;
    const source = kernel.ids;
    for (let i = 0; i < count; i++) {
      const id = source[i] as number;
      ids[i] = id;
      logits[id] = x[id] as number;
    }
    this.pending = false;
    candidates.size = count;
    candidates.order = 'id';
    if (!final && this.order === ORDER_DESCENDING) candidates.sortDescending();
    else if (!final && this.order === ORDER_OTHER) candidates.order = 'any';
    this.explicit = true;
    return true;
  }

  /**
   * Makes the first `count` of `kernel.ids`, already sorted by value descending, the explicit
   * candidates (in that order).
   */
  explicitFromSorted(count: number): void {
    const x = this.values();
    const candidates = this.candidates;
    const ids = candidates.ids;
    const logits = candidates.logits;
    const source = this.kernel.ids;
    for (let i = 0; i < count; i++) {
      const id = source[i] as number;
      ids[i] = id;
      logits[id] = x[id] as number;
    }
    candidates.size = count;
    candidates.order = 'descending';
    this.size = count;
    this.order = ORDER_DESCENDING;
    this.explicit = true;
    this.pending = false;
  }

  /** Builds (or reuses) the distinct-value groups of the current values; false past `limit`. */
  buildGroups(): boolean {
    return this.groups.build(this);
  }
}
