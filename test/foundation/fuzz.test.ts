import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSampler, KnobsError, parseChain, parseDistribution } from '../../src/index.js';

/** Runs `action`; it must return or throw a KnobsError (a clear, typed message), never anything else. */
function endsCleanly(action: () => unknown): unknown {
  try {
    return action();
  } catch (error) {
    if (!(error instanceof KnobsError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toMatch(/undefined|\[object Object\]/);
    return undefined;
  }
}

const chainText = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .array(
      fc.tuple(fc.constantFrom('top_k', 'top_p', 'min_p', 'temperature', 'greedy', 'top_q', '', 'top_k='), fc.oneof(fc.string(), fc.double().map(String), fc.constantFrom('0', '1', '-1', '1e999', 'NaN', '{}', '[', '{"p":2}'))),
      { maxLength: 5 },
    )
    .map((parts) => parts.map(([name, value]) => `${name}=${value}`).join(',')),
);

describe('fuzz: chain parser', () => {
  it('every string or JSON value ends in a chain or a clear error', () => {
    const logits = Float32Array.from([3, 2, 1, 0, -1]);
    fc.assert(
      fc.property(chainText, (text) => {
        const sampler = endsCleanly(() => createSampler(text));
        if (sampler) {
          const probs = (sampler as ReturnType<typeof createSampler>).distribution(logits);
          expect(probs.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary JSON values as chains end cleanly', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        endsCleanly(() => parseChain(value));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fuzz: logits and probabilities readers', () => {
  it('random text ends in logits without NaN or a clear error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.array(fc.oneof(fc.double(), fc.constant(null), fc.string())).map((a) => JSON.stringify(a))), fc.constantFrom<'logits' | 'probs'>('logits', 'probs'), (text, kind) => {
        const parsed = endsCleanly(() => parseDistribution(text, kind)) as ReturnType<typeof parseDistribution> | undefined;
        if (parsed) {
          expect(parsed.logits.some((value) => Number.isNaN(value))).toBe(false);
          const probs = createSampler('top_p=0.9').distribution(parsed.logits);
          expect(probs.every((value) => Number.isFinite(value))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('names the offending entry', () => {
    expect(() => parseDistribution('[1, "x"]', 'logits')).toThrow('logits[1] = "x" is not a number');
    expect(() => parseDistribution('[0.5, 0.7]', 'probs')).toThrow(/sum to 1\.2/);
    expect(() => parseDistribution('[0.5, 1.5]', 'probs')).toThrow('probs[1] = 1.5 is out of range: expected a probability in [0, 1]');
    expect(() => parseDistribution('[1e39]', 'logits')).toThrow(/float32/);
    expect(() => parseDistribution('{"logits": [1, 2], "tokens": ["a"]}', 'logits')).toThrow(/expected 2 strings/);
    expect(parseDistribution('[0, null, "-Infinity"]', 'logits').logits[2]).toBe(-Infinity);
  });
});
