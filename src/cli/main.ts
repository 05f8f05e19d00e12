import { Command, CommanderError } from 'commander';
import { KnobsError } from '../core/errors.js';
import { commands } from './commands/index.js';
import { takesKnobFlags } from './options.js';

/**
 * Runs the `knobs` command line and resolves to its exit status. Errors of ours are
 * printed as one line on stderr (the stack only with `--debug`).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('knobs')
    .description('the sampling knobs of large language models: temperature, top-p, top-k, min-p and the rest')
    .version(await packageVersion())
    .option('--debug', 'print stack traces of errors')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const command of commands()) program.addCommand(command.exitOverride());
  // The knob flags come from the samplers' definitions: loaded only for the command being
  // run, so `knobs --help` and the commands without chains never load the samplers.
  program.hook('preSubcommand', async (_program, subcommand) => {
    if (takesKnobFlags(subcommand)) (await import('./knobFlags.js')).addKnobFlags(subcommand);
  });
  try {
    await program.parseAsync(argv.filter((arg) => arg !== '--debug'));
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof KnobsError || error instanceof RangeError) {
      process.stderr.write(`knobs: ${error.message}\n`);
      if (debug) process.stderr.write(`${error.stack ?? ''}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`knobs: unexpected error: ${message}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    return 1;
  }
}

async function packageVersion(): Promise<string> {
  // Synchronous: an asynchronous read would start libuv's thread pool, which --help never needs.
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
