import { describe, expect, it } from 'vitest';
import { Candidates, createSampler, getProfile, Rng } from '../index.js';
import { xtcSampler } from './xtc.js';

const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);
const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('xtc', () => {
  it('removes every token at or above the threshold except the least likely of them', () => {
    const probs = createSampler([{ xtc: { threshold: 0.19, probability: 1 } }]).distribution(fromProbs([0.4, 0.3, 0.2, 0.1]));
    expect(kept(probs)).toEqual([2, 3]);
  });

  it('does nothing when only one token reaches the threshold, or the threshold is above 0.5', () => {
    expect(kept(createSampler([{ xtc: { threshold: 0.35, probability: 1 } }]).distribution(fromProbs([0.4, 0.3, 0.2, 0.1])))).toEqual([0, 1, 2, 3]);
    expect(kept(createSampler([{ xtc: { threshold: 0.6, probability: 1 } }]).distribution(fromProbs([0.7, 0.3])))).toEqual([0, 1]);
  });

  it('draws exactly one number from the chain generator when active, none when not', () => {
    const rng = new Rng(3);
    const reference = new Rng(3);
    const candidates = new Candidates(4);
    candidates.load(fromProbs([0.4, 0.3, 0.2, 0.1]));
    xtcSampler({ threshold: 0.1, probability: 0.5, min_keep: 1 }, getProfile('knobs')).apply(candidates, { rng, generated: [], prompt: [] });
    reference.nextFloat();
    expect(rng.state()).toEqual(reference.state());
    candidates.load(fromProbs([0.4, 0.3, 0.2, 0.1]));
    xtcSampler({ threshold: 0.1, probability: 0, min_keep: 1 }, getProfile('knobs')).apply(candidates, { rng, generated: [], prompt: [] });
    expect(rng.state()).toEqual(reference.state());
  });

  it('removes only when the draw is at most the probability', () => {
    const u = new Rng(11).nextFloat();
    const removes = kept(createSampler([{ xtc: { threshold: 0.19, probability: u } }], { seed: 11 }).distribution(fromProbs([0.4, 0.3, 0.2, 0.1])));
    const keeps = kept(createSampler([{ xtc: { threshold: 0.19, probability: u / 2 } }], { seed: 11 }).distribution(fromProbs([0.4, 0.3, 0.2, 0.1])));
    expect(removes).toEqual([2, 3]);
    expect(keeps).toEqual([0, 1, 2, 3]);
  });
});
