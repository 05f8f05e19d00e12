import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FIGURES } from '../../src/report/figures.js';
import { DEMO_NAMES } from '../../src/cli/commands/demoNames.js';
import { DEMOS } from '../../src/cli/commands/demoText.js';
import { FIGURE_NAMES } from '../../src/cli/commands/figureNames.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/**
 * The modules a built file loads before any of its code runs: its static `import` and
 * `export … from` declarations, followed through relative paths (dynamic `import()` is
 * not followed). Returns the relative modules (paths under dist/) and the bare ones.
 */
function staticGraph(entry: string): { local: string[]; bare: string[] } {
  const local = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (local.has(file)) return;
    local.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      if (specifier.text.startsWith('.')) visit(resolve(dirname(file), specifier.text));
      else bare.add(specifier.text);
    }
  };
  visit(join(dist, entry));
  return { local: [...local].map((file) => file.slice(dist.length)), bare: [...bare] };
}

describe('start-up: what `knobs` loads before a command runs', () => {
  const graph = staticGraph('cli/main.js');

  it('registers every command without the heavy packages (charts, SDKs, tokenizer, YAML, HTTP)', () => {
    const heavy = ['vega', 'vega-lite', '@resvg/resvg-js', 'openai', '@anthropic-ai/sdk', 'gpt-tokenizer', 'yaml', 'node:http', 'node:crypto', 'node-llama-cpp'];
    expect(graph.bare.filter((name) => heavy.some((package_) => name === package_ || name.startsWith(`${package_}/`)))).toEqual([]);
    expect(graph.bare).toContain('commander');
  });

  it('and without the library layers that only actions use', () => {
    const layers = ['samplers/', 'kernel/', 'charts/', 'report/', 'analysis/', 'demos/', 'server/', 'playground/', 'providers/', 'examples/'];
    const names = ['samplers/engineNames.js']; // the engine names, for help texts (no imports of its own)
    expect(graph.local.filter((path) => layers.some((layer) => path.startsWith(layer)) && !names.includes(path))).toEqual([]);
    const light = ['models/localModels.js', 'models/catalog.js', 'models/cacheDirectory.js']; // model ids and the cache directory, for help texts
    expect(graph.local.filter((path) => path.startsWith('models/') && !light.includes(path))).toEqual([]);
  });
});

describe('the names the help texts list without loading their modules', () => {
  it('FIGURE_NAMES are the names of FIGURES, in order', () => {
    expect(FIGURE_NAMES).toEqual(FIGURES.map((figure) => figure.name));
  });

  it('DEMO_NAMES are the keys of DEMOS, in order', () => {
    expect(Object.keys(DEMOS)).toEqual([...DEMO_NAMES]);
  });
});
