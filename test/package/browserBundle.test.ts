import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';

/**
 * The root entry `creativity-knobs` runs anywhere: bundled for the browser by Vite, its
 * whole import graph must hold no `node:` module and no bare Node built-in (`fs`, `path`,
 * ...), so it needs no polyfills. Every such import is recorded and fails the test.
 */
const ROOT = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const BUILTINS = new Set(builtinModules);

function recordNodeImports(found: string[]): Plugin {
  return {
    name: 'record-node-imports',
    enforce: 'pre',
    resolveId(source, importer) {
      const bare = source.startsWith('node:') ? source.slice(5) : source;
      if (source.startsWith('node:') || BUILTINS.has(bare.split('/')[0] ?? '')) {
        found.push(`${source} (from ${importer ?? '?'})`);
        return { id: source, external: true };
      }
      return null;
    },
  };
}

describe('the root entry bundles for the browser', () => {
  it('imports no node: module and no Node built-in, directly or indirectly', async () => {
    const found: string[] = [];
    const outDir = mkdtempSync(join(tmpdir(), 'knobs-bundle-'));
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        plugins: [recordNodeImports(found)],
        build: {
          outDir,
          write: true,
          minify: false,
          target: 'es2022',
          lib: { entry: ROOT, formats: ['es'], fileName: 'knobs' },
          rollupOptions: { treeshake: false },
        },
      });
      expect(found).toEqual([]);
      const bundle = readFileSync(join(outDir, 'knobs.js'), 'utf8');
      expect(bundle).toContain('createSampler');
      expect(bundle).not.toMatch(/from ["']node:/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
