import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_CACHE_DIRECTORY } from '../models/sharedModel.js';
import { reference } from './reference.js';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));

function knobs(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, CI: 'true', KNOBS_CACHE_DIR: TEST_CACHE_DIRECTORY };
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('knobs dist', () => {
  it('top-p = 0.9 on top-p-8 gives the reference probabilities (--json contract)', () => {
    const result = knobs(['dist', '--example', 'top-p-8', '--chain', 'top_p=0.9', '--json']);
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.probs.map((p: number) => p.toFixed(4))).toEqual(['0.4740', '0.2875', '0.1744', '0.0641', '0.0000', '0.0000', '0.0000', '0.0000']);
    expect(output.kept).toBe(4);
    expect(output.entropy.before).toBeCloseTo(-reference.top_p_8.original.reduce((s: number, p: number) => s + p * Math.log(p), 0), 6);
    expect(output.entropy.after).toBeCloseTo(-reference.top_p_8.filtered.slice(0, 4).reduce((s: number, p: number) => s + p * Math.log(p), 0), 6);
  });

  it('reads logits from stdin and the JSON chain form; knob flags work without --chain', () => {
    const viaStdin = knobs(['dist', '--logits', '-', '--chain', '[{"top_k":2}]', '--json'], '{"logits":[1,3,2,0],"tokens":["a","b","c","d"]}');
    expect(viaStdin.status).toBe(0);
    const output = JSON.parse(viaStdin.stdout);
    expect(output.kept).toBe(2);
    expect(output.tokens).toEqual(['a', 'b', 'c', 'd']);
    expect(output.probs[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    const flags = JSON.parse(knobs(['dist', '--example', 'top-p-8', '--top-p', '0.9', '--json']).stdout);
    expect(flags.kept).toBe(4);
  });

  it('kept counts the chain\'s decision: a kept token whose probability underflows still counts', () => {
    // transformers' test_top_p_dist_warper: the x100 ramp keeps two tokens with min_tokens_to_keep=2.
    const logits = JSON.stringify([-500, -400, -300, -200, -100, 0, 100, 200, 300, 400]);
    const output = JSON.parse(knobs(['dist', '--logits', '-', '--chain', '[{"top_p":{"p":0.9,"min_keep":2}}]', '--engine', 'hf', '--json'], logits).stdout);
    expect(output.kept).toBe(2);
    expect(output.kept_mask).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(output.probs[8]).toBe(0); // e^-100 / (1 + e^-100): exp32 underflows at -87.3
    expect(output.probs[9]).toBe(1);
  });

  it('prints a readable table', () => {
    const result = knobs(['dist', '--example', 'top-p-8', '--chain', 'top_p=0.9']);
    expect(result.stdout).toMatch(/the\s+3\.0\s+0\.4367\s+0\.4740\s+kept\s+0\.4367/);
    expect(result.stdout).toMatch(/that\s+0\.5\s+0\.0358\s+0\.0000\s+cut/);
    expect(result.stdout).toContain('kept 4 of 8 tokens');
  });

  it('bad input gives a clear error, no stack trace, non-zero status', () => {
    const bad = knobs(['dist', '--example', 'top-p-8', '--chain', 'top_p=1.5']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toBe('knobs: top_p.p = 1.5 is out of range: expected a number in [0, 1]\n');
    const nan = knobs(['dist', '--logits', '-'], '[1, "NaN"]');
    expect(nan.stderr).toContain('logits[1] = "NaN" is not a number');
    expect(nan.stderr).not.toMatch(/\n\s+at /);
    const unknown = knobs(['dist', '--example', 'nope']);
    expect(unknown.stderr).toMatch(/example "nope" does not exist: expected one of softmax-5, top-p-8/);
    const seed = knobs(['sample', '--example', 'top-p-8', '--seed', '-3']);
    expect(seed.stderr).toMatch(/--seed = "-3" is out of range/);
  });
});

describe('a prompt on the embedded model as the input', () => {
  it('dist --prompt gives the same distribution as knobs next', () => {
    const dist = JSON.parse(knobs(['dist', '--prompt', 'The weather today is', '--top-k', '3', '--json']).stdout);
    const next = JSON.parse(knobs(['next', 'The weather today is', '--top-k', '3', '--json']).stdout);
    expect(dist.kept).toBe(3);
    expect(dist.probs).toEqual(next.probs);
    expect(dist.probs.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('--model without --prompt is a usage error', () => {
    const result = knobs(['dist', '--model', 'embedded', '--example', 'top-p-8']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--model needs --prompt TEXT');
  });
});

describe('knobs sample', () => {
  it('the same seed prints the same counts, and the p-value is not small', () => {
    const args = ['sample', '--example', 'top-p-8', '--chain', 'top_p=0.9', '--n', '100000', '--seed', '7', '--json'];
    const first = JSON.parse(knobs(args).stdout);
    const second = JSON.parse(knobs(args).stdout);
    expect(first.counts).toEqual(second.counts);
    expect(first.counts.reduce((a: number, b: number) => a + b, 0)).toBe(100000);
    expect(first.counts.slice(4)).toEqual([0, 0, 0, 0]);
    expect(first.p_value).toBeGreaterThan(0.01);
    expect(first.expected[0]).toBeCloseTo(reference.top_p_8.filtered[0], 6);
  });
});

describe('knobs demo and tour', () => {
  it('demo temperature prints the five rows with entropies 0.04, 1.00, 1.39, 1.51, 1.55', () => {
    const result = knobs(['demo', 'temperature']);
    expect(result.status).toBe(0);
    const entropies = result.stdout
      .split('\n')
      .filter((line) => /^\d\.\d\s/.test(line))
      .map((line) => line.trim().split(/\s+/).at(-1));
    expect(entropies).toEqual(['0.04', '1.00', '1.39', '1.51', '1.55']);
  });

  it('demo softmax echoes the original printed line; demo top-p states the correction', () => {
    expect(knobs(['demo', 'softmax']).stdout).toContain('Probabilities: [0.429 0.26  0.158 0.096 0.058]');
    const topP = knobs(['demo', 'top-p']).stdout;
    expect(topP).toContain('keeps 4 of 8 tokens');
    expect(topP).toContain('the code keeps 4');
  });

  it('demo compare shows the true kept mass', () => {
    const output = knobs(['demo', 'compare']).stdout;
    expect(output).toMatch(/confident\s+92\.7%\s+3\s+99\.0%\s+1\s+92\.7%/);
    expect(output).toMatch(/uncertain\s+16\.8%\s+3\s+48\.0%\s+7\s+92\.5%/);
  });

  it('an unknown demo is a clear error', () => {
    const result = knobs(['demo', 'nope']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/demo "nope" does not exist: expected one of softmax, temperature/);
  });
});
