import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseExperimentSpec } from '../../src/experiments/experimentSpec.js';
import { STARTER_SPEC } from '../../src/experiments/starterSpec.js';

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'knobs-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function knobs(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 180_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('knobs experiment init', () => {
  it('writes a commented starter: 2 prompts x 1 provider x 3 temperatures x 3 completions', () => {
    const spec = parseExperimentSpec(parseYaml(STARTER_SPEC));
    expect(spec.prompts.map((prompt) => prompt.id)).toEqual(['p1', 'weather']);
    expect(spec.targets.map((target) => target.label)).toEqual(['local/embedded']);
    expect(spec.points.map((point) => point.settings)).toEqual([
      { top_p: 0.95, temperature: 0.3 },
      { top_p: 0.95, temperature: 0.8 },
      { top_p: 0.95, temperature: 1.2 },
    ]);
    expect(spec.n).toBe(3);
    expect(STARTER_SPEC.split('\n').filter((line) => line.includes('#')).length).toBeGreaterThan(20);
  });

  it('and the file runs offline as written', () => {
    const init = knobs(['experiment', 'init', 'sweep.yaml']);
    expect(init.status).toBe(0);
    expect(readFileSync(join(dir, 'sweep.yaml'), 'utf8')).toBe(STARTER_SPEC);
    const run = knobs(['experiment', 'run', 'sweep.yaml', '--json']);
    expect(run.stderr.replace(/^knobs: (building|model built).*\n/gm, '')).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { total: number; written: number; failed: number; out: string };
    expect(summary).toMatchObject({ total: 18, written: 18, failed: 0 });
    expect(existsSync(join(dir, summary.out))).toBe(true);
  });

  it('refuses a .json name (JSON has no comments) and an existing file without --force', () => {
    const json = knobs(['experiment', 'init', 'sweep.json']);
    expect(json.status).not.toBe(0);
    expect(json.stderr).toMatch(/sweep\.json: the starter file is YAML, with comments .* give a \.yaml name/);
    const again = knobs(['experiment', 'init', 'sweep.yaml']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('sweep.yaml exists: pass --force to replace it');
    expect(knobs(['experiment', 'init', 'sweep.yaml', '--force']).status).toBe(0);
  });
});
