import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatValue, KnobsError } from '../core/errors.js';
import { isLoopback } from '../http/loopback.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { KnobSettings } from '../providers/types.js';
import { parseChain, type ChainSpec } from '../samplers/spec.js';
import { gridPoints, parseGrid, type GridInput } from './grid.js';
import type { ProviderTarget, SettingPoint } from './job.js';

/** A spec file (or object) that is not a valid experiment: the message names the field and what it accepts. */
export class ExperimentSpecError extends KnobsError {
  override name = 'ExperimentSpecError';
}

/** One prompt of an experiment. */
export interface PromptEntry {
  readonly id: string;
  readonly prompt: string;
  readonly system?: string;
  /** Completions per cell for this prompt (default: the spec's `n`). */
  readonly n?: number;
}

/** One target with its request limits. */
export interface TargetEntry extends ProviderTarget {
  /** Requests in flight at once to this target. */
  readonly concurrency: number;
  /** Request starts per minute (absent: no limit). */
  readonly requestsPerMinute?: number;
}

/**
 * An experiment: every prompt × target × setting point, `n` completions each. Read from
 * JSON or YAML by `readExperimentSpec`, checked by `parseExperimentSpec`.
 */
export interface ExperimentSpec {
  readonly name: string;
  readonly prompts: readonly PromptEntry[];
  readonly targets: readonly TargetEntry[];
  readonly points: readonly SettingPoint[];
  readonly n: number;
  readonly maxTokens?: number;
  /** Sample i of a cell is sent seed `seed + i` (or `seed` for all with `sameSeed`). */
  readonly seed?: number;
  readonly sameSeed?: boolean;
  /** Ask for per-token log-probabilities where the provider has them. */
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
}

/** Model of a target that names none: only the local provider has one. */
export const DEFAULT_MODELS: Readonly<Record<string, string>> = { local: 'embedded' };

const DEFAULT_CONCURRENCY: Readonly<Record<string, number>> = { local: 2, openai: 4, anthropic: 4, 'openai-compatible': 4 };

/**
 * The keys of an experiment file, as `parseExperimentSpec` accepts them (any other is refused).
 * `docs/experiments.md` documents each; a test compares its tables with these lists.
 *
 * @example
 * EXPERIMENT_KEYS.includes('same_seed'); // true
 */
export const EXPERIMENT_KEYS: readonly string[] = ['name', 'prompts', 'prompt', 'system', 'providers', 'grid', 'chains', 'points', 'settings', 'n', 'max_tokens', 'seed', 'same_seed', 'logprobs', 'top_logprobs'];

/**
 * The keys of a prompt written as an object (`{ id, prompt, system, n }`).
 *
 * @example
 * PROMPT_KEYS; // ['id', 'prompt', 'system', 'n']
 */
export const PROMPT_KEYS: readonly string[] = ['id', 'prompt', 'system', 'n'];

/**
 * The keys of a provider written as an object (`{ provider, model, base_url, ... }`).
 *
 * @example
 * PROVIDER_KEYS.includes('rate_limit'); // true
 */
export const PROVIDER_KEYS: readonly string[] = ['provider', 'model', 'base_url', 'server', 'api_key_env', 'label', 'concurrency', 'rate_limit'];

/**
 * The keys of an explicit setting point (an entry of `points`).
 *
 * @example
 * POINT_KEYS; // ['settings', 'chain']
 */
export const POINT_KEYS: readonly string[] = ['settings', 'chain'];

/**
 * Checks an experiment written as data (parsed JSON or YAML) and returns it in library
 * form. The keys (snake_case):
 *
 * - `name`: the experiment's name (default `experiment`)
 * - `prompts`: strings or `{ id, prompt, system, n }` (or one `prompt`); `system` applies to
 *   all; a prompt's own `n` replaces the spec's for its cells
 * - `providers`: `"local"`, `"openai:gpt-4o-mini"`, or `{ provider, model, base_url, server,
 *   api_key_env, label, concurrency, rate_limit }` (`rate_limit` = requests per minute;
 *   `server` = the kind of OpenAI-compatible server: `knobs`, `vllm`, `llama.cpp`, ...)
 * - `grid`: `"temperature=0,0.5;top_p=1,0.9"` or `{ temperature: [0, 0.5] }`; `chains`:
 *   chains (compact strings or arrays), one point each; `points`: explicit `{ settings, chain }`
 * - `settings`: fields added to every point (grid values win), e.g. `{ top_p: 1 }`
 * - `n` (completions per cell, default 1), `max_tokens`, `seed`, `same_seed`,
 *   `logprobs` (default true: per-token log-probabilities from providers that have them,
 *   for mean log-probability and perplexity), `top_logprobs`
 *
 * Unknown keys are refused (they are usually typos). Throws `ExperimentSpecError` naming
 * the field, the value and what is accepted.
 *
 * @example
 * parseExperimentSpec({ prompts: ['The robot'], providers: ['local'], grid: 'temperature=0,1', n: 3 }).points.length; // 2
 */
export function parseExperimentSpec(value: unknown, source = 'experiment spec'): ExperimentSpec {
  const spec = object(value, source);
  unknownKeys(spec, EXPERIMENT_KEYS, source);
  const name = spec.name === undefined ? 'experiment' : string(spec.name, `${source}: name`);
  const system = spec.system === undefined ? undefined : string(spec.system, `${source}: system`);
  if (spec.prompt !== undefined && spec.prompts !== undefined) fail(`${source}: give prompts or prompt, not both`);
  const promptList = spec.prompts ?? (spec.prompt === undefined ? undefined : [spec.prompt]);
  if (!Array.isArray(promptList) || promptList.length === 0) fail(`${source}: prompts = ${formatValue(promptList)}: expected a non-empty list of prompts`);
  const prompts = promptList.map((entry, index) => promptEntry(entry, index, system, `${source}: prompts[${index}]`));
  const ids = prompts.map((prompt) => prompt.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) fail(`${source}: prompt id ${formatValue(repeated)} is used twice: expected distinct ids`);
  if (!Array.isArray(spec.providers) || spec.providers.length === 0) {
    fail(`${source}: providers = ${formatValue(spec.providers)}: expected a non-empty list such as ["local"] or [{"provider": "openai", "model": "gpt-4o-mini"}]`);
  }
  const targets = spec.providers.map((entry, index) => targetEntry(entry, `${source}: providers[${index}]`));
  const labels = targets.map((target) => target.label);
  const twice = labels.find((label, index) => labels.indexOf(label) !== index);
  if (twice !== undefined) fail(`${source}: provider ${formatValue(twice)} is listed twice: give each a distinct label`);
  const fixed = spec.settings === undefined ? {} : settingsObject(spec.settings, `${source}: settings`);
  const points: SettingPoint[] = [];
  if (spec.grid !== undefined) {
    try {
      for (const settings of gridPoints(parseGrid(spec.grid as GridInput))) points.push({ settings: { ...fixed, ...settings } });
    } catch (error) {
      fail(`${source}: grid: ${(error as Error).message}`);
    }
  }
  if (spec.chains !== undefined) {
    if (!Array.isArray(spec.chains)) fail(`${source}: chains = ${formatValue(spec.chains)}: expected a list of chains`);
    spec.chains.forEach((chain, index) => points.push({ settings: fixed, chain: checkedChain(chain, `${source}: chains[${index}]`) }));
  }
  if (spec.points !== undefined) {
    if (!Array.isArray(spec.points)) fail(`${source}: points = ${formatValue(spec.points)}: expected a list of { settings, chain }`);
    spec.points.forEach((entry, index) => {
      const where = `${source}: points[${index}]`;
      const point = object(entry, where);
      unknownKeys(point, POINT_KEYS, where);
      const settings = point.settings === undefined ? {} : settingsObject(point.settings, `${where}.settings`);
      points.push(point.chain === undefined ? { settings: { ...fixed, ...settings } } : { settings: { ...fixed, ...settings }, chain: checkedChain(point.chain, `${where}.chain`) });
    });
  }
  if (points.length === 0) points.push({ settings: fixed });
  return {
    name,
    prompts,
    targets,
    points,
    n: integer(spec.n ?? 1, `${source}: n`, 1, 100_000),
    ...(spec.max_tokens === undefined ? {} : { maxTokens: integer(spec.max_tokens, `${source}: max_tokens`, 1, 1_000_000) }),
    ...(spec.seed === undefined ? {} : { seed: integer(spec.seed, `${source}: seed`, 0, Number.MAX_SAFE_INTEGER) }),
    ...(spec.same_seed === undefined ? {} : { sameSeed: boolean(spec.same_seed, `${source}: same_seed`) }),
    logprobs: spec.logprobs === undefined ? true : boolean(spec.logprobs, `${source}: logprobs`),
    ...(spec.top_logprobs === undefined ? {} : { topLogprobs: integer(spec.top_logprobs, `${source}: top_logprobs`, 0, 20) }),
  };
}

/**
 * Reads an experiment spec from a `.json`, `.yaml` or `.yml` file (any other name is read
 * as YAML, which includes JSON) and checks it with `parseExperimentSpec`.
 *
 * @example
 * const spec = await readExperimentSpec('sweep.yaml');
 */
export async function readExperimentSpec(path: string): Promise<ExperimentSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ExperimentSpecError(`cannot read experiment spec ${formatValue(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ExperimentSpecError(`experiment spec ${formatValue(path)} is not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseExperimentSpec(data, path);
}

/** Whether a base URL points at this machine (a request there costs nothing). */
function isLocalUrl(baseUrl: string | undefined): boolean {
  if (baseUrl === undefined) return false;
  try {
    return isLoopback(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * Whether requests to a target may cost money: every target except the local provider
 * and servers on this machine (`knobs serve`, a local vLLM or llama.cpp server).
 *
 * @example
 * isPaidTarget({ provider: 'openai', model: 'gpt-4o-mini' }); // true
 * isPaidTarget({ provider: 'openai-compatible', model: 'embedded', baseUrl: 'http://127.0.0.1:8080/v1' }); // false
 */
export function isPaidTarget(target: ProviderTarget): boolean {
  return target.provider !== 'local' && !isLocalUrl(target.baseUrl);
}

function promptEntry(entry: unknown, index: number, system: string | undefined, where: string): PromptEntry {
  if (typeof entry === 'string') {
    if (entry === '') fail(`${where} is empty: expected a prompt`);
    return system === undefined ? { id: `p${index + 1}`, prompt: entry } : { id: `p${index + 1}`, prompt: entry, system };
  }
  const record = object(entry, where);
  unknownKeys(record, PROMPT_KEYS, where);
  const prompt = string(record.prompt, `${where}.prompt`);
  if (prompt === '') fail(`${where}.prompt is empty: expected a prompt`);
  const id = record.id === undefined ? `p${index + 1}` : string(record.id, `${where}.id`);
  const own = record.system === undefined ? system : string(record.system, `${where}.system`);
  const n = record.n === undefined ? undefined : integer(record.n, `${where}.n`, 1, 100_000);
  return { id, prompt, ...(own === undefined ? {} : { system: own }), ...(n === undefined ? {} : { n }) };
}

function targetEntry(entry: unknown, where: string): TargetEntry {
  let record: Record<string, unknown>;
  if (typeof entry === 'string') {
    const colon = entry.indexOf(':');
    record = colon < 0 ? { provider: entry } : { provider: entry.slice(0, colon), model: entry.slice(colon + 1) };
  } else {
    record = object(entry, where);
    unknownKeys(record, PROVIDER_KEYS, where);
  }
  const provider = string(record.provider, `${where}.provider`);
  if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) fail(`${where}.provider = ${formatValue(provider)}: expected one of ${PROVIDER_NAMES.join(', ')}`);
  const model = record.model === undefined ? DEFAULT_MODELS[provider] : string(record.model, `${where}.model`);
  if (model === undefined || model === '') fail(`${where}: ${provider} needs a model (e.g. "${provider === 'anthropic' ? 'anthropic:claude-haiku-4-5' : 'openai:gpt-4o-mini'}")`);
  const baseUrl = record.base_url === undefined ? undefined : string(record.base_url, `${where}.base_url`);
  if (baseUrl !== undefined && !/^https?:\/\//.test(baseUrl)) fail(`${where}.base_url = ${formatValue(baseUrl)}: expected an http:// or https:// address`);
  if (provider === 'openai-compatible' && baseUrl === undefined) fail(`${where}: openai-compatible needs base_url (e.g. "http://127.0.0.1:8080/v1")`);
  const server = record.server === undefined ? undefined : string(record.server, `${where}.server`);
  if (server !== undefined && provider !== 'openai-compatible') fail(`${where}.server: only an openai-compatible provider has a server kind`);
  const apiKeyEnv = record.api_key_env === undefined ? undefined : string(record.api_key_env, `${where}.api_key_env`);
  const label = record.label === undefined ? `${provider}/${model}` : string(record.label, `${where}.label`);
  const concurrency = record.concurrency === undefined ? (DEFAULT_CONCURRENCY[provider] ?? 2) : integer(record.concurrency, `${where}.concurrency`, 1, 256);
  const rate = record.rate_limit === undefined ? undefined : number(record.rate_limit, `${where}.rate_limit`, 0, 1_000_000);
  return {
    provider,
    model,
    label,
    concurrency,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(server === undefined ? {} : { server }),
    ...(apiKeyEnv === undefined ? {} : { apiKeyEnv }),
    ...(rate === undefined || rate === 0 ? {} : { requestsPerMinute: rate }),
  };
}

function checkedChain(chain: unknown, where: string): ChainSpec | string {
  try {
    parseChain(chain);
  } catch (error) {
    fail(`${where}: ${(error as Error).message}`);
  }
  return chain as ChainSpec | string;
}

function settingsObject(value: unknown, where: string): KnobSettings {
  const record = object(value, where);
  for (const [field, item] of Object.entries(record)) {
    if (item === null || (typeof item !== 'number' && typeof item !== 'string' && typeof item !== 'boolean' && typeof item !== 'object')) {
      fail(`${where}.${field} = ${formatValue(item)}: expected a number, string, boolean or object`);
    }
  }
  return record;
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where} = ${formatValue(value)}: expected an object`);
  return value as Record<string, unknown>;
}

function unknownKeys(record: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const extra = Object.keys(record).find((key) => !allowed.includes(key));
  if (extra !== undefined) fail(`${where}: unknown key ${formatValue(extra)}: expected one of ${allowed.join(', ')}`);
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(`${where} = ${formatValue(value)}: expected a string`);
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') fail(`${where} = ${formatValue(value)}: expected true or false`);
  return value;
}

function number(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(`${where} = ${formatValue(value)} is out of range: expected a number in [${min}, ${max}]`);
  return value;
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(`${where} = ${formatValue(value)} is out of range: expected an integer in [${min}, ${max}]`);
  return value;
}

function fail(message: string): never {
  throw new ExperimentSpecError(message);
}
