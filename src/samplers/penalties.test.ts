import { describe, expect, it } from 'vitest';
import { createSampler, createStage, parseChain, getProfile, Candidates, Rng } from '../index.js';

/** Logits after the penalties stage, for hand-checked arithmetic. */
function penalised(engine: string, stage: object, logits: number[], history: number[], prompt: number[] = []): number[] {
  const [parsed] = parseChain([{ penalties: stage }] as never);
  const candidates = new Candidates(logits.length);
  candidates.load(logits);
  createStage('penalties', parsed!.parameters, getProfile(engine)).apply(candidates, { rng: new Rng(0), generated: history, prompt });
  return Array.from(candidates.logits);
}

describe('penalties', () => {
  it('divides positive logits and multiplies negative ones by the repetition penalty', () => {
    expect(penalised('knobs', { repeat: 2 }, [2, -2, 1], [0, 1])).toEqual([1, -4, 1]);
  });

  it('subtracts count × frequency + presence, once per distinct token for presence', () => {
    expect(penalised('knobs', { frequency: 0.5, presence: 1 }, [0, 0, 0], [0, 0, 1])).toEqual([-2, -1.5, 0]);
  });

  it('vLLM counts prompt tokens for repetition but only generated tokens for frequency and presence', () => {
    expect(penalised('vllm', { frequency: 1 }, [0, 0, 0], [1], [0])).toEqual([0, -1, 0]);
    expect(penalised('knobs', { frequency: 1 }, [0, 0, 0], [1], [0])).toEqual([-1, -1, 0]);
    expect(penalised('vllm', { repeat: 2 }, [1, 1, 1], [1], [0])).toEqual([0.5, 0.5, 1]);
  });

  it('last_n keeps only the most recent tokens of prompt + generated', () => {
    expect(penalised('knobs', { repeat: 2, last_n: 1 }, [1, 1, 1], [0, 1])).toEqual([1, 0.5, 1]);
  });

  it("llama.cpp's default window is 64 tokens; knobs counts them all", () => {
    const history = [0, ...new Array<number>(64).fill(1)];
    expect(penalised('llama.cpp', { repeat: 2 }, [1, 1, 1], history)).toEqual([1, 0.5, 1]);
    expect(penalised('knobs', { repeat: 2 }, [1, 1, 1], history)).toEqual([0.5, 0.5, 1]);
  });

  it('reads --history and --prompt-tokens through the chain', () => {
    const probs = createSampler([{ penalties: { repeat: 50, last_n: 1 } }], { history: [0] }).distribution(new Float32Array(5).fill(Math.log(0.2)));
    expect(probs[0]).toBeLessThan(1e-6);
  });
});
