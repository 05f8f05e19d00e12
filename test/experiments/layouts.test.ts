import { describe, expect, it } from 'vitest';
import { analyzeDeterminism } from '../../src/experiments/determinism.js';
import { formatDeterminism } from '../../src/experiments/determinismLayout.js';
import { formatSeedLayout } from '../../src/experiments/seedLayout.js';
import { formatDuration, formatProgress } from '../../src/experiments/progress.js';
import { row, tokens } from './rows.js';

describe('formatSeedLayout', () => {
  it("prints openai_generate.py's layout: banner, Temperature = T, rule, numbered lines cut at 70 characters", () => {
    const long = 'a surge of colors dance within its circuits, as if the vibrant hues of orange and pink';
    const rows = [
      row({ settings: { top_p: 1, temperature: 0 }, index: 0, text: long }),
      row({ settings: { top_p: 1, temperature: 0 }, index: 1, text: ' short\nline' }),
      row({ settings: { top_p: 1, temperature: 1.5 }, index: 0, text: 'wild' }),
    ];
    expect(formatSeedLayout(rows, { title: 'TEMPERATURE EXPERIMENT (OpenAI)', printChars: 70 })).toBe(
      [
        '='.repeat(60),
        'TEMPERATURE EXPERIMENT (OpenAI)',
        '='.repeat(60),
        '',
        'Temperature = 0.0',
        '-'.repeat(40),
        '  1. a surge of colors dance within its circuits, as if the vibrant hues of...',
        '  2. short line...',
        '',
        'Temperature = 1.5',
        '-'.repeat(40),
        '  1. wild...',
        '',
      ].join('\n'),
    );
  });

  it('prints notes under the banner, refusals in brackets, every varying field, and whole texts without printChars', () => {
    const rows = [
      row({ settings: { temperature: 0.5, top_p: 1 }, text: 'x' }),
      row({ settings: { temperature: 0.5, top_p: 0.9 }, status: 'rejected', text: null, rejected: [{ parameter: 'top_p', value: 0.9, reason: 'rejected by provider: m accepts temperature or top_p, not both' }] }),
    ];
    expect(formatSeedLayout(rows, { title: 'T', notes: ['Note: n'] })).toBe(
      ['='.repeat(60), 'T', '='.repeat(60), 'Note: n', '', 'top_p = 1.0', '-'.repeat(40), '  1. x', '', 'top_p = 0.9', '-'.repeat(40), '  1. [rejected by provider: m accepts temperature or top_p, not both]', ''].join('\n'),
    );
  });

  it('names the target and prompt when a run has several', () => {
    const text = formatSeedLayout([row({ label: 'a', text: 'x' }), row({ label: 'b', text: 'y' })], { title: 'T' });
    expect(text).toContain('\n## a\n\nTemperature = 0.0\n');
    expect(text).toContain('\n## b\n\nTemperature = 0.0\n');
  });

  it('cuts by characters, not UTF-16 units', () => {
    expect(formatSeedLayout([row({ text: '😀😀😀' })], { title: 'T', printChars: 2 })).toContain('  1. 😀😀...');
  });
});

describe('formatDeterminism', () => {
  it("prints test_determinism.py's layout for a deterministic result", () => {
    const analysis = analyzeDeterminism(Array.from({ length: 10 }, () => ({ text: '2 + 2 equals 4.' })));
    expect(formatDeterminism(analysis, { heading: 'Test 1: Simple math question' })).toBe(
      ['Test 1: Simple math question', '-'.repeat(40), 'Unique responses at T=0: 1 / 10', 'Deterministic behavior confirmed!', '  Response: 2 + 2 equals 4....', ''].join('\n'),
    );
  });

  it('adds the divergence, its branches and the top-two gap to the non-deterministic layout', () => {
    const a = tokens([['In', -0.01], [' a', -0.02], [' dim', -0.3, [[' dim', -0.3], [' small', -1.5]]]]);
    const b = tokens([['In', -0.01], [' a', -0.02], [' small', -1.5, [[' dim', -0.31], [' small', -1.49]]]]);
    const text = (list: typeof a): string => list.map((token) => token.token).join('');
    const analysis = analyzeDeterminism([
      { text: text(a), tokens: a },
      { text: text(b), tokens: b },
      { text: text(a), tokens: a },
    ]);
    expect(formatDeterminism(analysis, { heading: 'Test 2: Creative prompt (longer output)' })).toBe(
      [
        'Test 2: Creative prompt (longer output)',
        '-'.repeat(40),
        'Unique responses at T=0: 2 / 3',
        'Non-determinism detected!',
        '  - In a dim...  (2x)',
        '  - In a small...  (1x)',
        'First divergence at token 2 (0-based), after "In a":',
        '  2x " dim"',
        '  1x " small"',
        // gap = -0.3 - (-1.5) = 1.2 nats; p = e^-0.3 = 0.7408, e^-1.5 = 0.2231
        'Top two candidates there: " dim" (logprob -0.3000, p 0.7408) vs " small" (logprob -1.5000, p 0.2231): gap 1.2000 nats',
        '',
      ].join('\n'),
    );
  });

  it('says when there are no log-probabilities', () => {
    const analysis = analyzeDeterminism([{ text: 'ab' }, { text: 'ac' }]);
    expect(formatDeterminism(analysis)).toContain('First divergence at character 1 (0-based), after "a":\n  1x "b"\n  1x "c"\nNo log-probabilities at the divergence (the provider gives none).');
  });
});

describe('progress', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75_000)).toBe('1:15');
    expect(formatDuration(3_661_000)).toBe('1:01:01');
  });

  it('draws the bar, the count, the percentage, elapsed time and ETA', () => {
    expect(formatProgress({ done: 12, total: 48, resumed: 0, failed: 0, elapsedMs: 3000, etaMs: 9000 }, 20)).toBe('[#####---------------] 12/48  25%  0:03 elapsed  ETA 0:09');
    expect(formatProgress({ done: 0, total: 10, resumed: 0, failed: 2, elapsedMs: 0 }, 10)).toBe('[----------] 0/10   0%  0:00 elapsed  ETA --:--  2 failed');
  });
});
