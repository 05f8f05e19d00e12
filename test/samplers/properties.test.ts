import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSampler, ENGINE_NAMES, getProfile, InvalidParameterError, KnobsError, softmax, type StageSpec } from '../../src/index.js';

/**
 * Properties of every sampler under every engine that has it: a valid distribution or a
 * clear error; a no-op at the neutral value; invalid parameters rejected with the range.
 */

type Value = StageSpec[string];
interface SamplerCase {
  /** Random valid settings. */
  readonly valid: fc.Arbitrary<Value>;
  /** Settings that must leave the distribution unchanged. */
  readonly neutral: readonly Value[];
  /** Settings that must be rejected, with a fragment of the allowed range. */
  readonly invalid: readonly (readonly [Value, string])[];
}

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const small = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });

const CASES: Record<string, SamplerCase> = {
  temperature: {
    valid: fc.double({ min: 0, max: 5, noNaN: true }),
    neutral: [1],
    invalid: [[-1, '>= 0'], [Number.NaN, 'finite']],
  },
  dynatemp: {
    valid: fc.record({ t: fc.double({ min: 0, max: 3, noNaN: true }), range: fc.double({ min: 0, max: 2, noNaN: true }), exponent: fc.double({ min: 0, max: 3, noNaN: true }) }),
    neutral: [{ t: 1, range: 0 }],
    invalid: [[{ t: 1, range: -1 }, '>= 0'], [{ t: -1 }, '>= 0']],
  },
  top_k: {
    valid: fc.record({ k: small(40), min_keep: small(5) }),
    neutral: [0, -1],
    invalid: [[1.5, 'integer']],
  },
  top_p: {
    valid: fc.record({ p: fc.double({ min: 0.01, max: 1, noNaN: true }), min_keep: small(5) }),
    neutral: [1],
    invalid: [[1.5, '[0, 1]'], [-0.1, '[0, 1]']],
  },
  min_p: {
    valid: fc.record({ p: unit, min_keep: small(5) }),
    neutral: [0],
    invalid: [[Number.NaN, 'number']],
  },
  typical_p: {
    valid: fc.record({ p: unit, min_keep: small(5) }),
    neutral: [1],
    invalid: [[2, '[0, 1]'], [{ p: 0.5, min_keep: -1 }, '>= 0']],
  },
  top_n_sigma: {
    valid: fc.record({ n: fc.double({ min: 0, max: 4, noNaN: true }), min_keep: small(3) }),
    neutral: [0],
    invalid: [[Number.POSITIVE_INFINITY, 'finite']],
  },
  epsilon: {
    valid: fc.record({ epsilon: fc.double({ min: 0, max: 0.99, noNaN: true }), min_keep: small(3) }),
    neutral: [0],
    invalid: [[1, '[0, 1)'], [-0.1, '[0, 1)']],
  },
  eta: {
    valid: fc.record({ eta: fc.double({ min: 0, max: 0.99, noNaN: true }), min_keep: small(3) }),
    neutral: [0],
    invalid: [[1.2, '[0, 1)']],
  },
  xtc: {
    valid: fc.record({ threshold: unit, probability: unit, min_keep: small(3) }),
    neutral: [{ threshold: 0.1, probability: 0 }, { threshold: 0.6, probability: 1 }],
    invalid: [[{ threshold: 2, probability: 0.5 }, '[0, 1]'], [{ threshold: 0.1, probability: -1 }, '[0, 1]']],
  },
  penalties: {
    valid: fc.record({ repeat: fc.double({ min: 0.1, max: 3, noNaN: true }), frequency: fc.double({ min: -2, max: 2, noNaN: true }), presence: fc.double({ min: -2, max: 2, noNaN: true }) }),
    neutral: [{ repeat: 1, frequency: 0, presence: 0 }],
    invalid: [[{ repeat: 0 }, '> 0'], [{ repeat: 1.1, last_n: -2 }, '>= -1']],
  },
  dry: {
    valid: fc.record({ multiplier: fc.double({ min: 0, max: 3, noNaN: true }), base: fc.double({ min: 1, max: 3, noNaN: true }), allowed_length: small(4), breakers: fc.array(small(9), { maxLength: 2 }) }),
    neutral: [{ multiplier: 0 }],
    invalid: [[{ multiplier: 1, base: 0.5 }, '>= 1'], [{ multiplier: -1 }, '>= 0'], [{ multiplier: 1, allowed_length: 1.5 }, 'integer']],
  },
  no_repeat_ngram: {
    valid: small(4),
    neutral: [0],
    invalid: [[-1, '>= 0']],
  },
  logit_bias: {
    valid: fc.dictionary(small(9).map(String), fc.double({ min: -50, max: 50, noNaN: true }), { maxKeys: 3 }),
    neutral: [{}],
    invalid: [[{ a: 1 }, 'token id'], [{ '1': 'x' }, 'finite number']],
  },
  mirostat: {
    valid: fc.record({ version: fc.constantFrom(1, 2), tau: fc.double({ min: 0, max: 10, noNaN: true }), eta: fc.double({ min: 0, max: 1, noNaN: true }) }),
    neutral: [],
    invalid: [[3, '1 or 2'], [{ version: 2, tau: -1 }, '>= 0']],
  },
  greedy: { valid: fc.constant(true), neutral: [], invalid: [] },
  top_h: {
    valid: fc.double({ min: 0.01, max: 1, noNaN: true }),
    neutral: [0],
    invalid: [[1.5, '[0, 1]']],
  },
  top_a: {
    valid: fc.record({ a: fc.double({ min: 0, max: 3, noNaN: true }), min_keep: small(3) }),
    neutral: [0],
    invalid: [[-1, '>= 0']],
  },
  tfs: {
    valid: fc.record({ z: unit, min_keep: small(3) }),
    neutral: [1],
    invalid: [[2, '[0, 1]']],
  },
  smoothing: {
    valid: fc.record({ factor: fc.double({ min: 0, max: 3, noNaN: true }), curve: fc.double({ min: 1, max: 3, noNaN: true }) }),
    neutral: [0],
    invalid: [[-1, '>= 0'], [{ factor: 1, curve: 5 }, '[1, 3]']],
  },
  skew: {
    valid: fc.double({ min: -3, max: 3, noNaN: true }),
    neutral: [0],
    invalid: [[Number.NaN, 'finite']],
  },
  adaptive_p: {
    valid: fc.record({ target: fc.double({ min: -1, max: 1, noNaN: true }), decay: fc.double({ min: 0, max: 0.99, noNaN: true }) }),
    neutral: [],
    invalid: [[{ target: 0.3, decay: 1 }, '[0, 0.99]']],
  },
  min_tokens: {
    valid: fc.record({ min: small(4), stop: fc.array(small(30), { maxLength: 2 }) }),
    neutral: [0, { min: 0, stop: [1] }],
    invalid: [[-1, '>= 0'], [{ min: 1, stop: [-1] }, 'token ids']],
  },
  bad_words: {
    valid: fc.record({ sequences: fc.array(fc.array(small(30), { minLength: 1, maxLength: 3 }), { maxLength: 3 }) }),
    neutral: [{ sequences: [] }],
    invalid: [[{ sequences: [[]] }, 'non-empty arrays']],
  },
  allowed_tokens: {
    valid: fc.record({ ids: fc.array(small(30), { maxLength: 4 }) }),
    neutral: [{ ids: [] }],
    invalid: [[{ ids: [1.5] }, 'token ids']],
  },
};

const logitsArbitrary = fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 24 }).map((values) => Float32Array.from(values));
const historyArbitrary = fc.array(small(12), { maxLength: 12 });

const expectDistribution = (probs: Float32Array): void => {
  let sum = 0;
  for (const p of probs) {
    expect(Number.isFinite(p) && p >= 0).toBe(true);
    sum += p;
  }
  expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
};

for (const [name, samplerCase] of Object.entries(CASES)) {
  describe(`${name}`, () => {
    const engines = ENGINE_NAMES.filter((engine) => getProfile(engine).supported.includes(name));

    it.each(engines)('gives a valid distribution or a clear error (%s)', (engine) => {
      fc.assert(
        fc.property(logitsArbitrary, samplerCase.valid, historyArbitrary, fc.nat(1000), (logits, value, history, seed) => {
          try {
            const sampler = createSampler([{ [name]: value }], { engine, history, seed });
            expectDistribution(sampler.distribution(logits));
            const id = sampler.sample(logits);
            expect(id >= 0 && id < logits.length).toBe(true);
          } catch (error) {
            if (!(error instanceof KnobsError)) throw error;
            expect(error.message).toMatch(/expected|nothing left|not available/);
          }
        }),
        { numRuns: 60 },
      );
    });

    if (samplerCase.neutral.length > 0) {
      it.each(engines)('is a no-op at its neutral value (%s)', (engine) => {
        // a neutral value the engine itself refuses (SGLang's top_k 0, vLLM's empty allowed_token_ids) is left out
        const accepted = samplerCase.neutral.filter((value) => {
          try {
            createSampler([{ [name]: value }], { engine });
            return true;
          } catch (error) {
            if (error instanceof InvalidParameterError) return false;
            throw error;
          }
        });
        if (accepted.length === 0) return; // no neutral value under this engine (transformers' top_h is in (0, 1])
        fc.assert(
          fc.property(logitsArbitrary, historyArbitrary, fc.constantFrom(...accepted), (logits, history, value) => {
            const probs = createSampler([{ [name]: value }], { engine, history }).distribution(logits);
            const expected = softmax(logits);
            probs.forEach((p, id) => expect(Math.abs(p - (expected[id] as number))).toBeLessThan(1e-6));
          }),
          { numRuns: 40 },
        );
      });
    }

    for (const [value, fragment] of samplerCase.invalid) {
      it(`rejects ${JSON.stringify(value)} naming the parameter and the allowed range (${fragment})`, () => {
        let caught: unknown;
        try {
          createSampler([{ [name]: value }]);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(InvalidParameterError);
        const message = (caught as Error).message;
        expect(message).toContain(name === 'logit_bias' ? 'logit_bias' : `${name}.`);
        expect(message).toContain(fragment);
        expect(message).toContain('expected');
      });
    }
  });
}

describe('engine-specific rejections', () => {
  it('vLLM rejects top_p = 0 with its range (0, 1]', () => {
    expect(() => createSampler([{ top_p: 0 }], { engine: 'vllm' })).toThrow(/top_p\.p = 0 .*\(0, 1\] under vllm/);
  });
  it('transformers rejects temperature 0 and points to greedy', () => {
    expect(() => createSampler([{ temperature: 0 }], { engine: 'hf' })).toThrow(/temperature\.t = 0 .*greedy/);
  });
  it('vLLM bounds frequency and presence to [-2, 2]', () => {
    expect(() => createSampler([{ penalties: { frequency: 3 } }], { engine: 'vllm' })).toThrow(/\[-2, 2\] under vllm/);
  });
  it('transformers has no frequency penalty', () => {
    expect(() => createSampler([{ penalties: { presence: 0.5 } }], { engine: 'hf' })).toThrow(/multiplicative repetition penalty/);
  });
  it('a sampler an engine lacks is refused, naming the engine', () => {
    expect(() => createSampler([{ xtc: { threshold: 0.1, probability: 1 } }], { engine: 'vllm' })).toThrow(/xtc is not available under --engine vllm/);
  });
});
