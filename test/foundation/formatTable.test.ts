import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/cli/terminal.js';

describe('formatTable', () => {
  it('aligns numbers right and text left, under a rule as wide as the widest cell', () => {
    expect(formatTable(['token', 'p'], [['the', '0.47'], ['a', '0.3']])).toBe('token     p\n-----  ----\nthe    0.47\na       0.3');
  });

  it('lays out a whole vocabulary (`--top 0`: 200,000 rows) without running out of stack', () => {
    const rows = Array.from({ length: 200_007 }, (_, id) => [String(id), 'x']);
    const lines = formatTable(['id', 'token'], rows).split('\n');
    expect(lines).toHaveLength(200_009);
    expect(lines[2]).toBe('     0  x');
  });
});
