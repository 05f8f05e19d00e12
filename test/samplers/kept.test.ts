import { describe, expect, it } from 'vitest';
import { distributionReport } from '../../src/analysis/distributionReport.js';
import { compareEngines } from '../../src/samplers/compareEngines.js';
import { createSampler } from '../../src/samplers/chain.js';
import type { StageSpec } from '../../src/samplers/spec.js';

/** transformers' ramp × 100 (test_top_p_dist_warper and its siblings): the second token's e^-100 underflows. */
const ramp = Float32Array.from([-500, -400, -300, -200, -100, 0, 100, 200, 300, 400]);

describe('kept means kept: the decision, not the underflowed probabilities', () => {
  // Each of transformers' ramp × 100 cases keeps two tokens with min_tokens_to_keep=2.
  const chains: StageSpec[] = [
    { top_p: { p: 0.9, min_keep: 2 } },
    { min_p: { p: 0.9, min_keep: 2 } },
    { typical_p: { p: 0.7, min_keep: 2 } },
    { epsilon: { epsilon: 0.05, min_keep: 2 } },
    { eta: { eta: 0.1, min_keep: 2 } },
  ];
  for (const stage of chains) {
    it(`${JSON.stringify(stage)} under hf keeps two, one with probability 0`, () => {
      const report = distributionReport(ramp, [stage], { engine: 'hf' });
      expect(report.kept).toBe(2);
      expect(Array.from(report.keptMask)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
      expect(report.after[8]).toBe(0);
      expect(report.after[9]).toBe(1);
      // The same through the fast path (forced: ten tokens are below its usual size).
      const kept = new Uint8Array(10);
      createSampler([stage], { engine: 'knobs', fast: 'force' }).distribution(ramp, undefined, kept);
      expect(kept[9]).toBe(1);
    });
  }

  it('trace and the engine comparison count the same way', () => {
    const trace = createSampler([{ top_p: { p: 0.9, min_keep: 2 } }], { engine: 'hf' }).trace(ramp);
    expect(trace[1]?.kept).toBe(2);
    expect(Array.from(trace[1]?.keptMask ?? [])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    // Engines with a min_keep for top-p (exllamav2 has none; transformers.js ignores top_p).
    const comparison = compareEngines(ramp, { chain: [{ top_p: { p: 0.9, min_keep: 2 } }] }, { engines: ['knobs', 'llama.cpp', 'hf', 'vllm', 'sglang', 'ollama', 'koboldcpp', 'node-llama-cpp'] });
    for (const run of comparison.runs) expect(`${run.engine} ${run.kept}`).toBe(`${run.engine} 2`);
  });
});
