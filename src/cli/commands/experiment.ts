import { setMaxListeners } from 'node:events';
import { basename, dirname, extname, join } from 'node:path';
import { Command } from 'commander';
import { KnobsError } from '../../core/errors.js';
import { CONFIRM_ABOVE } from '../../experiments/confirmAbove.js';
import type { ExperimentSpec } from '../../experiments/experimentSpec.js';
import type { seedOpenAIPreset, TargetOverride, TemperaturePreset } from '../../experiments/presets.js';
import type { JobFailure, RunExperimentOptions, RunProgress, RunResult } from '../../experiments/runExperiment.js';
import { UsageError } from '../errors.js';
import { buildReporter } from '../modelInput.js';
import { parseCount, parseSeed } from '../options.js';
import { fancyOutput, formatTable } from '../terminal.js';
import { determinismPresetCommand } from './determinism.js';

/** Flags that say where requests go. */
export interface TargetFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
  server?: string;
  apiKeyEnv?: string;
}

/** Flags of every command that runs requests. */
export interface RunFlags {
  out?: string;
  resume?: boolean;
  overwrite?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** Adds `--provider --model --base-url --server --api-key-env` (`provider` defaults to `defaultProvider` when given). */
export function addTargetOptions(command: Command, defaultProvider?: string): Command {
  command
    .option('--provider <name>', 'openai, anthropic, openai-compatible or local', defaultProvider)
    .option('--model <name>', 'model name (local: embedded)')
    .option('--base-url <url>', 'server address, e.g. http://127.0.0.1:8765/v1 (knobs serve, vLLM, llama.cpp, Ollama)')
    .option('--server <kind>', 'kind of OpenAI-compatible server: knobs, vllm, llama.cpp, ollama, lmstudio, generic')
    .option('--api-key-env <name>', 'environment variable that holds the API key (never the key itself)');
  return command;
}

/** Adds `--out --resume --overwrite --yes --json`. */
export function addRunOptions(command: Command, outRequired = false): Command {
  command
    .option('--out <file>', outRequired ? 'results file (JSONL); default: next to the spec' : 'also append every completion to this results file (JSONL)')
    .option('--resume', 'continue the run in --out: keep its rows, run only the missing completions')
    .option('--overwrite', 'start --out again from empty')
    .option('-y, --yes', `do not ask before sending more than ${CONFIRM_ABOVE} paid requests`)
    .option('--json', 'print JSON instead of text');
  return command;
}

/** The target override of the flags. */
export function targetOverride(flags: TargetFlags): TargetOverride {
  return {
    ...(flags.provider === undefined ? {} : { provider: flags.provider }),
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
    ...(flags.server === undefined ? {} : { server: flags.server }),
    ...(flags.apiKeyEnv === undefined ? {} : { apiKeyEnv: flags.apiKeyEnv }),
  };
}

/**
 * Runs something that sends the requests of `spec`, the way every command does: a preview
 * and a confirmation above `CONFIRM_ABOVE` paid requests (unless `--yes`), a progress bar
 * with ETA on a terminal, Ctrl-C stopping cleanly (rows written stay; `--resume` goes on),
 * retries reported on stderr. Throws after printing when requests failed.
 */
export async function runWithTerminal<R extends RunResult>(spec: ExperimentSpec, flags: RunFlags, run: (options: RunExperimentOptions) => Promise<R>): Promise<R> {
  if (flags.resume && flags.out === undefined) throw new UsageError('--resume needs --out FILE (the results file to continue)');
  const { readResultsFile } = await import('../../experiments/resultsFile.js');
  const { describePreview, previewRun } = await import('../../experiments/preview.js');
  const { formatProgress } = await import('../../experiments/progress.js');
  const { providerFactory } = await import('../../experiments/providerFor.js');
  const done = flags.resume && flags.out !== undefined ? new Set(readResultsFile(flags.out).rows.map((row) => row.key)) : new Set<string>();
  const preview = previewRun(spec, done);
  if (preview.paid > CONFIRM_ABOVE && !flags.yes) await confirm(describePreview(preview), preview.paid);
  const fancy = fancyOutput();
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every request in flight listens to it
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nknobs: stopping after the requests in flight (Ctrl-C again to quit now); continue later with --resume\n');
  };
  process.on('SIGINT', onSignal);
  let lastDrawn = 0;
  const draw = (progress: RunProgress): void => {
    const now = performance.now();
    if (!fancy || (now - lastDrawn < 100 && progress.done < progress.total)) return;
    lastDrawn = now;
    process.stdout.write(`\r\u001b[2K${formatProgress(progress)}`);
  };
  try {
    const result = await run({
      providerFor: providerFactory({ load: buildReporter() }),
      ...(flags.out === undefined ? {} : { out: flags.out }),
      ...(flags.resume ? { resume: true } : {}),
      ...(flags.overwrite ? { overwrite: true } : {}),
      signal: controller.signal,
      onProgress: draw,
      onRetry: (job, attempt, delayMs, error) => {
        if (fancy) process.stdout.write('\r\u001b[2K');
        process.stderr.write(`knobs: ${job.target.label ?? job.target.provider}: attempt ${attempt} failed (${(error as Error).message}); retrying in ${(delayMs / 1000).toFixed(1)} s\n`);
      },
      onFailure: (failure: JobFailure) => {
        if (fancy) process.stdout.write('\r\u001b[2K');
        if (!controller.signal.aborted) process.stderr.write(`knobs: request ${failure.job.ordinal + 1} failed after ${failure.attempts} attempt(s): ${(failure.error as Error).message}\n`);
      },
    });
    if (fancy) process.stdout.write('\r\u001b[2K');
    if (result.tornLineDropped && !flags.json) process.stderr.write(`knobs: ${flags.out}: a torn last line (a write cut short by a crash) was dropped; its request ran again\n`);
    return result;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** Throws when a run ended with failed or unsent requests (after its output was printed). */
export function checkComplete(result: RunResult, out: string | undefined): void {
  const missing = result.total - result.rows.length;
  if (missing === 0) return;
  const how = out === undefined ? 'run it again (with --out FILE to keep what is done)' : `run again with --resume --out ${out} to finish`;
  const why = result.aborted ? 'the run was stopped' : `${result.failures.length} request(s) failed`;
  throw new KnobsError(`${missing} of ${result.total} completions are missing: ${why}; ${how}`);
}

async function confirm(description: string, paid: number): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`this run sends ${paid} paid requests (${description}); pass --yes to confirm (more than ${CONFIRM_ABOVE} paid requests need confirmation)`);
  }
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`This run sends ${description}. Continue? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('run cancelled: nothing was sent');
  } finally {
    prompt.close();
  }
}

/** The default results file of a spec: `sweep.yaml` → `sweep.results.jsonl` beside it. */
export function defaultResultsPath(specPath: string): string {
  return join(dirname(specPath), `${basename(specPath, extname(specPath))}.results.jsonl`);
}

async function printMetrics(result: RunResult): Promise<void> {
  const { metricsBySetting } = await import('../../experiments/metricsBySetting.js');
  const { metricsTable } = await import('../../experiments/metricsTable.js');
  const table = metricsTable(metricsBySetting(result.rows));
  process.stdout.write(`\nDiversity per setting\n${formatTable(table.header, table.rows)}\n`);
}

interface PresetFlags extends TargetFlags, RunFlags {
  n?: string;
  maxTokens?: string;
  seed?: string;
}

function presetCommand(name: string, description: string, build: (flags: PresetFlags) => Promise<TemperaturePreset>, seedProvider: string): Command {
  const command = new Command(name).description(description);
  addTargetOptions(command, seedProvider);
  command.option('-n, --n <count>', 'completions per temperature').option('--max-tokens <count>', 'tokens per completion').option('--seed <n>', 'seed of completion 1 (completion i gets seed + i - 1)');
  addRunOptions(command);
  command.action(async (flags: PresetFlags) => {
    const { runExperiment } = await import('../../experiments/runExperiment.js');
    const { metricsBySetting } = await import('../../experiments/metricsBySetting.js');
    const { formatSeedLayout } = await import('../../experiments/seedLayout.js');
    const preset = await build(flags);
    const result = await runWithTerminal(preset.spec, flags, (options) => runExperiment(preset.spec, options));
    const cells = metricsBySetting(result.rows);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ experiment: preset.spec.name, title: preset.title, notes: preset.notes, total: result.total, rows: result.rows, metrics: cells })}\n`);
    } else {
      process.stdout.write(formatSeedLayout(result.rows, { title: preset.title, printChars: preset.printChars, notes: preset.notes }));
      await printMetrics(result);
    }
    checkComplete(result, flags.out);
  });
  return command;
}

function presetOverrides(flags: PresetFlags): Parameters<typeof seedOpenAIPreset>[0] {
  return {
    ...targetOverride(flags),
    ...(flags.n === undefined ? {} : { n: parseCount('--n', flags.n, 3, 1, 10_000) }),
    ...(flags.maxTokens === undefined ? {} : { maxTokens: parseCount('--max-tokens', flags.maxTokens, 50, 1, 100_000) }),
    ...(flags.seed === undefined ? {} : { seed: parseSeed(flags.seed) }),
  };
}

/** Flags of `knobs generate` that the grid run reads (generate.ts defines the shared ones). */
export interface GridFlags extends TargetFlags, RunFlags {
  grid?: string;
  system?: string;
  n?: string;
  maxTokens?: string;
  seed?: string;
  chain?: string;
  temperature?: string;
  topK?: string;
  topP?: string;
  minP?: string;
}

/**
 * Adds the flags of a grid run to `knobs generate`: `--provider --base-url --server
 * --api-key-env --grid --system --out --resume --overwrite --yes` (generate already has
 * `--model -n --max-tokens --seed --json` and the knob flags).
 */
export function addGridOptions(command: Command): Command {
  command
    .option('--provider <name>', 'send the prompt to a provider: openai, anthropic, openai-compatible or local')
    .option('--base-url <url>', 'server address for --provider openai-compatible (knobs serve, vLLM, llama.cpp, Ollama)')
    .option('--server <kind>', 'kind of OpenAI-compatible server: knobs, vllm, llama.cpp, ollama, lmstudio, generic')
    .option('--api-key-env <name>', 'environment variable that holds the API key (never the key itself)')
    .option('--grid <axes>', "completions at every point of a grid: 'temperature=0,0.5,1,1.5;top_p=1,0.9'")
    .option('--system <text>', 'system prompt (with --provider)')
    .option('--out <file>', 'also append every completion to this results file (JSONL)')
    .option('--resume', 'continue the run in --out')
    .option('--overwrite', 'start --out again from empty')
    .option('-y, --yes', `do not ask before sending more than ${CONFIRM_ABOVE} paid requests`);
  return command;
}

/** Whether `knobs generate` should run through a provider (`--provider` or `--grid` given). */
export function wantsGrid(flags: GridFlags): boolean {
  return flags.grid !== undefined || flags.provider !== undefined;
}

const KNOB_FLAG_FIELDS: readonly (readonly [keyof GridFlags, string])[] = [
  ['temperature', 'temperature'],
  ['topK', 'top_k'],
  ['topP', 'top_p'],
  ['minP', 'min_p'],
];

/**
 * `knobs generate PROMPT --provider P --model M --grid '...' -n 3 --max-tokens 50`:
 * completions of the prompt at every point of the grid (knob flags such as `--top-p 0.9`
 * are sent at every point), printed grouped by setting with the diversity of each, or as
 * JSON. `command` tells which flags were typed (generate gives `--model` and `--seed`
 * defaults meant for the embedded model).
 */
export async function generateGrid(prompt: string, flags: GridFlags, command: Command): Promise<void> {
  const { presetTarget } = await import('../../experiments/presets.js');
  const { gridSpec, runGrid } = await import('../../experiments/runGrid.js');
  const { formatSeedLayout } = await import('../../experiments/seedLayout.js');
  const typed = (name: string): boolean => command.getOptionValueSource(name) === 'cli' || command.getOptionValueSource(name) === 'env';
  const provider = flags.provider ?? 'local';
  if (flags.chain !== undefined) throw new UsageError('--grid and --provider take knob flags (--top-p 0.9), not --chain: put chains in an experiment file (knobs experiment run)');
  const settings: Record<string, number> = {};
  for (const [flag, field] of KNOB_FLAG_FIELDS) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${field.replace(/_/g, '-')} = ${JSON.stringify(raw)} is not a number`);
    settings[field] = value;
  }
  const target = presetTarget(provider, targetOverride({ ...flags, provider, ...(typed('model') ? {} : { model: undefined }) }));
  const seed = typed('seed') || provider === 'local' ? parseSeed(flags.seed) : undefined;
  const request = {
    prompt,
    ...(flags.system === undefined ? {} : { system: flags.system }),
    target,
    grid: flags.grid ?? (settings.temperature === undefined ? 'temperature=1' : `temperature=${settings.temperature}`),
    settings,
    n: parseCount('--n', flags.n, 1, 1, 10_000),
    maxTokens: parseCount('--max-tokens', flags.maxTokens, 40, 1, 100_000),
    ...(seed === undefined ? {} : { seed }),
  };
  const spec = gridSpec(request);
  const result = await runWithTerminal(spec, flags, (options) => runGrid(request, options));
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        prompt,
        provider: target.provider,
        model: target.model,
        grid: request.grid,
        settings,
        max_tokens: request.maxTokens,
        points: result.cells.map((cell) => ({
          settings: cell.settings,
          completions: result.rows
            .filter((row) => JSON.stringify(row.settings) === JSON.stringify(cell.settings))
            .map((row) => ({ index: row.index, seed: row.seed, status: row.status, text: row.text, finish_reason: row.finish_reason, rejected: row.rejected, usage: row.usage })),
          metrics: cell.metrics,
        })),
      })}\n`,
    );
  } else {
    process.stdout.write(formatSeedLayout(result.rows, { title: `${prompt} (${target.provider}/${target.model}, ${request.maxTokens} tokens${seed === undefined ? '' : `, seed ${seed}`})` }));
    await printMetrics(result);
  }
  checkComplete(result, flags.out);
}

interface RunCommandFlags extends RunFlags {
  quiet?: boolean;
}

interface ReportFlags {
  dir?: string;
  png?: boolean;
  title?: string;
  json?: boolean;
}

/** `knobs experiment`: run experiment files and the seed's experiments, and report on results. */
export function experimentCommand(): Command {
  const experiment = new Command('experiment').description('sample grids of settings across providers, store every completion in a crash-safe JSONL file, report');

  const run = new Command('run')
    .description('run an experiment file (YAML or JSON: prompts x providers x grid, chains or points x n; `knobs experiment init` writes a commented one, docs/experiments.md is the reference), appending every completion to a JSONL results file')
    .argument('<file>', 'experiment spec (.json, .yaml)');
  addRunOptions(run, true);
  run.action(async (file: string, flags: RunCommandFlags) => {
    const { readExperimentSpec } = await import('../../experiments/experimentSpec.js');
    const { runExperiment } = await import('../../experiments/runExperiment.js');
    const { metricsBySetting } = await import('../../experiments/metricsBySetting.js');
    const spec = await readExperimentSpec(file);
    const out = flags.out ?? defaultResultsPath(file);
    const result = await runWithTerminal(spec, { ...flags, out }, (options) => runExperiment(spec, options));
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ experiment: spec.name, out, total: result.total, resumed: result.resumed, written: result.written, failed: result.failures.length, torn_line_dropped: result.tornLineDropped, metrics: metricsBySetting(result.rows) })}\n`,
      );
    } else {
      process.stdout.write(`${spec.name}: ${result.rows.length}/${result.total} completions in ${out} (${result.resumed} from before, ${result.written} new) in ${(result.elapsedMs / 1000).toFixed(1)} s\n`);
      await printMetrics(result);
    }
    checkComplete(result, out);
  });

  const report = new Command('report')
    .description('write an HTML report of a results file: diversity vs temperature per provider, determinism, metrics and samples')
    .argument('<results>', 'results file (JSONL) of `knobs experiment run`, a preset or `knobs determinism --out`')
    .option('--dir <dir>', 'output directory (default: beside the results, <name>-report)')
    .option('--title <text>', 'page title')
    .option('--no-png', 'skip the PNG copies of the figures')
    .option('--json', 'print what was written as JSON');
  report.action(async (results: string, flags: ReportFlags) => {
    const dir = flags.dir ?? join(dirname(results), `${basename(results, extname(results)).replace(/\.results$/, '')}-report`);
    const { writeExperimentReport } = await import('../../report/experimentReport.js');
    const written = await writeExperimentReport(results, { dir, ...(flags.title === undefined ? {} : { title: flags.title }), png: flags.png !== false });
    if (flags.json) process.stdout.write(`${JSON.stringify(written)}\n`);
    else {
      process.stdout.write(`report written to ${written.indexPath} (${written.sections} sections, ${written.figures} figures)\n`);
      for (const failed of written.failedFigures) process.stderr.write(`knobs: figure ${failed.name} could not be drawn: ${failed.error}\n`);
    }
  });

  const init = new Command('init')
    .description('write a commented YAML experiment file that runs offline as written (then: knobs experiment run FILE)')
    .argument('[file]', 'where to write it (.yaml or .yml)', 'sweep.yaml')
    .option('--force', 'replace the file if it exists');
  init.action(async (file: string, flags: { force?: boolean }) => {
    const extension = extname(file).toLowerCase();
    if (extension === '.json') throw new UsageError(`${file}: the starter file is YAML, with comments on every field, which JSON cannot hold: give a .yaml name`);
    if (extension !== '.yaml' && extension !== '.yml') throw new UsageError(`${file}: expected a .yaml or .yml name`);
    const { existsSync } = await import('node:fs');
    if (existsSync(file) && !flags.force) throw new UsageError(`${file} exists: pass --force to replace it`);
    const { STARTER_SPEC } = await import('../../experiments/starterSpec.js');
    const { writeFileAtomic } = await import('../../report/atomicWrite.js');
    await writeFileAtomic(file, STARTER_SPEC);
    process.stdout.write(`wrote ${file}: run it with \`knobs experiment run ${file}\` (offline: the embedded model)\n`);
  });

  experiment.addCommand(init);
  experiment.addCommand(run);
  experiment.addCommand(report);
  experiment.addCommand(
    presetCommand('seed-openai', "the seed's openai_generate.py: the robot-sunset prompt at temperatures 0, 0.5, 1, 1.5, three completions each (--provider local runs it offline)", async (flags) => (await import('../../experiments/presets.js')).seedOpenAIPreset(presetOverrides(flags)), 'openai'),
  );
  experiment.addCommand(
    presetCommand('seed-anthropic', "the seed's anthropic_generate.py: temperatures 0, 0.3, 0.7, 1 (clamped to [0, 1]), three completions each (--provider local runs it offline)", async (flags) => (await import('../../experiments/presets.js')).seedAnthropicPreset(presetOverrides(flags)), 'anthropic'),
  );
  experiment.addCommand(determinismPresetCommand('seed-determinism'));
  for (const command of experiment.commands) command.exitOverride();
  return experiment;
}
