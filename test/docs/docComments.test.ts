/**
 * Every public export of every entry point of the package (the `exports` map of
 * package.json) has a doc comment, which is what the API reference (`npm run docs`) is made
 * of, and every exported function has an `@example` in it (the house rule). Read with the
 * TypeScript compiler from the entry points' source: each exported symbol, followed through
 * re-exports to its declaration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The source file of each entry point: `./dist/models/index.d.ts` → `src/models/index.ts`. */
function entryPoints(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { types?: string }> };
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target !== 'object' || target.types === undefined) continue;
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    entries.set(specifier, join(root, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')));
  }
  return entries;
}

interface Undocumented {
  readonly entry: string;
  readonly name: string;
  readonly where: string;
}

/** The exports of every entry point without a doc comment, and how many exports there are. */
function undocumentedExports(): { missing: Undocumented[]; withoutExample: Undocumented[]; total: number; entries: number } {
  const entries = entryPoints();
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('cannot read tsconfig.build.json');
  const program = ts.createProgram([...entries.values()], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const missing: Undocumented[] = [];
  const withoutExample: Undocumented[] = [];
  let total = 0;
  for (const [entry, file] of entries) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry}: cannot read ${file}`);
    for (const exported of checker.getExportsOfModule(module)) {
      total++;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.declarations?.[0];
      const where = declaration ? `${declaration.getSourceFile().fileName.slice(root.length)}:${declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart()).line + 1}` : '?';
      const documentation = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      if (documentation === '') missing.push({ entry, name: exported.name, where });
      else if (symbol.flags & ts.SymbolFlags.Function && !symbol.getJsDocTags(checker).some((tag) => tag.name === 'example')) withoutExample.push({ entry, name: exported.name, where });
    }
  }
  return { missing, withoutExample, total, entries: entries.size };
}

const found = undocumentedExports();
const show = (item: Undocumented): string => `${item.entry}: ${item.name} (${item.where})`;

describe('the public API is documented', () => {
  it('every export of every entry point has a doc comment', () => {
    expect(found.entries).toBeGreaterThan(1);
    expect(found.total).toBeGreaterThan(100);
    expect(found.missing.map(show)).toEqual([]);
  });

  it('every exported function has an @example', () => {
    expect(found.withoutExample.map(show)).toEqual([]);
  });
});
