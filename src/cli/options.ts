import type { Command } from 'commander';
import { formatValue } from '../core/errors.js';
import { UsageError } from './errors.js';

// The flags shared by several commands and the parsing of their numbers, declared without
// loading what reads them (the samplers, the examples, the models): registering every
// command for `knobs --help` imports this file, not inputs.ts.

/** Options shared by every command that reads one distribution. */
export interface InputOptions {
  logits?: string;
  probs?: string;
  example?: string;
}

/** Adds `--logits`, `--probs` and `--example` to a command. */
export function addInputOptions(command: Command): Command {
  return command
    .option('--logits <file>', 'logits as JSON (an array, or {"logits": [...], "tokens": [...]}); - reads stdin')
    .option('--probs <file>', 'probabilities as JSON (same shapes, key "probs"); - reads stdin')
    .option('--example <name>', 'a built-in example (see `knobs examples`)');
}

/** Options shared by every command that takes a chain. */
export interface ChainOptions {
  chain?: string;
  engine?: string;
  history?: string;
  promptTokens?: string;
  seed?: string;
  [flag: string]: unknown;
}

/** Commands that take a chain: main adds the knob flags (`knobFlags.ts`) to the one being run. */
const TAKES_KNOB_FLAGS = new WeakSet<Command>();

/**
 * Adds `--chain`, `--engine`, `--history`, `--prompt-tokens`, `--seed`, and marks the command
 * for the knob flags (`--top-p`, ...), which come from the samplers' definitions and are
 * added when the command runs (see `takesKnobFlags`).
 */
export function addChainOptions(command: Command): Command {
  command
    .option('--chain <chain>', 'sampler chain: compact (top_k=40,top_p=0.95,temperature=0.8) or a JSON array')
    .option('--engine <name>', 'engine semantics (the profiles of `knobs engines`)', 'knobs')
    .option('--history <ids>', 'token ids already generated, comma-separated (for penalties, DRY, no-repeat-ngram)')
    .option('--prompt-tokens <ids>', 'token ids of the prompt, comma-separated')
    .option('--seed <n>', 'seed of the random generator', '0');
  TAKES_KNOB_FLAGS.add(command);
  return command;
}

/** Whether `addChainOptions` marked this command for the knob flags. */
export function takesKnobFlags(command: Command): boolean {
  return TAKES_KNOB_FLAGS.has(command);
}

/** Parses a comma-separated list of token ids (`3,1,4`). */
export function parseIdList(name: string, text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 0) throw new UsageError(`${name} entry ${formatValue(part.trim())} is not a token id: expected an integer >= 0`);
    return value;
  });
}

/** Parses `--seed`. */
export function parseSeed(text: string | undefined): number {
  const value = Number(text ?? '0');
  if (text === '' || !Number.isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
    throw new UsageError(`--seed = ${formatValue(text)} is out of range: expected an integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
  }
  return value;
}

/** Parses a positive integer option such as `--n` or `--top`. */
export function parseCount(name: string, text: string | undefined, fallback: number, min = 1, max = 100_000_000): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} = ${formatValue(text)} is out of range: expected an integer in [${min}, ${max}]`);
  }
  return value;
}
