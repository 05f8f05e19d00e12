import { R_MAX } from '../../kernel/kernel.js';
import type { FastForm, FastRow } from './row.js';

/**
 * Greedy's fast form: one pass for the first maximum (lowest id among equal values), which
 * becomes the only candidate, as `greedySampler` keeps it.
 *
 * @example
 * fastGreedy().run(row); // row.candidates: the argmax
 */
export function fastGreedy(): FastForm {
  return {
    name: 'greedy',
    run(row: FastRow): boolean {
      const id = row.kernel.argmax(row.n);
      const value = row.kernel.results[R_MAX] as number;
      const candidates = row.candidates;
      candidates.ids[0] = id;
      candidates.logits[id] = value;
      candidates.size = 1;
      candidates.order = 'descending';
      row.size = 1;
      row.explicit = true;
      return true;
    },
  };
}
