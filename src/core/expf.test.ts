import { describe, expect, it } from 'vitest';
import { expf } from './expf.js';
import { floatKey, keyFloat } from './float32.js';

describe('expf', () => {
  it('is e^x correctly rounded to float32 on a sweep of float32 inputs in [-104, 88]', () => {
    // Math.fround(Math.exp(x)): a float64 exponential within 1 ulp, rounded once.
    let mismatches = 0;
    for (let key = floatKey(-104); key <= floatKey(88); key += 997) {
      const x = keyFloat(key);
      if (expf(x) !== Math.fround(Math.exp(x))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('gives 1 at 0, 0 far below, Infinity above the float32 range', () => {
    expect(expf(0)).toBe(1);
    expect(expf(-0)).toBe(1);
    expect(expf(-104)).toBe(0);
    expect(expf(-1e30)).toBe(0);
    expect(expf(-Infinity)).toBe(0);
    expect(expf(89)).toBe(Infinity);
    expect(expf(-103.2)).toBe(Math.fround(Math.exp(Math.fround(-103.2)))); // a float32 subnormal
  });
});
