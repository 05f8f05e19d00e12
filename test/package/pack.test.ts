import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What `npm pack` would publish: the built `dist/` (complete: every file an export names),
 * the `bin`, README and package.json; no tests, no sources, no source maps.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
interface Packed {
  files: { path: string }[];
}
type Exports = Record<string, string | { types?: string; import?: string; default?: string }>;

describe('npm pack contents', () => {
  const result = spawnSync('npm', ['pack', '--ignore-scripts', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const packed = JSON.parse(result.stdout) as Packed[];
  const files = (packed[0]?.files ?? []).map((file) => file.path);

  it('holds dist, bin, README and package.json', () => {
    expect(result.status).toBe(0);
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('bin/knobs.js');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/web/index.html');
  });

  it('holds no tests, no TypeScript sources and no source maps', () => {
    expect(files.filter((file) => /(^|\/)test\/|\.test\.(js|d\.ts)$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('holds every file the exports map names, and each exists after the build', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { exports: Exports };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      for (const path of paths) {
        const relative = path.replace(/^\.\//, '');
        expect(files, `${subpath} → ${relative}`).toContain(relative);
        expect(existsSync(`${root}/${relative}`), relative).toBe(true);
      }
    }
  });
});
