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

/** A flag-style knob: `--top-p 0.9` sets `{ top_p: 0.9 }`. */
export interface KnobFlag {
  readonly flag: string;
  readonly sampler: string;
  readonly description: string;
}

/** Flag-style knobs, applied in the engine profile's default order when `--chain` is absent. */
export const KNOB_FLAGS: KnobFlag[] = [
  { flag: 'temperature', sampler: 'temperature', description: 'temperature (0 = greedy)' },
  { flag: 'top-k', sampler: 'top_k', description: 'top-k (0 disables)' },
  { flag: 'top-p', sampler: 'top_p', description: 'top-p / nucleus' },
  { flag: 'min-p', sampler: 'min_p', description: 'min-p' },
  { flag: 'typical-p', sampler: 'typical_p', description: 'locally typical sampling mass' },
  { flag: 'top-n-sigma', sampler: 'top_n_sigma', description: 'top-n-sigma (0 disables)' },
  { flag: 'epsilon', sampler: 'epsilon', description: 'epsilon cutoff' },
  { flag: 'eta', sampler: 'eta', description: 'eta cutoff' },
  { flag: 'repeat-penalty', sampler: 'penalties', description: 'repetition penalty (counts --history and --prompt-tokens)' },
  { flag: 'no-repeat-ngram', sampler: 'no_repeat_ngram', description: 'forbid repeating n-grams of this size' },
  { flag: 'mirostat', sampler: 'mirostat', description: 'mirostat version (1 or 2; selects the token)' },
];

/** Options shared by every command that takes a chain. */
export interface ChainOptions {
  chain?: string;
  engine?: string;
  history?: string;
  promptTokens?: string;
  seed?: string;
  [flag: string]: unknown;
}

/** Adds `--chain`, `--engine`, `--history`, `--prompt-tokens`, `--seed` and the knob flags. */
export function addChainOptions(command: Command): Command {
  command
    .option('--chain <chain>', 'sampler chain: compact (top_k=40,top_p=0.95,temperature=0.8) or a JSON array')
    .option('--engine <name>', 'engine semantics: knobs, llama.cpp, hf, vllm', 'knobs')
    .option('--history <ids>', 'token ids already generated, comma-separated (for penalties, DRY, no-repeat-ngram)')
    .option('--prompt-tokens <ids>', 'token ids of the prompt, comma-separated')
    .option('--seed <n>', 'seed of the random generator', '0');
  for (const knob of KNOB_FLAGS) command.option(`--${knob.flag} <value>`, `${knob.description} (without --chain)`);
  return command;
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
