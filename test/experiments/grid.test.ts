import { describe, expect, it } from 'vitest';
import { gridPoints, parseGrid, settingsLabel } from '../../src/experiments/grid.js';

describe('parseGrid', () => {
  it('reads the compact form, axes in order, values in order', () => {
    expect(parseGrid('temperature=0,0.5,1,1.5;top_p=1,0.9')).toEqual([
      { field: 'temperature', values: [0, 0.5, 1, 1.5] },
      { field: 'top_p', values: [1, 0.9] },
    ]);
  });

  it('reads the object form, a single number being a one-value axis', () => {
    expect(parseGrid({ top_k: [40, 0], min_p: 0.05 })).toEqual([
      { field: 'top_k', values: [40, 0] },
      { field: 'min_p', values: [0.05] },
    ]);
  });

  it('ignores blanks and a trailing ";"', () => {
    expect(parseGrid(' temperature = 0 , 1 ; ')).toEqual([{ field: 'temperature', values: [0, 1] }]);
  });

  it('names an unknown field and lists the knob fields', () => {
    expect(() => parseGrid('temprature=0,1')).toThrow(/grid field = "temprature" is out of range: expected a numeric knob field \(temperature, top_k, top_p/);
  });

  it('refuses a value that is not a number, naming it', () => {
    expect(() => parseGrid('temperature=0,hot')).toThrow('grid temperature value = "hot" is out of range: expected a finite number');
    expect(() => parseGrid('temperature=0,')).toThrow('grid temperature value = "" is out of range: expected a finite number');
  });

  it('refuses an axis without "=", a repeated field and a repeated value', () => {
    expect(() => parseGrid('temperature')).toThrow(/expected field=v1,v2/);
    expect(() => parseGrid('temperature=0;temperature=1')).toThrow('grid field = "temperature" is out of range: expected each field once');
    expect(() => parseGrid('top_p=1,0.9,1')).toThrow(/1 is repeated/);
    expect(() => parseGrid('')).toThrow(/at least one axis/);
  });

  it('refuses map-valued fields such as logit_bias', () => {
    expect(() => parseGrid('logit_bias=1')).toThrow(/numeric knob field/);
  });
});

describe('gridPoints', () => {
  it('is the Cartesian product with the first axis varying slowest', () => {
    expect(gridPoints(parseGrid('temperature=0,1;top_p=1,0.9'))).toEqual([
      { temperature: 0, top_p: 1 },
      { temperature: 0, top_p: 0.9 },
      { temperature: 1, top_p: 1 },
      { temperature: 1, top_p: 0.9 },
    ]);
  });

  it('has one point per combination: 4 x 2 x 3 = 24', () => {
    expect(gridPoints(parseGrid('temperature=0,0.5,1,1.5;top_p=1,0.9;top_k=0,10,40'))).toHaveLength(24);
  });

  it('gives one empty point for no axes', () => {
    expect(gridPoints([])).toEqual([{}]);
  });
});

describe('settingsLabel', () => {
  it('lists fields in order, or says defaults', () => {
    expect(settingsLabel({ temperature: 0.5, top_p: 0.9 })).toBe('temperature=0.5 top_p=0.9');
    expect(settingsLabel({})).toBe('defaults');
  });
});
