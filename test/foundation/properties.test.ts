import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSampler, softmax } from '../../src/index.js';

// Logit vectors: finite values with some ties and some -Infinity, at least one finite.
const logitsArbitrary = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, -Infinity) }), { minLength: 1, maxLength: 60 })
  .filter((values) => values.some((value) => Number.isFinite(value)))
  .map((values) => Float32Array.from(values));

const sum = (values: Float32Array): number => values.reduce((total, value) => total + value, 0);
const keptSet = (values: Float32Array): Set<number> => new Set(Array.from(values.keys()).filter((id) => (values[id] as number) > 0));
const isSubset = (a: Set<number>, b: Set<number>): boolean => [...a].every((id) => b.has(id));

describe('properties of the core samplers', () => {
  it('every chain gives probabilities that sum to 1 within 1e-6', () => {
    fc.assert(
      fc.property(
        logitsArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 70 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (logits, p, k, minP, t) => {
          const probs = createSampler([{ top_k: k }, { top_p: p }, { min_p: minP }, { temperature: t }]).distribution(logits);
          expect(Math.abs(sum(probs) - 1)).toBeLessThan(1e-6);
          expect(probs.every((value) => value >= 0 && value <= 1)).toBe(true);
        },
      ),
    );
  });

  it('the kept set only shrinks as p decreases', () => {
    fc.assert(
      fc.property(logitsArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (logits, a, b) => {
        const [low, high] = a < b ? [a, b] : [b, a];
        const small = keptSet(createSampler([{ top_p: low }]).distribution(logits));
        const large = keptSet(createSampler([{ top_p: high }]).distribution(logits));
        expect(isSubset(small, large)).toBe(true);
      }),
    );
  });

  it('the kept set only shrinks as k decreases', () => {
    fc.assert(
      fc.property(logitsArbitrary, fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), (logits, a, b) => {
        const [low, high] = a < b ? [a, b] : [b, a];
        const small = keptSet(createSampler([{ top_k: low }]).distribution(logits));
        const large = keptSet(createSampler([{ top_k: high }]).distribution(logits));
        expect(isSubset(small, large)).toBe(true);
        expect(small.size).toBe(Math.min(low, logits.filter((value) => value !== -Infinity).length));
      }),
    );
  });

  it('temperature never reorders tokens', () => {
    fc.assert(
      fc.property(logitsArbitrary, fc.double({ min: 0.01, max: 10, noNaN: true }), (logits, t) => {
        const before = softmax(logits);
        const after = createSampler([{ temperature: t }]).distribution(logits);
        for (let i = 0; i < logits.length; i++) {
          for (let j = 0; j < logits.length; j++) {
            if ((before[i] as number) > (before[j] as number)) expect(after[i] as number).toBeGreaterThanOrEqual(after[j] as number);
          }
        }
      }),
    );
  });

  it('top-p output is a prefix in probability order, the smallest that reaches p', () => {
    fc.assert(
      fc.property(logitsArbitrary, fc.double({ min: 0, max: 0.999, noNaN: true }), (logits, p) => {
        const before = softmax(logits);
        const kept = keptSet(createSampler([{ top_p: p }]).distribution(logits));
        // probability order is logit order (float32 probabilities can tie where logits do not)
        const order = Array.from(logits.keys()).sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
        const prefix = order.slice(0, kept.size);
        expect(new Set(prefix)).toEqual(kept);
        // minimal: without its last token the prefix does not reach p (float tolerance)
        const massWithoutLast = prefix.slice(0, -1).reduce((total, id) => total + (before[id] as number), 0);
        expect(massWithoutLast).toBeLessThan(p + 1e-6);
        const mass = prefix.reduce((total, id) => total + (before[id] as number), 0);
        expect(mass + 1e-6).toBeGreaterThanOrEqual(Math.min(p, 1 - 1e-6) - 1e-6);
      }),
    );
  });
});
