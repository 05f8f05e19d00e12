import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tourCommand, tourSections } from '../../src/cli/commands/tour.js';
import { TEST_CACHE_DIRECTORY } from '../models/sharedModel.js';

const dir = mkdtempSync(join(tmpdir(), 'knobs-tour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('knobs tour', () => {
  it('prints every demonstration, writes the report and prints its path', { timeout: 240_000 }, async () => {
    let stdout = '';
    vi.stubEnv('KNOBS_CACHE_DIR', TEST_CACHE_DIRECTORY);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const out = join(dir, 'knobs-report');
    try {
      await tourCommand().exitOverride().parseAsync(['--out', out, '--seeds', '50', '--decoding', '2'], { from: 'user' });
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    for (const title of ['Softmax: logits into probabilities', 'Top-p (nucleus) = 0.9 on eight tokens', 'Temperature x top-p']) expect(stdout).toContain(title);
    expect(stdout).toContain('Probabilities: [0.429 0.26  0.158 0.096 0.058]');
    // 10 seed sections (11 figures), 4 sections on the embedded model (5 figures; top-p by engine is a table) and the decoding comparison (1 figure)
    expect(stdout).toMatch(/report: .*knobs-report\/index\.html \(15 sections, 17 figures as SVG and PNG, [\d.]+ s\)/);
    expect(stdout).toContain('Temperature x top-p on a real model');
    expect(stdout).toMatch(/"The weather today is"\s+" the" \d+\.\d%/);
    expect(stdout).toContain(`file://${join(out, 'index.html')}`);
    expect(stdout).not.toContain('unavailable');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<h1>creativity-knobs: the sampling knobs, in figures</h1>');
    expect(existsSync(join(out, 'figures', 'temperature-figure.png'))).toBe(true);
  });

  it('lists the seed sections first (the model sections go after them)', async () => {
    expect((await tourSections()).map((source) => source.id).slice(0, 3)).toEqual(['softmax', 'temperature', 'temperature-figure']);
  });
});
