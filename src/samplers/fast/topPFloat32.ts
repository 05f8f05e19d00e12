import { expf } from '../../core/expf.js';
import { floorFloat32 } from '../../core/float32.js';
import { R_SUM32 } from '../../kernel/kernel.js';
import { Float32Run } from './float32Sum.js';
import { cutAtRank } from './mass.js';
import { LOWEST, ORDER_DESCENDING, ORDER_ID, type FastForm, type FastRow } from './row.js';

/**
 * llama.cpp's top-p (`prefix-float32`) on the fast path, with the engine's arithmetic: the
 * float32 softmax (`expf`, its float32 sum in the candidates' order — ascending ids here),
 * then a float32 running sum of the probabilities in descending order until it is ≥ `(float)
 * p` with at least `min_keep` tokens. A tie group's float32 running sum does not depend on the
 * order inside the group, so on rows with few distinct values each group is added in bulk
 * (`Float32Run`); otherwise the tokens near the top are gathered and radix-sorted, more until
 * the sum gets there.
 *
 * @example
 * fastTopPFloat32(0.95, 0); // llama.cpp's default top-p
 */
export function fastTopPFloat32(p: number, minKeep: number): FastForm {
  const target = Math.fround(p);
  const run = new Float32Run();
  const memo = { gap: 8.5 };
  return {
    name: 'top_p',
    run(row: FastRow): boolean {
      if (p >= 1) return true;
      if (row.order !== ORDER_ID) return row.fail('top_p (llama.cpp): its softmax sums in the sorted order of an earlier stage');
      return row.buildGroups() ? groupsPath(row, target, minKeep, run) : sortedPath(row, target, minKeep, run, memo);
    },
  };
}

function groupsPath(row: FastRow, target: number, minKeep: number, run: Float32Run): boolean {
  const kernel = row.kernel;
  const groups = row.groups;
  const max = row.max;
  const slotValues = kernel.slotValues;
  for (let g = 0; g < groups.count; g++) slotValues[groups.slots[g] as number] = expf((groups.values[g] as number) - max);
  kernel.slotSum32(row.n);
  const sum = kernel.results[R_SUM32] as number;
  run.start(0);
  let tokens = 0;
  for (let g = 0; g < groups.count; g++) {
    const count = groups.counts[g] as number;
    const q = Math.fround((slotValues[groups.slots[g] as number] as number) / sum);
    // The first additions that min_keep requires anyway, then until the target.
    const free = Math.min(count, Math.max(0, minKeep - tokens - 1));
    if (free > 0) run.addUntil(q, free, Infinity);
    if (free < count) {
      const j = run.addUntil(q, count - free, target);
      if (j > 0) return cutAtRank(row, tokens + free + j);
    }
    tokens += count;
  }
  row.order = ORDER_DESCENDING;
  return true;
}

/** Mostly distinct values: gather the top, radix-sort it, walk; more if the sum has not got there. */
function sortedPath(row: FastRow, target: number, minKeep: number, run: Float32Run, memo: { gap: number }): boolean {
  const kernel = row.kernel;
  const n = row.n;
  const max = row.max;
  kernel.args[0] = max;
  kernel.expfWeights(n);
  const sum = kernel.results[R_SUM32] as number;
  const w = kernel.w;
  let gap = memo.gap;
  for (let attempt = 0; attempt < 40; attempt++) {
    let threshold = floorFloat32(max - gap);
    if (!(threshold > LOWEST) || attempt === 39) threshold = LOWEST;
    kernel.args[0] = threshold;
    kernel.args[1] = 0x7fffffff;
    const count = kernel.gather(n, n);
    kernel.sortIds(count);
    const ids = kernel.ids;
    run.start(0);
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      run.sum = Math.fround(run.sum + Math.fround((w[id] as number) / sum));
      if (run.sum >= target && i + 1 >= minKeep) {
        memo.gap = Math.max(max - (row.values()[id] as number), 1e-3) * 1.5;
        row.order = ORDER_DESCENDING;
        if (i + 1 < row.size) row.cut(row.values()[id] as number, id, i + 1);
        return true;
      }
    }
    if (threshold === LOWEST) break;
    gap *= 4;
  }
  row.order = ORDER_DESCENDING; // never reached: every token stays, sorted
  return true;
}
