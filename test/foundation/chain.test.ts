import { describe, expect, it } from 'vitest';
import { ChainSpecError, createSampler, InvalidParameterError, parseChain, Rng } from '../../src/index.js';
import { expectClose, reference } from './reference.js';

const topP8 = Float32Array.from(reference.top_p_8.logits as number[]);

describe('top-p on the seed example', () => {
  it('p = 0.9 keeps the four tokens of the reference and renormalises them', () => {
    const probs = createSampler([{ top_p: 0.9 }]).distribution(topP8);
    expectClose(probs, reference.top_p_8.filtered, 1e-7);
  });

  it('p = 0 keeps exactly one token (the most likely)', () => {
    expect(Array.from(createSampler([{ top_p: 0 }]).distribution(topP8))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('p = 1 keeps every token', () => {
    const probs = createSampler([{ top_p: 1 }]).distribution(topP8);
    expectClose(probs, reference.top_p_8.original, 1e-7);
  });

  it('keeps the token that crosses p, and stops on a prefix that lands exactly on p', () => {
    const quarter = Float32Array.from([0.5, 0.25, 0.25].map(Math.log));
    // cumulative 0.5, 0.75, 1.0: p = 0.5 is reached exactly by the first token
    expect(Array.from(createSampler([{ top_p: 0.5 }]).distribution(quarter))).toEqual([1, 0, 0]);
    // p = 0.6 is crossed by the second token, which is kept (ties broken by lower id)
    expectClose(createSampler([{ top_p: 0.6 }]).distribution(quarter), [2 / 3, 1 / 3, 0], 1e-7);
  });

  it('rejects p outside [0, 1] naming the range', () => {
    expect(() => createSampler([{ top_p: 1.5 }])).toThrow(InvalidParameterError);
    expect(() => createSampler([{ top_p: 1.5 }])).toThrow('top_p.p = 1.5 is out of range: expected a number in [0, 1]');
    expect(() => createSampler([{ top_p: -0.1 }])).toThrow(/top_p\.p = -0\.1/);
  });
});

describe('top-k vs top-p on the seed cases', () => {
  for (const [name, data] of Object.entries(reference.compare_topk_topp.cases as Record<string, { logits: number[]; probs: number[]; top_k3_mass: number; 'top_p0.9_tokens': number; 'top_p0.9_true_mass': number }>)) {
    it(`${name}: top-k = 3 keeps 3 tokens with the reference mass, top-p = 0.9 keeps the reference count`, () => {
      const logits = Float32Array.from(data.logits);
      const keptMass = (probs: Float32Array): [number, number] => {
        let kept = 0;
        let mass = 0;
        probs.forEach((value, id) => {
          if (value > 0) {
            kept++;
            mass += data.probs[id] as number;
          }
        });
        return [kept, mass];
      };
      const [kKept, kMass] = keptMass(createSampler([{ top_k: 3 }]).distribution(logits));
      expect(kKept).toBe(3);
      expect(kMass).toBeCloseTo(data.top_k3_mass, 7);
      const [pKept, pMass] = keptMass(createSampler([{ top_p: 0.9 }]).distribution(logits));
      expect(pKept).toBe(data['top_p0.9_tokens']);
      expect(pMass).toBeCloseTo(data['top_p0.9_true_mass'], 7);
    });
  }
});

describe('top-k, min-p, greedy, temperature (knobs profile)', () => {
  it('top-k keeps exactly k, ties to the lower id', () => {
    const probs = createSampler([{ top_k: 2 }]).distribution(Float32Array.from([1, 2, 2, 2]));
    expect(Array.from(probs)).toEqual([0, 0.5, 0.5, 0]);
  });

  it('top-k = 0 and k >= V are no-ops; k < 0 is rejected', () => {
    const logits = Float32Array.from([1, 2, 3]);
    const all = createSampler([]).distribution(logits);
    expect(Array.from(createSampler([{ top_k: 0 }]).distribution(logits))).toEqual(Array.from(all));
    expect(Array.from(createSampler([{ top_k: 10 }]).distribution(logits))).toEqual(Array.from(all));
    expect(() => createSampler([{ top_k: -1 }])).toThrow('top_k.k = -1 is out of range: expected an integer >= 0');
  });

  it('min-p keeps probabilities >= p x max, inclusive', () => {
    const logits = Float32Array.from([4, 2, 1].map(Math.log));
    // p_max = 4/7; threshold 0.4 x 4/7 = 1.6/7: token 1 (2/7) is kept, token 2 (1/7) is cut
    expectClose(createSampler([{ min_p: 0.4 }]).distribution(logits), [4 / 6, 2 / 6, 0], 1e-7);
    // p = 1 keeps every token tied with the maximum
    expectClose(createSampler([{ min_p: 1 }]).distribution(Float32Array.from([2, 1, 2])), [0.5, 0, 0.5], 1e-7);
    expect(() => createSampler([{ min_p: 2 }])).toThrow('min_p.p = 2 is out of range: expected a number in [0, 1]');
  });

  it('greedy and temperature 0 keep the first maximum', () => {
    const logits = Float32Array.from([1, 3, 3, 2]);
    expect(Array.from(createSampler([{ greedy: true }]).distribution(logits))).toEqual([0, 1, 0, 0]);
    expect(Array.from(createSampler([{ temperature: 0 }]).distribution(logits))).toEqual([0, 1, 0, 0]);
    expect(createSampler([{ temperature: 0 }], { seed: 5 }).sample(logits)).toBe(1);
  });

  it('order matters: min-p before and after temperature keep different sets', () => {
    const logits = Float32Array.from(reference.temperature_figure.logits as number[]);
    const count = (probs: Float32Array): number => probs.filter((p) => p > 0).length;
    const minPFirst = count(createSampler([{ min_p: 0.1 }, { temperature: 1.5 }]).distribution(logits));
    const temperatureFirst = count(createSampler([{ temperature: 1.5 }, { min_p: 0.1 }]).distribution(logits));
    // by hand: at T = 1, p_i >= 0.1 p_max  <=>  l_i >= 3.158426 + ln 0.1 = 0.855841: 6 tokens;
    // at T = 1.5, l_i / 1.5 >= 3.158426 / 1.5 + ln 0.1  <=>  l_i >= -0.295452: 9 tokens (-0.276529 is in)
    expect(minPFirst).toBe(6);
    expect(temperatureFirst).toBe(9);
  });
});

describe('chain parsing', () => {
  it('reads the compact and the JSON form alike', () => {
    const compact = parseChain('top_k=40,top_p=0.95,temperature=0.8');
    const json = parseChain('[{"top_k":40},{"top_p":0.95},{"temperature":0.8}]');
    expect(compact).toEqual(json);
    expect(compact).toEqual([
      { name: 'top_k', parameters: { k: 40 } },
      { name: 'top_p', parameters: { p: 0.95 } },
      { name: 'temperature', parameters: { t: 0.8 } },
    ]);
  });

  it('reads object parameters and bare names', () => {
    expect(parseChain([{ top_p: { p: 0.9, min_keep: 2 } }, { greedy: true }])).toEqual([
      { name: 'top_p', parameters: { p: 0.9, min_keep: 2 } },
      { name: 'greedy', parameters: {} },
    ]);
    expect(parseChain('greedy')).toEqual([{ name: 'greedy', parameters: {} }]);
  });

  it('names the unknown sampler, parameter or bad value', () => {
    expect(() => parseChain('top_q=1')).toThrow(ChainSpecError);
    expect(() => parseChain('top_q=1')).toThrow(/unknown sampler "top_q"/);
    expect(() => parseChain([{ top_p: { q: 1 } }])).toThrow(/top_p has no parameter "q"/);
    expect(() => parseChain('top_p=abc')).toThrow(/value "abc" is not a number/);
    expect(() => parseChain('[{"top_p":')).toThrow(/not valid JSON/);
    expect(() => parseChain([{ top_p: 1, top_k: 2 }])).toThrow(/has 2 keys/);
  });
});

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  it('matches the C reference implementation for seed 42', () => {
    // from the authors' xoshiro128starstar.c with the state seeded by splitmix32 from 42
    const rng = new Rng(42);
    expect([1, 2, 3, 4, 5].map(() => rng.nextUint32())).toEqual([660444221, 3652823732, 77672526, 910233633, 2297337756]);
  });

  it('floats are in [0, 1) and the same seed restarts the stream', () => {
    const a = new Rng(7);
    const values = Array.from({ length: 1000 }, () => a.nextFloat());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const b = new Rng(7);
    expect(Array.from({ length: 1000 }, () => b.nextFloat())).toEqual(values);
  });

  it('rejects seeds that are not safe non-negative integers', () => {
    expect(() => new Rng(-1)).toThrow(/seed = -1 is out of range/);
    expect(() => new Rng(1.5)).toThrow(/seed = 1.5/);
  });
});

describe('createSampler', () => {
  it('the same seed gives the same draws; accept grows the history', () => {
    const logits = Float32Array.from(reference.figure_20?.logits ?? reference.temperature_figure.logits);
    const draws = (seed: number): number[] => {
      const sampler = createSampler('temperature=1.5', { seed });
      return Array.from({ length: 50 }, () => sampler.sample(logits));
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
    const sampler = createSampler([], { history: [1, 2] });
    sampler.accept(5);
    expect(sampler.generated).toEqual([1, 2, 5]);
    sampler.reset();
    expect(sampler.generated).toEqual([1, 2]);
  });

  it('trace shows the distribution after every stage', () => {
    const stages = createSampler('top_k=3,temperature=0.5').trace(topP8);
    expect(stages.map((stage) => [stage.name, stage.kept])).toEqual([
      ['input', 8],
      ['top_k', 3],
      ['temperature', 3],
    ]);
  });

  it('rejects an unknown engine with the list of engines', () => {
    expect(() => createSampler([], { engine: 'gpt' })).toThrow('engine = "gpt" is out of range: expected one of knobs, llama.cpp, hf, vllm');
  });
});
