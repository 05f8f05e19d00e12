import { describe, expect, it } from 'vitest';
import { createSampler } from './chain.js';
import type { ChainSpec } from './spec.js';

/** A row whose shape changes with the step, so that histories matter. */
function row(step: number, size = 50): Float32Array {
  return Float32Array.from({ length: size }, (_, id) => Math.sin(id * 0.7 + step) * 3 - id * 0.05);
}

describe('the chain is a sampler', () => {
  it('clone continues exactly as the original: generator, history, mirostat mu, penalties', () => {
    const chain: ChainSpec = [{ penalties: { repeat: 1.3, frequency: 0.2, presence: 0.1 } }, { temperature: 0.9 }, { mirostat: { version: 2, tau: 3, eta: 0.5 } }];
    const original = createSampler(chain, { seed: 11 });
    for (let step = 0; step < 7; step++) original.accept(original.sample(row(step)));
    const copy = original.clone();
    expect(copy.generated).toEqual(original.generated);
    const a: number[] = [];
    const b: number[] = [];
    for (let step = 7; step < 40; step++) {
      const x = original.sample(row(step));
      original.accept(x);
      a.push(x);
      const y = copy.sample(row(step));
      copy.accept(y);
      b.push(y);
    }
    expect(b).toEqual(a);
    // and the copy is independent: the original's history did not grow with the copy's accepts
    expect(original.generated).toHaveLength(40);
    expect(copy.generated).toHaveLength(40);
  });

  it('a clone that diverges leaves the original untouched', () => {
    const original = createSampler([{ mirostat: { version: 2, tau: 2, eta: 1 } }], { seed: 3 });
    const reference = createSampler([{ mirostat: { version: 2, tau: 2, eta: 1 } }], { seed: 3 });
    const copy = original.clone();
    for (let step = 0; step < 5; step++) copy.accept(copy.sample(row(step + 100)));
    for (let step = 0; step < 10; step++) {
      const x = original.sample(row(step));
      original.accept(x);
      const y = reference.sample(row(step));
      reference.accept(y);
      expect(x).toBe(y);
    }
  });

  it('nests: a chain as a stage behaves like its stages written inline, with the parent generator', () => {
    const inner = createSampler([{ top_p: 0.8 }, { temperature: 0.7 }], { seed: 999 });
    const nested = createSampler([{ top_k: 20 }, inner, { min_p: 0.05 }], { seed: 5 });
    const flat = createSampler([{ top_k: 20 }, { top_p: 0.8 }, { temperature: 0.7 }, { min_p: 0.05 }], { seed: 5 });
    expect(nested.stages.map((stage) => stage.name)).toEqual(['top_k', 'chain', 'min_p']);
    for (let step = 0; step < 30; step++) {
      expect(nested.distribution(row(step))).toEqual(flat.distribution(row(step)));
      expect(nested.sample(row(step))).toBe(flat.sample(row(step)));
    }
  });
});
