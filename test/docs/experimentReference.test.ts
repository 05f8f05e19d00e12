/**
 * docs/experiments.md is the reference of the experiment file and of the results file: its
 * tables must list exactly the keys the parser accepts (the lists it checks against,
 * exported by src/experiments/experimentSpec.ts) and exactly the fields of a results line
 * (the properties of `ResultRow` and `RunHeader` in src/experiments/resultRow.ts, read with
 * the TypeScript compiler).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_KEYS, parseExperimentSpec, POINT_KEYS, PROMPT_KEYS, PROVIDER_KEYS } from '../../src/experiments/experimentSpec.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const guide = readFileSync(join(root, 'docs', 'experiments.md'), 'utf8');

/** The names in the first column of the table after `<!-- reference: NAME -->`. */
function documented(name: string): string[] {
  const marker = `<!-- reference: ${name} -->`;
  const start = guide.indexOf(marker);
  if (start < 0) throw new Error(`docs/experiments.md has no ${marker}`);
  const lines = guide.slice(start + marker.length).trimStart().split('\n');
  const rows: string[] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const cell = /^\|\s*`([^`]+)`/.exec(line);
    if (!cell) throw new Error(`${marker}: a row whose first cell is not a \`name\`: ${line}`);
    rows.push(cell[1] as string);
  }
  return rows;
}

/** The property names of an exported interface, as the compiler sees them. */
function interfaceProperties(file: string, name: string): string[] {
  const path = join(root, file);
  const program = ts.createProgram([path], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(path);
  if (!source) throw new Error(`cannot read ${file}`);
  const declaration = source.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === name);
  if (!declaration) throw new Error(`${file} has no interface ${name}`);
  return checker.getPropertiesOfType(checker.getTypeAtLocation(declaration.name)).map((symbol) => symbol.name);
}

const sorted = (list: readonly string[]): string[] => [...list].sort();

describe('docs/experiments.md documents every key of an experiment file', () => {
  it('the top-level keys', () => expect(sorted(documented('experiment-keys'))).toEqual(sorted(EXPERIMENT_KEYS)));
  it('the keys of a prompt', () => expect(sorted(documented('prompt-keys'))).toEqual(sorted(PROMPT_KEYS)));
  it('the keys of a provider', () => expect(sorted(documented('provider-keys'))).toEqual(sorted(PROVIDER_KEYS)));
  it('the keys of a point', () => expect(sorted(documented('point-keys'))).toEqual(sorted(POINT_KEYS)));

  it('and the lists are the ones the parser checks: every listed key is accepted, a key not listed is refused', () => {
    const base = { prompts: ['Hi'], providers: ['local'] };
    expect(() => parseExperimentSpec({ ...base, n: 2, max_tokens: 5, seed: 1, same_seed: true, logprobs: false, top_logprobs: 2, name: 'x', system: 's', settings: {}, grid: 'temperature=0', chains: ['top_k=2'], points: [{ settings: {}, chain: 'top_k=3' }] })).not.toThrow();
    expect(() => parseExperimentSpec({ ...base, prompts: [{ id: 'a', prompt: 'Hi', system: 's', n: 2 }] })).not.toThrow();
    expect(() => parseExperimentSpec({ ...base, providers: [{ provider: 'openai-compatible', model: 'm', base_url: 'http://127.0.0.1:1/v1', server: 'knobs', api_key_env: 'K', label: 'l', concurrency: 2, rate_limit: 10 }] })).not.toThrow();
    expect(() => parseExperimentSpec({ ...base, max_token: 5 })).toThrow(/unknown key "max_token"/);
    expect(() => parseExperimentSpec({ ...base, prompts: [{ prompt: 'Hi', temperature: 1 }] })).toThrow(/unknown key "temperature"/);
    expect(() => parseExperimentSpec({ ...base, providers: [{ provider: 'local', key: 'x' }] })).toThrow(/unknown key "key"/);
    expect(() => parseExperimentSpec({ ...base, points: [{ settings: {}, seed: 1 }] })).toThrow(/unknown key "seed"/);
  });
});

describe('docs/experiments.md documents every field of a results file', () => {
  it('the fields of a completion row (ResultRow)', () => {
    expect(sorted(documented('result-row-fields'))).toEqual(sorted(interfaceProperties('src/experiments/resultRow.ts', 'ResultRow')));
  });

  it('the fields of the header line (RunHeader)', () => {
    expect(sorted(documented('run-header-fields'))).toEqual(sorted(interfaceProperties('src/experiments/resultRow.ts', 'RunHeader')));
  });
});
