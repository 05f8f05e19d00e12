/**
 * The adapters are subpaths of the package (`creativity-knobs/transformers`, ...) whose
 * runtimes are optional peers: the root never reaches them, and an adapter whose runtime is
 * missing fails on import with a message that names the install line. Run on the built
 * package (dist/), imported by its own name as a user would, in a fresh Node process; a
 * resolution hook (fixtures/hideRuntimes.mjs) makes runtimes look uninstalled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, type TestContext } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(`${root}dist/adapters/aiSdk.js`);
const hook = fileURLToPath(new URL('./fixtures/registerHide.mjs', import.meta.url));
const RUNTIMES = ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-web', '@mlc-ai/web-llm', 'node-llama-cpp', 'ai', '@ai-sdk/provider', '@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/openai-compatible'];

/** Imports `specifier` in a fresh Node process (from the package's folder) and prints its export names. */
function importIn(specifier: string, hide: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const result = spawnSync(process.execPath, ['--import', hook, '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KNOBS_HIDE: hide.join(',') },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function needsBuild(context: TestContext): void {
  if (!built) context.skip('dist/ is not built (npm run build)');
}

describe('the package entry points of the adapters', () => {
  it('package.json exports each adapter as a subpath with its own dist entry and types', () => {
    const exports = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).exports as Record<string, { types: string; import: string }>;
    expect(Object.keys(exports)).toEqual(expect.arrayContaining(['./transformers', './web-llm', './onnx', './node-llama-cpp', './ai-sdk']));
    expect(exports['./web-llm']).toEqual({ types: './dist/adapters/webLlm.d.ts', import: './dist/adapters/webLlm.js' });
  });

  it('the root loads with every runtime missing, and names none of the adapters', (context) => {
    needsBuild(context);
    const result = importIn('creativity-knobs', RUNTIMES);
    expect(result.status, result.stderr).toBe(0);
    const names = JSON.parse(result.stdout) as string[];
    expect(names).toContain('createSampler');
    for (const adapterExport of ['knobsLogitsProcessor', 'knobsLogitProcessor', 'sampleLogitsTensor', 'generateWithKnobs', 'knobsMiddleware']) expect(names).not.toContain(adapterExport);
    const index = readFileSync(`${root}src/index.ts`, 'utf8');
    expect(index).not.toMatch(/adapters\//);
  });

  it('the adapters that need nothing at run time load without their runtime', (context) => {
    needsBuild(context);
    for (const [specifier, name] of [['creativity-knobs/onnx', 'sampleLogitsTensor'], ['creativity-knobs/web-llm', 'knobsLogitProcessor'], ['creativity-knobs/ai-sdk', 'knobsMiddleware']] as const) {
      const result = importIn(specifier, RUNTIMES);
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toContain(name);
    }
  });

  it('the adapters that run in browsers (transformers, web-llm, onnx, ai-sdk) reach no node: module', (context) => {
    needsBuild(context);
    /** Every module a dist file reaches through static and dynamic imports of literal specifiers (comments left out). */
    const reached = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const specifier = match[1] as string;
        if (specifier.startsWith('.')) reached(fileURLToPath(new URL(specifier, `file://${file}`)), seen);
        else seen.add(specifier);
      }
      return seen;
    };
    for (const adapter of ['transformers', 'webLlm', 'onnx', 'aiSdk']) {
      const modules = [...reached(`${root}dist/adapters/${adapter}.js`)];
      expect(modules.length).toBeGreaterThan(1);
      expect(modules.filter((specifier) => specifier.startsWith('node:')), adapter).toEqual([]);
    }
  });

  it('an adapter whose runtime is missing fails on import, naming the install line', (context) => {
    needsBuild(context);
    const transformers = importIn('creativity-knobs/transformers', ['@huggingface/transformers']);
    expect(transformers.status).not.toBe(0);
    expect(transformers.stderr).toContain('RuntimeUnavailableError: creativity-knobs/transformers needs @huggingface/transformers, which is not installed: run `npm install @huggingface/transformers@4`');
    const llama = importIn('creativity-knobs/node-llama-cpp', ['node-llama-cpp']);
    expect(llama.status).not.toBe(0);
    expect(llama.stderr).toContain('GgufUnavailableError: creativity-knobs/node-llama-cpp needs node-llama-cpp, an optional peer dependency of creativity-knobs that is not installed');
    expect(llama.stderr).toContain('npm install node-llama-cpp@3.21.1');
  });
});
