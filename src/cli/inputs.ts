import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatValue, InvalidInputError } from '../core/errors.js';
import { parseDistribution } from '../core/parseDistribution.js';
import { getExample } from '../examples/index.js';
import { ENGINE_NAMES, getProfile } from '../samplers/profiles.js';
import { samplerDefinition, samplerDefinitions } from '../samplers/registry.js';
import { chainFromSettings, parseChain, type ChainSpec } from '../samplers/spec.js';
import { UsageError } from './errors.js';

/** The input of `dist`, `sample`, `plot`: logits and, when known, the token strings. */
export interface DistributionInput {
  readonly logits: Float32Array;
  readonly tokens?: readonly string[];
  /** A short description of where the input came from, for titles. */
  readonly source: string;
}

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

/** Reads the one distribution named by `--logits`, `--probs` or `--example`. */
export async function readDistributionInput(options: InputOptions): Promise<DistributionInput> {
  const given = (['logits', 'probs', 'example'] as const).filter((key) => options[key] !== undefined);
  if (given.length === 0) throw new UsageError('no input: give --logits FILE, --probs FILE or --example NAME (try --example top-p-8)');
  if (given.length > 1) throw new UsageError(`give one input, not ${given.map((key) => `--${key}`).join(' and ')}`);
  if (options.example !== undefined) {
    const example = getExample(options.example);
    const logits = Float32Array.from(example.logits);
    return example.tokens ? { logits, tokens: example.tokens, source: example.name } : { logits, source: example.name };
  }
  const kind = options.logits !== undefined ? 'logits' : 'probs';
  const path = (options.logits ?? options.probs) as string;
  const text = await readTextSource(path);
  const parsed = parseDistribution(text, kind);
  return { ...parsed, source: path === '-' ? `stdin (${kind})` : path };
}

/** Reads a file, or standard input for `-`. */
export async function readTextSource(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${formatValue(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A flag-style knob: `--top-p 0.9` sets `{ top_p: { p: 0.9 } }`. */
export interface KnobFlag {
  readonly flag: string;
  readonly sampler: string;
  readonly parameter: string;
  readonly description: string;
}

/**
 * Flag-style knobs, read from the samplers' definitions (`ParameterSpec.flag`); applied in
 * the engine profile's default order when `--chain` is absent.
 *
 * @example
 * knobFlags().find((knob) => knob.flag === 'top-p'); // { sampler: 'top_p', parameter: 'p', ... }
 */
export function knobFlags(): KnobFlag[] {
  return samplerDefinitions().flatMap((definition) =>
    definition.parameters.flatMap((spec) => (spec.flag === undefined ? [] : [{ flag: spec.flag, sampler: definition.name, parameter: spec.name, description: `${definition.name}.${spec.name}: ${spec.hint}` }])),
  );
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

/** Adds `--chain`, `--engine`, `--history`, `--prompt-tokens`, `--seed` and the knob flags. */
export function addChainOptions(command: Command): Command {
  command
    .option('--chain <chain>', 'sampler chain: compact (top_k=40,top_p=0.95,temperature=0.8) or a JSON array')
    .option('--engine <name>', `engine semantics: ${ENGINE_NAMES.join(', ')}`, 'knobs')
    .option('--history <ids>', 'token ids already generated, comma-separated (for penalties, DRY, no-repeat-ngram)')
    .option('--prompt-tokens <ids>', 'token ids of the prompt, comma-separated')
    .option('--seed <n>', 'seed of the random generator', '0');
  for (const knob of knobFlags()) command.option(`--${knob.flag} <value>`, `${knob.description} (without --chain)`);
  return command;
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The chain of a command: `--chain`, or the knob flags ordered by the engine's default
 * order, or the empty chain.
 */
export function chainFromOptions(options: ChainOptions): ChainSpec | string {
  const settings: Record<string, Record<string, unknown>> = {};
  for (const knob of knobFlags()) {
    const raw = options[camel(knob.flag)];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) throw new UsageError(`--${knob.flag} = ${formatValue(raw)} is not a number`);
    settings[knob.sampler] = { ...settings[knob.sampler], [knob.parameter]: value };
  }
  const flagged = Object.keys(settings).length > 0;
  if (options.chain !== undefined) {
    if (flagged) throw new UsageError(`give either --chain or knob flags (${Object.keys(settings).join(', ')}), not both`);
    parseChain(options.chain); // fail early with the parser's message
    return options.chain;
  }
  return chainFromSettings(compactSettings(settings), getProfile(options.engine ?? 'knobs').defaultOrder);
}

/** `{ top_p: { p: 0.9 } }` → `{ top_p: 0.9 }`: the number form when only the first parameter is set. */
function compactSettings(settings: Record<string, Record<string, unknown>>): Record<string, number | Record<string, unknown>> {
  const compact: Record<string, number | Record<string, unknown>> = {};
  for (const [sampler, parameters] of Object.entries(settings)) {
    const keys = Object.keys(parameters);
    const first = samplerDefinition(sampler).parameters[0]?.name;
    compact[sampler] = first !== undefined && keys.length === 1 && keys[0] === first ? (parameters[first] as number) : parameters;
  }
  return compact;
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
