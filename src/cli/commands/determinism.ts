import { Command } from 'commander';
import type { DeterminismPrompt, DeterminismRequest, DeterminismRun } from '../../experiments/runDeterminism.js';
import { UsageError } from '../errors.js';
import { parseCount, parseSeed } from '../options.js';
import { addRunOptions, addTargetOptions, checkComplete, runWithTerminal, targetOverride, type RunFlags, type TargetFlags } from './experiment.js';

interface DeterminismFlags extends TargetFlags, RunFlags {
  n?: string;
  seed?: string;
  maxTokens?: string;
  system?: string;
  preset?: string;
}

/**
 * Runs a determinism request with the terminal's preview, progress and Ctrl-C handling,
 * and prints it in the seed's layout (or JSON).
 */
async function runAndPrint(request: DeterminismRequest, flags: DeterminismFlags): Promise<void> {
  const { formatDeterminism } = await import('../../experiments/determinismLayout.js');
  const { determinismSpec, runDeterminism } = await import('../../experiments/runDeterminism.js');
  // The preview counts the requests before the provider's capabilities are known: same count.
  const previewSpec = determinismSpec(request, { logprobs: false, exclusiveTopP: false });
  const run: DeterminismRun = await runWithTerminal(previewSpec, flags, (options) => runDeterminism(request, options));
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        provider: request.target.provider,
        model: request.target.model,
        settings: run.spec.points[0]?.settings,
        seed: request.seed ?? null,
        logprobs: run.logprobs,
        tests: run.results.map((result) => ({ title: result.title, prompt: result.prompt, refused: result.refused, ...result.analysis })),
      })}\n`,
    );
  } else {
    const settings = Object.entries(run.spec.points[0]?.settings ?? {})
      .map(([field, value]) => `${field} ${String(value)}`)
      .join(', ');
    const setup = `${request.target.provider}/${request.target.model}, ${settings}, ${request.maxTokens ?? 50} tokens${request.seed === undefined ? '' : `, seed ${request.seed}`}${run.logprobs ? '' : ', no log-probabilities'}`;
    const blocks = run.results.map((result, index) => {
      const heading = result.title === undefined ? `Determinism: ${JSON.stringify(result.prompt)}` : `${index > 0 ? '\n' : ''}Test ${index + 1}: ${result.title}`;
      const refused = result.refused > 0 ? `${result.refused} trial(s) refused by the provider\n` : '';
      return refused + formatDeterminism(result.analysis, { heading, ...(index === 0 ? { setup } : {}) });
    });
    process.stdout.write(blocks.join(''));
  }
  checkComplete(run, flags.out);
}

async function requestOf(prompts: readonly DeterminismPrompt[], flags: DeterminismFlags, seedProvider: string): Promise<DeterminismRequest> {
  const { presetTarget } = await import('../../experiments/presets.js');
  return {
    prompts,
    target: presetTarget(seedProvider, targetOverride(flags)),
    ...(flags.seed === undefined ? {} : { seed: parseSeed(flags.seed) }),
    ...(flags.maxTokens === undefined ? {} : { maxTokens: parseCount('--max-tokens', flags.maxTokens, 50, 1, 100_000) }),
  };
}

/** The seed's two tests (test_determinism.py), as `knobs experiment seed-determinism` and `knobs determinism --preset seed`. */
async function seedTests(flags: DeterminismFlags): Promise<DeterminismPrompt[]> {
  if (flags.n !== undefined) throw new UsageError('--n does not apply to --preset seed: its tests send 10 and 5 trials');
  const { SEED_DETERMINISM_TESTS } = await import('../../experiments/presets.js');
  return SEED_DETERMINISM_TESTS.map((test) => ({ prompt: test.prompt, trials: test.trials, title: test.title }));
}

/** `knobs experiment seed-determinism`: the seed's determinism tests. */
export function determinismPresetCommand(name: string): Command {
  const command = new Command(name).description('the seed\'s test_determinism.py: "What is 2 + 2?" x 10 and the robot paragraph x 5 at temperature 0 (--provider local runs it offline)');
  addTargetOptions(command, 'openai');
  command.option('--seed <n>', 'seed sent with every trial').option('--max-tokens <count>', 'tokens per completion', '50');
  addRunOptions(command);
  command.action(async (flags: DeterminismFlags) => runAndPrint(await requestOf(await seedTests(flags), flags, flags.provider ?? 'openai'), flags));
  return command;
}

/** `knobs determinism`: the temperature-0 determinism test against any provider. */
export function determinismCommand(): Command {
  const command = new Command('determinism')
    .description('send one prompt N times at temperature 0: distinct outputs, where they first diverge, and the top-two log-probability gap there')
    .argument('[prompt]', 'the prompt (or --preset seed for the seed\'s two tests)');
  addTargetOptions(command, 'local');
  command
    .option('-n, --n <count>', 'trials', '10')
    .option('--seed <n>', 'seed sent with every trial (where the provider has seeds)')
    .option('--max-tokens <count>', 'tokens per completion', '50')
    .option('--system <text>', 'system prompt')
    .option('--preset <name>', 'seed: the seed\'s two tests ("What is 2 + 2?" x 10, the robot paragraph x 5)');
  addRunOptions(command);
  command.action(async (prompt: string | undefined, flags: DeterminismFlags) => {
    if (flags.preset !== undefined) {
      if (flags.preset !== 'seed') throw new UsageError(`--preset = ${JSON.stringify(flags.preset)} is not a preset: expected seed`);
      if (prompt !== undefined) throw new UsageError('give a prompt or --preset seed, not both');
      const { n: _n, ...rest } = flags;
      await runAndPrint(await requestOf(await seedTests(rest), flags, flags.provider ?? 'local'), flags);
      return;
    }
    if (prompt === undefined || prompt === '') throw new UsageError('no prompt: give one (knobs determinism "What is 2 + 2?") or --preset seed');
    const trials = parseCount('--n', flags.n, 10, 2, 10_000);
    await runAndPrint(await requestOf([{ prompt, trials, ...(flags.system === undefined ? {} : { system: flags.system }) }], flags, flags.provider ?? 'local'), flags);
  });
  return command;
}
