/**
 * The generated regions of the guides (`<!-- generated: NAME -->` ... `<!-- end generated -->`):
 * tables read from the code through the built CLI's JSON and the built package, so that
 * lists that grow (engine profiles, samplers, request fields, figures) are never copied by
 * hand.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What a generator may read. */
export interface GeneratorContext {
  readonly root: string;
  readonly cacheDirectory: string;
}

type Generator = (context: GeneratorContext, args: string) => Promise<string> | string;

function knobsJson(context: GeneratorContext, args: readonly string[]): unknown {
  const stdout = execFileSync(process.execPath, [join(context.root, 'bin', 'knobs.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KNOBS_CACHE_DIR: context.cacheDirectory, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

async function built<T>(context: GeneratorContext, subpath: string): Promise<T> {
  return (await import(pathToFileURL(join(context.root, 'dist', subpath)).href)) as T;
}

/** A Markdown table; `|` in cells is escaped. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

const code = (text: string): string => `\`${text}\``;

interface EnginesJson {
  engines: { name: string; title: string; sources: string[] }[];
  differences: { aspect: string; values: Record<string, string>; differs: boolean }[];
}

interface Definition {
  name: string;
  summary: string;
  selects?: boolean;
  parameters: { name: string; kind: string; hint: string; fields?: readonly string[]; flag?: string }[];
  engines: Record<string, unknown>;
}

/** The generators by name. */
export const GENERATORS: Readonly<Record<string, Generator>> = {
  /** Every engine profile: its `--engine` name, the engine, the sources its rules were read from. */
  engines(context) {
    const { engines } = knobsJson(context, ['engines', '--json']) as EnginesJson;
    return table(
      ['--engine', 'engine', 'read from'],
      engines.map((engine) => [code(engine.name), engine.title, engine.sources.join('; ')]),
    );
  },

  /** Every aspect on which the profiles differ, each value with the engines that have it. */
  'engine-differences'(context) {
    const { differences } = knobsJson(context, ['engines', '--json']) as EnginesJson;
    return table(
      ['aspect', 'values (engines)'],
      differences
        .filter((difference) => difference.differs)
        .map((difference) => {
          const byValue = new Map<string, string[]>();
          for (const [engine, value] of Object.entries(difference.values)) byValue.set(value, [...(byValue.get(value) ?? []), engine]);
          return [difference.aspect, [...byValue].map(([value, engines]) => `${code(value)}: ${engines.join(', ')}`).join('<br>')];
        }),
    );
  },

  /** Every sampler: its chain name, what it does, its parameters (the first is the number form's), its CLI flag and request fields. */
  async samplers(context) {
    const { samplerDefinitions } = await built<{ samplerDefinitions(): readonly Definition[] }>(context, 'index.js');
    return table(
      ['sampler', 'what it does', 'parameters', 'flags', 'request fields'],
      samplerDefinitions().map((definition) => [
        code(definition.name),
        definition.summary,
        definition.parameters.length === 0 ? '(none: written `true`)' : definition.parameters.map((parameter) => code(parameter.name)).join(', '),
        definition.parameters.flatMap((parameter) => (parameter.flag === undefined ? [] : [code(`--${parameter.flag}`)])).join(', '),
        definition.parameters.flatMap((parameter) => (parameter.fields ?? []).map(code)).join(', '),
      ]),
    );
  },

  /** Every knob field a request to `knobs serve` may carry, with the chain parameter it sets. */
  async 'knob-fields'(context) {
    const { knobFields } = await built<{ knobFields(): readonly { field: string; sampler: string; parameter: string; kind: string; aliasOf?: string; spec: { hint: string } }[] }>(context, 'providers/index.js');
    return table(
      ['field', 'sets', 'type', 'meaning'],
      knobFields().map((entry) => [
        code(entry.field),
        `${code(`${entry.sampler}.${entry.parameter}`)}${entry.aliasOf === undefined ? '' : ` (same as ${code(entry.aliasOf)})`}`,
        entry.kind === 'map' ? 'object id → number' : entry.kind === 'strings' ? 'array of strings' : entry.kind === 'ids' ? 'array of token ids' : 'number',
        entry.spec.hint,
      ]),
    );
  },

  /** The fields an endpoint of `knobs serve` knows besides the knob fields (`chat`, `completions` or `messages`). */
  async 'serve-fields'(context, args) {
    const openai = await built<{ CHAT_FIELDS: ReadonlySet<string>; COMPLETION_FIELDS: ReadonlySet<string> }>(context, 'server/openaiRoutes.js');
    const anthropic = await built<{ MESSAGE_FIELDS: ReadonlySet<string> }>(context, 'server/anthropicRoutes.js');
    const fields = { chat: openai.CHAT_FIELDS, completions: openai.COMPLETION_FIELDS, messages: anthropic.MESSAGE_FIELDS }[args];
    if (fields === undefined) throw new Error(`serve-fields: expected chat, completions or messages, got ${JSON.stringify(args)}`);
    return `${[...fields].map(code).join(', ')}\n`;
  },

  /** The figures of `knobs plot`. */
  async figures(context) {
    const { FIGURES } = await built<{ FIGURES: readonly { name: string; title: string; description: string }[] }>(context, 'report/index.js');
    return table(['figure', 'what it draws (inputs and defaults)'], FIGURES.map((figure) => [code(figure.name), figure.description]));
  },
};
