import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The benchmarks (`npm run bench`) import the built package (`../dist/...`), which no other
 * test runs: each name they import must be exported by the module they name, read here from
 * its source (`dist/models/index.js` is `src/models/index.ts`).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

function benchFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() && entry.name !== 'node_modules' ? benchFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

describe('the benchmarks import names the package exports', () => {
  for (const file of benchFiles('bench')) {
    const text = readFileSync(join(root, file), 'utf8');
    const imports = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'((?:\.\.\/)+dist\/[^']+)'/g)];
    if (imports.length === 0) continue;
    it(file, async () => {
      for (const [, names, specifier] of imports) {
        const source = join(root, 'src', (specifier as string).replace(/^(\.\.\/)+dist\//, '').replace(/\.js$/, '.ts'));
        const module = (await import(source)) as Record<string, unknown>;
        const wanted = (names as string).split(',').map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0] as string).filter((name) => name !== '');
        expect(wanted.filter((name) => module[name] === undefined).map((name) => `${name} from ${specifier}`)).toEqual([]);
      }
    });
  }
});
