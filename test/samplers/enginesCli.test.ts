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

describe('knobs engines: every profile', () => {
  it('lists the eleven profiles, each saying how its rules were checked', () => {
    const output = JSON.parse(knobs(['engines', '--json']).stdout) as { engines: { name: string; verified: string; sources: string[] }[] };
    expect(output.engines.map((engine) => engine.name)).toEqual(['knobs', 'llama.cpp', 'hf', 'vllm', 'sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp']);
    for (const name of ['sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2']) {
      expect(output.engines.find((engine) => engine.name === name)?.verified).toMatch(/not run/);
    }
    for (const name of ['transformers.js', 'node-llama-cpp']) expect(output.engines.find((engine) => engine.name === name)?.verified).toMatch(/^run/);
    const text = knobs(['engines']).stdout;
    for (const name of ['sglang', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp']) expect(text).toContain(name);
    expect(text).toContain('knobs accepted but ignored');
  });

  it('--engines picks the columns, and the differences are those between them', () => {
    const output = JSON.parse(knobs(['engines', '--engines', 'llama.cpp,ollama', '--json']).stdout) as { engines: { name: string }[]; differences: { aspect: string; values: Record<string, string> }[] };
    expect(output.engines.map((engine) => engine.name)).toEqual(['llama.cpp', 'ollama']);
    // Ollama sends llama.cpp its own defaults: top_p 0.9 and min_p 0
    expect(output.differences.find((row) => row.aspect === 'default top_p')?.values).toEqual({ 'llama.cpp': '0.95', ollama: '0.9' });
    expect(output.differences.find((row) => row.aspect === 'top-p rule')).toBeUndefined();
    const bad = knobs(['engines', '--engines', 'vllm,tgi']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/"tgi" is not an engine: expected some of knobs, llama\.cpp/);
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

  it('--compare-engines shows every engine, with a line for each knob it ignores', () => {
    const args = ['dist', '--example', 'figure-20', '--top-k', '40', '--top-p', '0.95', '--min-p', '0.05', '--temperature', '0.8', '--compare-engines'];
    const text = knobs(args).stdout;
    for (const name of ['knobs', 'llama.cpp', 'hf', 'vllm', 'sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp']) {
      expect(text).toMatch(new RegExp(`^  ${name.replace('.', '\\.')}\\s+\\S`, 'm'));
    }
    expect(text).toMatch(/ignored: transformers\.js ignores top_p \(p = 0\.95\)/);
    expect(text).toMatch(/ignored: transformers\.js ignores min_p \(p = 0\.05\)/);
    const output = JSON.parse(knobs([...args, '--json']).stdout) as { engines: Record<string, { kept: number; warnings: string[] }> };
    expect(output.engines['transformers.js']?.warnings).toHaveLength(2);
    expect(output.engines['transformers.js']?.kept).toBe(20); // top-k 40 of 20 tokens, nothing else applied
    expect(output.engines.vllm?.warnings).toEqual([]);
    const some = JSON.parse(knobs([...args, '--engines', 'knobs,exllamav2', '--json']).stdout) as { engines: Record<string, unknown> };
    expect(Object.keys(some.engines)).toEqual(['knobs', 'exllamav2']);
  });

  it('dist, sample and next under an engine that ignores a knob warn on stderr and list it in --json', () => {
    const dist = knobs(['dist', '--example', 'figure-20', '--engine', 'transformers.js', '--top-p', '0.5', '--json']);
    expect(dist.status).toBe(0);
    expect(dist.stderr).toMatch(/^warning: transformers\.js ignores top_p \(p = 0\.5\)/m);
    expect((JSON.parse(dist.stdout) as { warnings: string[] }).warnings).toHaveLength(1);
    const sample = knobs(['sample', '--example', 'figure-20', '--engine', 'sglang', '--repeat-penalty', '1.2', '--history', '0', '--n', '100', '--json']);
    expect(sample.stderr).toMatch(/warning: sglang ignores penalties\.repeat = 1\.2/);
    expect((JSON.parse(sample.stdout) as { warnings: string[] }).warnings).toHaveLength(1);
    const clean = JSON.parse(knobs(['dist', '--example', 'figure-20', '--top-p', '0.5', '--json']).stdout) as { warnings: string[] };
    expect(clean.warnings).toEqual([]);
  });

  it('--compare-engines with --chain uses one order and reports engines that cannot run it', () => {
    const output = JSON.parse(knobs(['dist', '--example', 'top-p-8', '--chain', 'top_p=0', '--compare-engines', '--json']).stdout) as { mode: string; engines: Record<string, { error?: string; kept?: number }> };
    expect(output.mode).toBe('chain');
    expect(output.engines.knobs?.kept).toBe(1);
    expect(output.engines.vllm?.error).toMatch(/\(0, 1\] under vllm/);
  });
});
