/**
 * Runs the code blocks of the guides as a reader would, one guide in one fresh working
 * directory, its blocks in order:
 *
 * - `sh` blocks run with `bash -e -o pipefail`; `knobs` and `npx knobs` are the built CLI
 *   (`bin/knobs.js`), no other `npx` runs. A `knobs serve ... &` (or `knobs playground ...
 *   &`) line starts a server that stays up until the guide ends (the runner waits until its
 *   `--port` accepts connections). The ports 8765 to 8799 a guide names are replaced by free
 *   ones, and shown as written.
 * - `ts` blocks are type-checked together (strict, NodeNext) against the built package,
 *   then run with Node; `js` blocks run with Node. `creativity-knobs` and its subpaths are
 *   the built package, as in a user's project (other packages resolve from the project's
 *   node_modules).
 * - a block with `file=NAME` in its info string is written to NAME before the blocks after it.
 * - a block whose first line is `# skip: REASON` (or `// skip: REASON`) is not run.
 *
 * Every process gets the tests' shared model cache, `CI=true` and no API keys. The output
 * of a block is its standard output (progress and logs go to standard error). A guide
 * marked `<!-- docs-test: independent blocks -->` (the README) runs each block on its own,
 * in its own directory, so that its blocks share the lanes with the other guides.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock, MarkdownDocument } from './markdown.js';

/** What a runnable block did. */
export interface BlockResult {
  readonly block: CodeBlock;
  readonly status: 'ran' | 'skipped' | 'failed';
  /** Standard output, with the working directory, cache and port shown as a reader would see them. */
  readonly output?: string;
  readonly error?: string;
  readonly ms: number;
}

/** One guide's run. */
export interface DocumentRun {
  readonly file: string;
  readonly results: BlockResult[];
  /** Files the blocks wrote under `figures/`, by name. */
  readonly figures: Map<string, Buffer>;
}

/** A guide to run. */
export interface DocumentInput {
  /** Path relative to the project (`docs/serving.md`). */
  readonly file: string;
  readonly document: MarkdownDocument;
}

/** Options of `runDocuments`. */
export interface RunOptions {
  readonly root: string;
  readonly cacheDirectory: string;
  /** Guides run at once (default 2). */
  readonly jobs?: number;
  /** Longest a block may take (default 300 s). */
  readonly blockTimeoutMs?: number;
}

/** The reasons a block may be skipped for: it needs what CI does not have, or minutes. */
export const SKIP_REASONS = /^(needs (a key|an API key|[A-Z_]+_API_KEY|WebGPU|the optional peers?|an optional peer)|takes minutes)\b/;

const RUNNABLE = new Set(['sh', 'ts', 'js']);
/** A server started in the background: `knobs serve ... &` (or `knobs playground ... &`), perhaps after variable assignments. */
const DAEMON_LINE = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:npx\s+)?knobs\s+(?:serve|playground)\b[^#]*&\s*(?:#.*)?$/;
/** Ports a guide may use (8765-8799): each is replaced by a free one when run, and shown as written. */
const DOC_PORTS = /\b87(?:6[5-9]|[7-9]\d)\b/g;

/** Where the docs test runs some blocks of a guide, in order: all of them, or one of an independent guide. */
interface Workspace {
  readonly input: DocumentInput;
  /** The blocks it runs (file blocks included). */
  readonly blocks: readonly CodeBlock[];
  readonly dir: string;
  /** The guide's ports (as written) and the free ones that replace them. */
  readonly ports: Map<string, string>;
  readonly env: NodeJS.ProcessEnv;
  readonly tsErrors: Map<CodeBlock, string>;
}

/**
 * Runs every guide (in parallel, `jobs` at a time; one guide's blocks in order, unless
 * they are independent) and resolves to what each block did, one run per guide.
 */
export async function runDocuments(inputs: readonly DocumentInput[], options: RunOptions): Promise<DocumentRun[]> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'knobs-docs-')));
  try {
    const bin = join(base, 'bin');
    mkdirSync(bin);
    writeShims(bin, options.root);
    const workspaces: Workspace[] = [];
    for (const input of inputs) {
      const units = input.document.independent ? input.document.blocks.filter((block) => block.kind !== 'file').map((block) => [...input.document.blocks.filter((other) => other.kind === 'file'), block]) : [input.document.blocks];
      for (const [index, blocks] of units.entries()) workspaces.push(await prepare(input, blocks, join(base, `${input.file.replace(/[^A-Za-z0-9.]+/g, '-')}-${index}`), bin, options));
    }
    typecheck(workspaces, options.root);
    // The longest first (by a rough count of the commands that take seconds), so that the lanes end together.
    const order = workspaces.map((_, index) => index).sort((a, b) => cost(workspaces[b] as Workspace) - cost(workspaces[a] as Workspace));
    const done: DocumentRun[] = new Array(workspaces.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < order.length) {
        const index = order[next++] as number;
        done[index] = await runWorkspace(workspaces[index] as Workspace, options);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 2) }, lane));
    return inputs.map((input) => {
      const parts = done.filter((run) => run.file === input.file);
      return {
        file: input.file,
        results: parts.flatMap((run) => run.results).sort((a, b) => a.block.line - b.block.line),
        figures: new Map(parts.flatMap((run) => [...run.figures])),
      };
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** A rough cost of a workspace: one per line that runs something, more for the commands that generate much. */
function cost(workspace: Workspace): number {
  let total = 0;
  for (const block of workspace.blocks) {
    if (block.skip !== undefined || !RUNNABLE.has(block.kind)) continue;
    for (const line of block.code.split('\n')) {
      if (line.trim() === '' || line.trim().startsWith('#') || line.trim().startsWith('//')) continue;
      total += /\b(tour|experiment (run|seed-)|--grid|determinism|compare-decoding|model (build|eval))\b/.test(line) ? 10 : 1;
    }
  }
  return total;
}

function writeShims(bin: string, root: string): void {
  const cli = join(root, 'bin', 'knobs.js');
  const knobs = join(bin, 'knobs');
  writeFileSync(knobs, `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  const npx = join(bin, 'npx');
  writeFileSync(npx, `#!/bin/sh\nif [ "$1" = knobs ]; then shift; exec "${knobs}" "$@"; fi\necho "the docs test runs no npx but npx knobs (got: npx $*)" >&2\nexit 127\n`);
  chmodSync(knobs, 0o755);
  chmodSync(npx, 0o755);
}

async function prepare(input: DocumentInput, blocks: readonly CodeBlock[], dir: string, bin: string, options: RunOptions): Promise<Workspace> {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(options.root, join(dir, 'node_modules', 'creativity-knobs'));
  const ports = new Map<string, string>();
  for (const block of blocks) {
    if (block.kind !== 'sh' && block.kind !== 'ts' && block.kind !== 'js' && block.kind !== 'file') continue;
    for (const match of block.code.matchAll(DOC_PORTS)) if (!ports.has(match[0])) ports.set(match[0], String(await freePort()));
  }
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/_API_KEY$|^VITEST|^NODE_ENV$|^NODE_OPTIONS$|^FORCE_COLOR$|^TEST$/.test(name)) continue;
    env[name] = value;
  }
  Object.assign(env, { PATH: `${bin}:${process.env.PATH ?? ''}`, KNOBS_CACHE_DIR: options.cacheDirectory, CI: 'true', NO_COLOR: '1' });
  for (const block of blocks) {
    if (block.kind !== 'ts' && block.kind !== 'js') continue;
    if (block.skip !== undefined) continue;
    for (const specifier of importedPackages(block.code)) linkPackage(dir, options.root, specifier);
    if (block.kind === 'ts') writeFileSync(join(dir, `block-${block.line}.mts`), block.code);
  }
  return { input, blocks, dir, ports, env, tsErrors: new Map() };
}

/** The packages a module imports by bare name (`openai`, `@scope/name`), without `node:` builtins and creativity-knobs. */
function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g)) {
    const specifier = match[1] as string;
    if (specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
    if (name !== 'creativity-knobs') names.add(name);
  }
  return [...names];
}

function linkPackage(dir: string, root: string, name: string): void {
  const source = join(root, 'node_modules', name);
  const target = join(dir, 'node_modules', name);
  if (!existsSync(source) || existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(source), target);
}

/** Type-checks every `ts` block at once (one program), recording each block's errors. */
function typecheck(workspaces: readonly Workspace[], root: string): void {
  const files = new Map<string, { workspace: Workspace; block: CodeBlock }>();
  for (const workspace of workspaces) {
    for (const block of workspace.blocks) {
      if (block.kind === 'ts' && block.skip === undefined) files.set(join(workspace.dir, `block-${block.line}.mts`), { workspace, block });
    }
  }
  if (files.size === 0) return;
  const program = ts.createProgram([...files.keys()], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const owner = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
    if (!owner) continue;
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    const where = position ? `line ${owner.block.line + 1 + position.line}: ` : '';
    const message = `${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    const before = owner.workspace.tsErrors.get(owner.block);
    owner.workspace.tsErrors.set(owner.block, before === undefined ? message : `${before}\n${message}`);
  }
}

async function runWorkspace(workspace: Workspace, options: RunOptions): Promise<DocumentRun> {
  const results: BlockResult[] = [];
  const daemons: Daemon[] = [];
  let failed: string | undefined;
  try {
    for (const block of workspace.blocks) {
      if (block.kind === 'file' && block.file !== undefined) {
        mkdirSync(dirname(join(workspace.dir, block.file)), { recursive: true });
        writeFileSync(join(workspace.dir, block.file), withPorts(block.code, workspace));
        continue;
      }
      if (!RUNNABLE.has(block.kind)) continue;
      if (block.skip !== undefined) {
        results.push({ block, status: 'skipped', ms: 0 });
        continue;
      }
      if (failed !== undefined) {
        results.push({ block, status: 'failed', error: `not run: ${failed} failed before it`, ms: 0 });
        continue;
      }
      const started = performance.now();
      const result = await runBlock(workspace, block, daemons, options);
      const ms = performance.now() - started;
      results.push({ block, ...result, ms });
      if (result.status === 'failed') failed = `the block of line ${block.line}`;
    }
  } finally {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
  }
  const figures = new Map<string, Buffer>();
  const figureDir = join(workspace.dir, 'figures');
  if (existsSync(figureDir)) {
    for (const name of readdirSync(figureDir)) if (statSync(join(figureDir, name)).isFile()) figures.set(name, readFileSync(join(figureDir, name)));
  }
  return { file: workspace.input.file, results, figures };
}

async function runBlock(workspace: Workspace, block: CodeBlock, daemons: Daemon[], options: RunOptions): Promise<Omit<BlockResult, 'block' | 'ms'>> {
  const timeout = options.blockTimeoutMs ?? 300_000;
  let command: string[];
  if (block.kind === 'sh') {
    const lines: string[] = [];
    for (const line of withPorts(block.code, workspace).split('\n')) {
      if (!DAEMON_LINE.test(line)) {
        lines.push(line);
        continue;
      }
      const daemon = line.replace(/#.*$/, '').replace(/&\s*$/, '').trim();
      try {
        daemons.push(await startDaemon(daemon, workspace));
      } catch (error) {
        return { status: 'failed', error: (error as Error).message };
      }
    }
    const script = join(workspace.dir, `.block-${block.line}.sh`);
    writeFileSync(script, lines.join('\n'));
    command = ['bash', '-e', '-o', 'pipefail', script];
  } else if (block.kind === 'ts') {
    const errors = workspace.tsErrors.get(block);
    if (errors !== undefined) return { status: 'failed', error: `type errors:\n${errors}` };
    const output = ts.transpileModule(withPorts(block.code, workspace), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const file = join(workspace.dir, `.block-${block.line}.mjs`);
    writeFileSync(file, output);
    command = [process.execPath, file];
  } else {
    const file = join(workspace.dir, `.block-${block.line}.mjs`);
    writeFileSync(file, withPorts(block.code, workspace));
    command = [process.execPath, file];
  }
  const result = await execute(command, workspace, timeout);
  if (result.status !== 0) {
    return { status: 'failed', output: shown(result.stdout, workspace, options), error: `exit status ${result.status ?? `killed (${result.signal})`}\n${shown(result.stderr, workspace, options).slice(-4000)}` };
  }
  return { status: 'ran', output: shown(result.stdout, workspace, options) };
}

/** Code with the guide's ports replaced by the free ones. */
function withPorts(code: string, workspace: Workspace): string {
  return code.replace(DOC_PORTS, (port) => workspace.ports.get(port) ?? port);
}

/** Text with the free ports shown as the guide wrote them. */
function asWritten(text: string, workspace: Workspace): string {
  let result = text;
  for (const [written, used] of workspace.ports) result = result.replaceAll(used, written);
  return result;
}

/** Output as a reader sees it: the working directory as `.`, the cache at its default place, the guide's ports. */
function shown(text: string, workspace: Workspace, options: RunOptions): string {
  return asWritten(text, workspace)
    .replaceAll(`${workspace.dir}/`, '')
    .replaceAll(workspace.dir, '.')
    .replaceAll(options.cacheDirectory, '~/.cache/creativity-knobs')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n*$/, '\n')
    .replace(/^\n$/, '');
}

interface Execution {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function execute(command: readonly string[], workspace: Workspace, timeoutMs: number): Promise<Execution> {
  return new Promise((resolve) => {
    const child = spawn(command[0] as string, command.slice(1), { cwd: workspace.dir, env: workspace.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => killGroup(child.pid), timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      killGroup(child.pid); // anything the block left running in the background
      resolve({ status, signal, stdout, stderr: signal === 'SIGKILL' ? `${stderr}\n(killed after ${timeoutMs / 1000} s)` : stderr });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

interface Daemon {
  stop(): Promise<void>;
}

/** Starts a server line in the background and waits until its port accepts connections. */
async function startDaemon(line: string, workspace: Workspace): Promise<Daemon> {
  const child = spawn('bash', ['-c', line], { cwd: workspace.dir, env: workspace.env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  const closed = new Promise<void>((resolve) => child.on('close', () => ((exited = true), resolve())));
  const stop = async (): Promise<void> => {
    if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid), 5000);
    await closed;
    clearTimeout(timer);
  };
  const port = Number(/--port\s+(\d+)/.exec(line)?.[1]);
  if (!Number.isInteger(port) || port === 0) {
    await stop();
    throw new Error(`\`${asWritten(line, workspace)}\`: a server line of a guide must give --port (8765 to 8799)`);
  }
  const deadline = performance.now() + 120_000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`\`${asWritten(line, workspace)}\` exited before it listened:\n${asWritten(stderr, workspace)}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`\`${asWritten(line, workspace)}\` did not listen within 120 s:\n${asWritten(stderr, workspace)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Output with what differs from machine to machine replaced: durations, timestamps,
 * response ids and creation times, latencies.
 *
 * @example
 * normaliseOutput('done in 3.2 s'); // 'done in <duration>'
 */
export function normaliseOutput(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
    .replace(/"(latency_ms|created|created_at|elapsed_ms|build_ms)":\s*"?[\d.:TZ-]+"?/g, '"$1": <value>')
    .replace(/\b(chatcmpl|cmpl|msg)[-_][A-Za-z0-9]+/g, '$1-<id>')
    .replace(/\b\d+(?:\.\d+)?(?:\s?(?:ms|s|min|seconds?|minutes?))(?![A-Za-z])/g, '<duration>')
    .replace(/\b\d+(?:\.\d+)?\s?(?:tokens?|tok|requests?)\/s\b/g, '<rate>');
}

/** Copies the files of `figures` into `dir` (the docs script's write mode). */
export function writeFigures(figures: ReadonlyMap<string, Buffer>, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of figures) writeFileSync(join(dir, name), bytes);
}
