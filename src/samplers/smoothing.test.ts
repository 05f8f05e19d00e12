import { describe, expect, it } from 'vitest';
import { chainFromSettings, createSampler, getProfile } from '../index.js';

describe('smoothing', () => {
  it('curve 1: l_max − f·d²', () => {
    // {0, −1, −2} with f = 0.5 → {0, −0.5, −2}: softmax {0.574097, 0.348207, 0.077696}
    const probs = createSampler([{ smoothing: 0.5 }]).distribution(new Float32Array([0, -1, -2]));
    expect(probs[0]).toBeCloseTo(0.574097, 5);
    expect(probs[1]).toBeCloseTo(0.348207, 5);
    expect(probs[2]).toBeCloseTo(0.077696, 5);
  });

  it('curve 2: k = s = 1/2, so l\' = −d²/2 + d³/2 + l_max', () => {
    // d = −1 → −1; d = −2 → −2 − 4 = −6
    const trace = createSampler([{ smoothing: { factor: 1, curve: 2 } }]).trace(new Float32Array([3, 2, 1]));
    const probs = trace[1]?.probs as Float32Array;
    const e = [1, Math.exp(-1), Math.exp(-6)];
    const sum = e[0]! + e[1]! + e[2]!;
    probs.forEach((p, id) => expect(p).toBeCloseTo(e[id]! / sum, 6));
  });

  it('koboldcpp squares the temperature-scaled gap, exllamav2 the raw one (each in its own order)', () => {
    const logits = new Float32Array([0, -1, -2]);
    const settings = { temperature: 0.5, smoothing: 1 };
    // koboldcpp: temperature first → {0, −2, −4} → −d² → {0, −4, −16}
    const kobold = createSampler(chainFromSettings(settings, getProfile('koboldcpp').defaultOrder), { engine: 'koboldcpp' }).distribution(logits);
    expect(kobold[0]).toBeCloseTo(0.982014, 5);
    expect(kobold[1]).toBeCloseTo(0.017986, 5);
    // exllamav2: −d² first → {0, −1, −4}, then / 0.5 → {0, −2, −8}: exp(−f·d²/T)
    const exl = createSampler(chainFromSettings(settings, getProfile('exllamav2').defaultOrder), { engine: 'exllamav2' }).distribution(logits);
    expect(exl[0]).toBeCloseTo(0.880537, 5);
    expect(exl[1]).toBeCloseTo(0.119168, 5);
    expect(exl[2]).toBeCloseTo(0.000295, 5);
  });

  it('curve outside [1, 3] is rejected under knobs, accepted by koboldcpp; exllamav2 has no curve', () => {
    expect(() => createSampler([{ smoothing: { factor: 1, curve: 4 } }])).toThrow(/smoothing\.curve = 4 .*\[1, 3\]/);
    expect(() => createSampler([{ smoothing: { factor: 1, curve: 4 } }], { engine: 'koboldcpp' })).not.toThrow();
    expect(() => createSampler([{ smoothing: { factor: 1, curve: 2 } }], { engine: 'exllamav2' })).toThrow(/smoothing\.curve = 2 .*no smoothing curve/);
  });

  it('koboldcpp curve 0: far tokens rise above the top one (|d| > 3)', () => {
    // k = 3/2, s = −1/2: d = −4 → −24 + 32 = +8 above l_max
    const trace = createSampler([{ smoothing: { factor: 1, curve: 0 } }], { engine: 'koboldcpp' }).trace(new Float32Array([0, -4]));
    const probs = trace[trace.length - 1]?.probs as Float32Array;
    expect(probs[1]).toBeGreaterThan(probs[0] as number);
  });

  it('factor 0 is neutral', () => {
    const probs = createSampler([{ smoothing: 0 }]).distribution(new Float32Array([0, -1]));
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });
});
