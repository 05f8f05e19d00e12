import { readFile } from 'node:fs/promises';
import { formatValue, InvalidInputError } from '../core/errors.js';
import { parseDistribution } from '../core/parseDistribution.js';
import { getExample } from '../examples/index.js';
import { getProfile } from '../samplers/profiles.js';
import { samplerDefinition } from '../samplers/registry.js';
import { chainFromSettings, parseChain, type ChainSpec } from '../samplers/spec.js';
import { knobFlags } from './knobFlags.js';
import { type ChainOptions, type InputOptions } from './options.js';
import { UsageError } from './errors.js';

// The flags themselves are declared in options.ts, which loads nothing heavy, so that
// commands can be registered (and `knobs --help` printed) without the samplers.
export { addChainOptions, addInputOptions, parseCount, parseIdList, parseSeed, type ChainOptions, type InputOptions } from './options.js';
export { addKnobFlags, knobFlags, type KnobFlag } from './knobFlags.js';

/** The input of `dist`, `sample`, `plot`: logits and, when known, the token strings. */
export interface DistributionInput {
  readonly logits: Float32Array;
  readonly tokens?: readonly string[];
  /** A short description of where the input came from, for titles. */
  readonly source: string;
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
