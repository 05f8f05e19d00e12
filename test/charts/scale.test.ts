import { describe, expect, it } from 'vitest';
import { axisTop, pythonFloat } from '../../src/charts/scale.js';
import { wilsonInterval } from '../../src/charts/wilson.js';
import { tokenLabel, tokenLabels } from '../../src/charts/theme.js';

describe('axisTop', () => {
  it('leaves room above the tallest bar of each seed panel for its label', () => {
    // 0.5896 * 1.12 = 0.660 -> 0.7; 0.4551 -> 0.6; 0.3569 * 1.12 = 0.3997 -> 0.4; 0.2477 -> 0.3
    expect([0.5895608712, 0.4551449684, 0.3568928783, 0.2476983268].map(axisTop)).toEqual([0.7, 0.6, 0.4, 0.3]);
  });

  it('works in every decade', () => {
    expect(axisTop(0.004)).toBe(0.0045);
    expect(axisTop(7)).toBe(8);
    expect(axisTop(0)).toBe(1);
  });
});

describe('pythonFloat', () => {
  it("prints as Python's str(float) did in the seed's titles", () => {
    expect([0.3, 0.7, 1, 1.5].map(pythonFloat)).toEqual(['0.3', '0.7', '1.0', '1.5']);
  });
});

describe('wilsonInterval', () => {
  it('matches the hand computation at 500 of 1000', () => {
    // z = 1.96: centre 0.5, half-width 1.96 * sqrt(0.25/1000 + 3.8415/4e6) / 1.0038415 = 0.030932
    const { low, high } = wilsonInterval(500, 1000);
    expect(low).toBeCloseTo(0.469068, 5);
    expect(high).toBeCloseTo(0.530932, 5);
  });

  it('is not empty at zero successes: [0, z²/(n + z²)]', () => {
    const { low, high } = wilsonInterval(0, 1000);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(3.841459 / (1000 + 3.841459), 6);
  });
});

describe('token labels', () => {
  it('shows whitespace and falls back to the id', () => {
    expect(tokenLabel(' the', 3)).toBe('\u2423the');
    expect(tokenLabel('\n', 4)).toBe('\u21b5');
    expect(tokenLabel(undefined, 7)).toBe('#7');
  });

  it('makes repeated texts unique with their id', () => {
    expect(tokenLabels(3, ['a', 'b', 'a'])).toEqual(['a #0', 'b', 'a #2']);
  });
});
