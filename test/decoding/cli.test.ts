import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));

function knobs(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('knobs compare-decoding (embedded model)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'knobs-decoding-'));
  const prompts = join(directory, 'prompts.json');
  writeFileSync(prompts, JSON.stringify([{ prompt: 'The jury said that the city', reference: ' had been well run.' }, { prompt: 'It was a cold morning', reference: ' in the hills.' }]));

  it('--json: a human row and one row per strategy, with metrics, the paper row and the generations', () => {
    const result = knobs(['compare-decoding', '--prompts', prompts, '--max-tokens', '5', '--strategies', 'greedy,beam-4', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.model).toBe('embedded:brown-kn4');
    expect(output.rows.map((row: { name: string }) => row.name)).toEqual(['human', 'greedy', 'beam-4']);
    const [human, greedy, beam] = output.rows;
    expect(Object.keys(greedy.metrics)).toEqual(['perplexity', 'self_bleu_4', 'zipf', 'repetition_percent', 'repetition_stated_percent', 'distinct_1', 'distinct_2', 'mean_length']);
    expect(greedy.paper.repetition_percent).toBe(73.66);
    expect(beam.paper).toBeNull();
    expect(greedy.generations).toHaveLength(2);
    for (const generation of greedy.generations) expect(generation.tokens.length).toBeLessThanOrEqual(5);
    expect(human.metrics.perplexity).toBeGreaterThan(1);
    expect(output.findings).toHaveLength(6);
  });

  it('prints the table, and names a bad strategy with the allowed ones', () => {
    const table = knobs(['compare-decoding', '--prompts', prompts, '--max-tokens', '3', '--strategies', 'greedy']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Greedy\s+\d+\.\d\d/);
    const bad = knobs(['compare-decoding', '--strategies', 'beam-99']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--strategies: unknown "beam-99".*greedy, beam-4, beam-16/);
    const chart = knobs(['compare-decoding', '--chart', 'figure.gif']);
    expect(chart.status).toBe(2);
    expect(chart.stderr).toContain('--chart = "figure.gif" is out of range: expected a file name ending in .svg, .png or .vl.json');
  });
});
