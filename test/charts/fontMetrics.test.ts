import { describe, expect, it } from 'vitest';
import { fontMetrics } from '../../src/charts/fonts.js';

describe('DejaVu Sans metrics', () => {
  const { regular, bold } = fontMetrics();

  it('reads the font design grid of 2048 units per em', () => {
    expect(regular.unitsPerEm).toBe(2048);
    expect(bold.unitsPerEm).toBe(2048);
  });

  it('reads the advance widths DejaVu Sans publishes (space 651, tabular digits 1303)', () => {
    expect(regular.advance(' '.codePointAt(0) as number)).toBe(651);
    for (const digit of '0123456789') expect(regular.advance(digit.codePointAt(0) as number)).toBe(1303);
    expect(bold.advance('0'.codePointAt(0) as number)).toBe(1425);
  });

  it('measures a string as the sum of its advances times size / units per em', () => {
    // "59.0%": three digits, a period and a percent sign.
    const units = 3 * 1303 + 651 + 1946;
    expect(regular.width('59.0%', 12)).toBeCloseTo((units * 12) / 2048, 10);
    expect(regular.width('', 12)).toBe(0);
  });

  it('kerns pairs from the kern table: "Te" is narrower than T plus e', () => {
    const [t, e] = ['T', 'e'].map((char) => char.codePointAt(0) as number) as [number, number];
    expect(regular.kerning(t, e)).toBeLessThan(0);
    expect(regular.width('Te', 2048)).toBe(regular.advance(t) + regular.advance(e) + regular.kerning(t, e));
    expect(regular.kerning(e, t)).toBe(0);
  });

  it('maps characters outside the Basic Latin block (␣, ×, →)', () => {
    for (const char of ['\u2423', '\u00d7', '\u2192']) expect(regular.advance(char.codePointAt(0) as number)).toBeGreaterThan(0);
  });
});
