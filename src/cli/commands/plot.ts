import { Command } from 'commander';
import type { FigureContext, FigureOption } from '../../report/figures.js';
import { formatValue } from '../../core/errors.js';
import { UsageError } from '../errors.js';
import { addChainOptions, addInputOptions, parseCount, parseIdList, parseSeed, type ChainOptions, type InputOptions } from '../options.js';
import type { KnobFlag } from '../knobFlags.js';
import { formatTable } from '../terminal.js';
import { FIGURE_NAMES } from './figureNames.js';

interface PlotOptions extends InputOptions, ChainOptions {
  list?: boolean;
  out?: string;
  n?: string;
  seeds?: string;
  temperatures?: string;
  scale?: string;
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** `knobs plot FIGURE`: one figure as SVG, PNG or a Vega-Lite spec. */
export function plotCommand(): Command {
  const command = new Command('plot')
    .description('draw a figure as SVG, PNG or Vega-Lite JSON (knobs plot --list names them)')
    .argument('[figure]', FIGURE_NAMES.join(' | '))
    .option('--list', 'list the figures and what each one reads')
    .option('-o, --out <file>', 'output file: .svg, .png or .vl.json (default FIGURE.svg)');
  addInputOptions(command);
  addChainOptions(command);
  command
    .option('-n, --n <draws>', 'draws of the sampling figure', '1000')
    .option('--seeds <n>', 'seeded draws of the interaction figure', '1000')
    .option('--temperatures <list>', 'temperatures, comma-separated (temperature-figure, temperature-curves, nucleus-heatmap)')
    .option('--scale <factor>', 'PNG pixels per SVG unit', '2')
    .action(async (name: string | undefined, options: PlotOptions, cmd: Command) => {
      const { FIGURES, getFigure } = await import('../../report/figures.js');
      const { formatFromPath, renderFigure } = await import('../../charts/render.js');
      const { chainFromOptions, knobFlags, readDistributionInput } = await import('../inputs.js');
      if (options.list) {
        const rows = FIGURES.map((figure) => [figure.name, figure.description]);
        process.stdout.write(`${formatTable(['figure', 'what it draws (inputs and defaults)'], rows)}\n`);
        return;
      }
      if (name === undefined) throw new UsageError(`name a figure: one of ${FIGURES.map((figure) => figure.name).join(', ')} (knobs plot --list)`);
      const figure = getFigure(name);
      const out = options.out ?? `${figure.name}.svg`;
      const format = formatFromPath(out);
      const given = givenOptions(options, cmd, knobFlags());
      const ignored = given.filter((option) => !option.meanings.some((meaning) => figure.uses.includes(meaning)));
      if (ignored.length > 0) process.stderr.write(`knobs plot: ${figure.name} does not use ${ignored.map((option) => option.flag).join(', ')} (ignored)\n`);
      const wants = (meaning: FigureOption): boolean => figure.uses.includes(meaning) && given.some((option) => option.meanings.includes(meaning));
      const context: FigureContext = {
        engine: options.engine ?? 'knobs',
        seed: parseSeed(options.seed),
        n: parseCount('--n', options.n, 1000, 1, 10_000_000),
        seeds: parseCount('--seeds', options.seeds, 1000, 1, 100_000),
        history: parseIdList('--history', options.history),
        prompt: parseIdList('--prompt-tokens', options.promptTokens),
        ...(wants('input') ? { input: await readDistributionInput(options) } : {}),
        ...(wants('chain') ? { chain: (engine: string) => chainFromOptions({ ...options, engine }) } : {}),
        ...(options.topK !== undefined ? { k: parseCount('--top-k', String(options.topK), 3, 0, 100_000_000) } : {}),
        ...(options.topP !== undefined ? { p: parseNumber('--top-p', String(options.topP), 0, 1) } : {}),
        ...(options.temperatures !== undefined ? { temperatures: parseList('--temperatures', options.temperatures, 0, 100) } : {}),
      };
      const spec = figure.build(context);
      const scale = parseNumber('--scale', options.scale ?? '2', 0.1, 10);
      const output = await renderFigure(spec, format, { scale });
      const { writeFileAtomic } = await import('../../report/atomicWrite.js');
      await writeFileAtomic(out, output);
      const size = typeof output === 'string' ? /<svg[^>]*\swidth="([\d.]+)" height="([\d.]+)"/.exec(output) : null;
      const dimensions = format === 'png' && typeof output !== 'string' ? ` (${output.readUInt32BE(16)} x ${output.readUInt32BE(20)} pixels)` : size ? ` (${size[1]} x ${size[2]})` : '';
      process.stdout.write(`wrote ${out}${dimensions}\n`);
    });
  return command;
}

/** An option the user set on the command line, and what a figure may read it as. */
interface GivenOption {
  readonly flag: string;
  readonly meanings: readonly FigureOption[];
}

/** The figure options set on the command line (not defaults). */
function givenOptions(options: PlotOptions, cmd: Command, flags: readonly KnobFlag[]): GivenOption[] {
  const fromCli = (key: string): boolean => options[key] !== undefined && cmd.getOptionValueSource(key) === 'cli';
  const given: GivenOption[] = [];
  for (const key of ['logits', 'probs', 'example'] as const) if (options[key] !== undefined) given.push({ flag: `--${key}`, meanings: ['input'] });
  if (fromCli('chain')) given.push({ flag: '--chain', meanings: ['chain'] });
  for (const knob of flags) {
    if (!fromCli(camel(knob.flag))) continue;
    const extra: FigureOption[] = knob.flag === 'top-k' ? ['k'] : knob.flag === 'top-p' ? ['p'] : [];
    given.push({ flag: `--${knob.flag}`, meanings: ['chain', ...extra] });
  }
  const simple: [string, FigureOption][] = [['engine', 'engine'], ['seed', 'seed'], ['n', 'n'], ['seeds', 'seeds'], ['temperatures', 'temperatures']];
  for (const [key, meaning] of simple) if (fromCli(key)) given.push({ flag: `--${key}`, meanings: [meaning] });
  return given;
}

function parseNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${name} = ${formatValue(text)} is out of range: expected a number in [${min}, ${max}]`);
  }
  return value;
}

function parseList(name: string, text: string, min: number, max: number): number[] {
  const values = text.split(',').map((part) => parseNumber(`${name} entry`, part.trim(), min, max));
  if (values.length === 0 || values.length > 12) throw new UsageError(`${name} = ${formatValue(text)}: expected 1 to 12 comma-separated numbers`);
  return values;
}
