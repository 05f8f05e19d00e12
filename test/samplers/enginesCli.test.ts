import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const knobs = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const keptIds = (probs: number[]): number[] => probs.flatMap((p, id) => (p > 0 ? [id] : []));

describe('knobs engines', () => {
  it('prints every difference between the profiles as a table', () => {
    const result = knobs(['engines']);
    expect(result.status).toBe(0);
    for (const aspect of ['default order', 'top-k ties with the k-th', 'top-p p = 0', 'temperature = 0', 'repetition penalty counts', 'min_keep default']) {
      expect(result.stdout).toContain(aspect);
    }
  });

  it('--json lists the differences engine by engine', () => {
    const output = JSON.parse(knobs(['engines', '--json']).stdout) as { differences: { aspect: string; values: Record<string, string>; differs: boolean }[] };
    const ties = output.differences.find((row) => row.aspect === 'top-k ties with the k-th');
    expect(ties?.values).toMatchObject({ knobs: 'exactly k (lower ids first)', hf: 'keeps every tied token', vllm: 'keeps every tied token' });
    expect(output.differences.every((row) => row.differs)).toBe(true);
  });
});

describe('knobs dist: order and engines', () => {
  it('min-p before and after temperature keep different token sets on figure-20', () => {
    const first = JSON.parse(knobs(['dist', '--example', 'figure-20', '--chain', '[{"min_p":0.1},{"temperature":1.5}]', '--json']).stdout) as { probs: number[] };
    const second = JSON.parse(knobs(['dist', '--example', 'figure-20', '--chain', '[{"temperature":1.5},{"min_p":0.1}]', '--json']).stdout) as { probs: number[] };
    const a = keptIds(first.probs);
    const b = keptIds(second.probs);
    expect(a).not.toEqual(b);
    // a hotter distribution lifts the tail relative to the top, so min-p after temperature keeps more
    expect(b.length).toBeGreaterThan(a.length);
    expect(a.every((id) => b.includes(id))).toBe(true);
  });

  it('--compare-engines orders flag-style settings by each engine and shows where they differ', () => {
    const args = ['dist', '--example', 'figure-20', '--top-k', '40', '--top-p', '0.95', '--min-p', '0.05', '--temperature', '0.8', '--compare-engines'];
    const output = JSON.parse(knobs([...args, '--json']).stdout) as { engines: Record<string, { order: string[]; kept: number }>; differences: unknown[] };
    expect(output.engines['llama.cpp']?.order).toEqual(['top_k', 'top_p', 'min_p', 'temperature']);
    expect(output.engines.hf?.order).toEqual(['temperature', 'top_k', 'top_p', 'min_p']);
    expect(output.engines.vllm?.order).toEqual(['temperature', 'min_p', 'top_k', 'top_p']);
    expect(output.engines['llama.cpp']?.kept).not.toBe(output.engines.hf?.kept);
    expect(output.differences.length).toBeGreaterThan(0);
    const text = knobs(args).stdout;
    expect(text).toContain('each engine applies them in its own default order');
    expect(text).toMatch(/llama\.cpp\s+top_k > top_p > min_p > temperature/);
  });

  it('--compare-engines with --chain uses one order and reports engines that cannot run it', () => {
    const output = JSON.parse(knobs(['dist', '--example', 'top-p-8', '--chain', 'top_p=0', '--compare-engines', '--json']).stdout) as { mode: string; engines: Record<string, { error?: string; kept?: number }> };
    expect(output.mode).toBe('chain');
    expect(output.engines.knobs?.kept).toBe(1);
    expect(output.engines.vllm?.error).toMatch(/\(0, 1\] under vllm/);
  });
});
