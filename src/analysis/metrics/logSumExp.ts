/**
 * Moved to `src/core/logSumExp.ts`. This re-export remains only for
 * `src/decoding/topLogprobs.ts`, which the selection work rewrites; delete it then.
 */
export { cumulativeExpShifted, logSumExp, maxLogit, sumExpShifted } from '../../core/logSumExp.js';
