import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies point one way (DESIGN.md): a folder of src/ imports only folders of its own
 * layer or lower. Presentation (charts, report, demos) never sits under computation, and
 * nothing low imports the CLI, the servers or the adapters.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['examples', 'kernel'],
  ['samplers'],
  ['models', 'http'],
  ['providers'],
  ['analysis', 'decoding', 'experiments', 'charts'],
  ['demos', 'report'],
  ['cli', 'server', 'playground', 'adapters', 'audit'],
];
const src = fileURLToPath(new URL('../../src', import.meta.url));
const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('layers', () => {
  const files = sources(src);

  it('every folder of src/ has a layer', () => {
    const folders = new Set(files.map((file) => relative(src, file).split('/')[0] as string).filter((name) => !name.endsWith('.ts')));
    expect([...folders].filter((folder) => layerOf(folder) < 0)).toEqual([]);
  });

  it('no file imports a higher layer', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = relative(src, file).split('/')[0] as string;
      if (from.endsWith('.ts')) continue; // the entry points
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(src, normalize(join(dirname(file), match[1] as string)));
        const to = target.split('/')[0] as string;
        if (to.startsWith('..') || to.endsWith('.js') || to.endsWith('.json')) continue;
        if (layerOf(to) > layerOf(from)) violations.push(`${relative(src, file)} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
