import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import type { FigureFormat } from '../../charts/render.js';
import type { FigureSpec } from '../../charts/theme.js';
import { formatValue, InvalidInputError } from '../../core/errors.js';
import type { DecodingComparison, DecodingPrompt } from '../../decoding/compareDecoding.js';
import { DECODING_STRATEGIES, STOCHASTIC_BEAM_STRATEGY, type DecodingStrategy } from '../../decoding/strategies.js';
import { ENGINE_NAMES } from '../../samplers/engineNames.js';
import type { LanguageModel } from '../../models/languageModel.js';
import { UsageError } from '../errors.js';
import { parseCount, parseSeed } from '../options.js';
import { addModelOptions, readModel, type ModelOptions } from '../modelInput.js';
import { bold, dim, fancyOutput, formatTable, green, red } from '../terminal.js';

interface CompareDecodingOptions extends ModelOptions {
  prompts?: string;
  n?: string;
  maxTokens?: string;
  promptTokens?: string;
  seed?: string;
  engine?: string;
  strategies?: string;
  stochasticBeam?: boolean;
  paper?: boolean;
  chart?: string;
  json?: boolean;
}

/** `knobs compare-decoding`: Holtzman et al.'s (2020) Table 1 on our model. */
export function compareDecodingCommand(): Command {
  const names = [...DECODING_STRATEGIES, STOCHASTIC_BEAM_STRATEGY].map((strategy) => strategy.name);
  const command = new Command('compare-decoding').description(
    'compare decoding strategies (greedy, beam, sampling, top-k, top-p, min-p, typical-p) on perplexity, self-BLEU, Zipf and repetition, as Holtzman et al. (2020) Table 1',
  );
  addModelOptions(command);
  command
    .option('--prompts <file>', 'prompts: one per line, or JSON [string | {"prompt", "reference"}] (default: openings of held-out Brown documents)')
    .option('-n, --n <count>', 'number of prompts', '20')
    .option('--max-tokens <count>', 'tokens generated per prompt', '60')
    .option('--prompt-tokens <count>', 'tokens of each held-out document opening used as the prompt', '40')
    .option('--seed <n>', 'prompt i is decoded with seed + i by every stochastic strategy', '0')
    .option('--engine <name>', `engine semantics of the sampler chains: ${ENGINE_NAMES.join(', ')}`, 'knobs')
    .option('--strategies <names>', `comma-separated subset of: ${names.join(', ')}`)
    .option('--stochastic-beam', `add ${STOCHASTIC_BEAM_STRATEGY.label} (Kool et al. 2019; as slow as beam 16)`)
    .option('--paper', "show the paper's Table 1 values beside ours")
    .option('--chart <file>', 'also write the chart: .svg, .png or .vl.json')
    .option('--json', 'print JSON: rows with metrics, the paper row, generations; findings')
    .action(async (options: CompareDecodingOptions) => {
      const n = parseCount('--n', options.n, 20, 1, 100_000);
      const maxTokens = parseCount('--max-tokens', options.maxTokens, 60, 1, 100_000);
      const promptTokens = parseCount('--prompt-tokens', options.promptTokens, 40, 1, 100_000);
      const seed = parseSeed(options.seed);
      const strategies = selectStrategies(options.strategies, options.stochasticBeam ?? false);
      const chartFormat = options.chart === undefined ? undefined : await chartFormatOf(options.chart);
      const model = await readModel(options);
      const { compareDecoding } = await import('../../decoding/compareDecoding.js');
      const { modelPrompts } = await import('../../decoding/modelPrompts.js');
      const prompts = options.prompts !== undefined ? await readPromptsFile(options.prompts, model, n) : modelPrompts(model, { count: n, promptTokens, referenceTokens: maxTokens });
      const progress = progressReporter(strategies.length + (prompts.every((prompt) => prompt.reference) ? 1 : 0));
      const comparison = await compareDecoding(model, prompts, { maxTokens, seed, strategies, engine: options.engine ?? 'knobs', onProgress: progress.update });
      progress.done(comparison.seconds);
      if (options.chart !== undefined && chartFormat !== undefined) {
        const { renderFigure } = await import('../../charts/render.js');
        const { decodingComparisonChart } = await import('../../report/decodingChart.js');
        const figure = await renderFigure(decodingComparisonChart(comparison) as unknown as FigureSpec, chartFormat);
        await writeFile(options.chart, figure);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(await comparisonJson(comparison, model, prompts))}\n`);
        return;
      }
      const { decodingTable } = await import('../../report/decodingTable.js');
      const { decodingFindings, paperFindings } = await import('../../decoding/findings.js');
      const { header, rows } = decodingTable(comparison, { paper: options.paper ?? false });
      process.stdout.write(`${bold(`Decoding strategies on ${comparison.model}`)}: ${comparison.prompts} prompts, ${comparison.maxTokens} tokens each, seeds ${seed}…${seed + comparison.prompts - 1}\n\n`);
      process.stdout.write(`${formatTable(header, rows)}\n\n`);
      const inPaper = new Map(paperFindings().map((finding) => [finding.id, finding.holds]));
      for (const finding of decodingFindings(comparison)) {
        const mark = finding.holds === true ? green('holds') : finding.holds === false ? red('does not hold') : dim('n/a');
        const paper = inPaper.get(finding.id) === false ? dim(' (in the paper\u2019s own Table 1: does not hold)') : '';
        process.stdout.write(`${finding.claim}: ${mark}${paper}\n  ${dim(finding.detail)}\n`);
      }
      process.stdout.write(
        dim(
          `\nrepetition % = share of continuations that end in a loop (a phrase of >= 3 tokens twice, or any phrase > 50 times: the paper's repetition.py); ` +
            `perplexity under the model itself, pooled over tokens; self-BLEU-4, Zipf and distinct-2 on token ids; ${comparison.seconds.toFixed(1)} s\n`,
        ),
      );
    });
  return command;
}

async function chartFormatOf(path: string): Promise<FigureFormat> {
  const { formatFromPath } = await import('../../charts/render.js');
  try {
    return formatFromPath(path);
  } catch {
    throw new UsageError(`--chart = ${formatValue(path)} is out of range: expected a file name ending in .svg, .png or .vl.json`);
  }
}

function selectStrategies(list: string | undefined, stochasticBeam: boolean): DecodingStrategy[] {
  const all = [...DECODING_STRATEGIES, STOCHASTIC_BEAM_STRATEGY];
  if (list === undefined) return stochasticBeam ? [...DECODING_STRATEGIES, STOCHASTIC_BEAM_STRATEGY] : [...DECODING_STRATEGIES];
  const chosen = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = chosen.filter((name) => !all.some((strategy) => strategy.name === name));
  if (unknown.length > 0) throw new UsageError(`--strategies: unknown ${unknown.map((name) => formatValue(name)).join(', ')}: expected names from ${all.map((strategy) => strategy.name).join(', ')}`);
  if (chosen.length === 0) throw new UsageError('--strategies is empty: expected at least one strategy name');
  const selected = all.filter((strategy) => chosen.includes(strategy.name));
  return stochasticBeam && !selected.includes(STOCHASTIC_BEAM_STRATEGY) ? [...selected, STOCHASTIC_BEAM_STRATEGY] : selected;
}

/** Reads `--prompts`: JSON (an array of strings or of {prompt, reference}) or one prompt per non-empty line. */
async function readPromptsFile(path: string, model: LanguageModel, n: number): Promise<DecodingPrompt[]> {
  const { readTextSource } = await import('../inputs.js');
  const text = await readTextSource(path);
  let entries: { prompt: string; reference?: string }[];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`${formatValue(path)} is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new InvalidInputError(`${formatValue(path)}: expected a JSON array of prompts`);
    entries = parsed.map((entry, index) => {
      if (typeof entry === 'string') return { prompt: entry };
      const object = entry as { prompt?: unknown; reference?: unknown };
      if (typeof object?.prompt !== 'string') throw new InvalidInputError(`${formatValue(path)}[${index}]: expected a string or {"prompt": string, "reference"?: string}`);
      return typeof object.reference === 'string' ? { prompt: object.prompt, reference: object.reference } : { prompt: object.prompt };
    });
  } else {
    entries = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((prompt) => ({ prompt }));
  }
  if (entries.length === 0) throw new InvalidInputError(`${formatValue(path)} has no prompts`);
  return entries.slice(0, n).map((entry, index) => {
    const prompt = model.encode(entry.prompt);
    if (prompt.length === 0) throw new InvalidInputError(`prompt ${index + 1} of ${formatValue(path)} is empty`);
    return entry.reference !== undefined ? { prompt, reference: model.encode(entry.reference), source: `${path}:${index + 1}` } : { prompt, source: `${path}:${index + 1}` };
  });
}

function progressReporter(rows: number): { update: (progress: { row: string; prompt: number; prompts: number }) => void; done: (seconds: number) => void } {
  const stream = process.stderr;
  const fancy = fancyOutput(stream);
  let row = 0;
  let current = '';
  const started = performance.now();
  return {
    update(progress) {
      if (progress.row !== current) {
        current = progress.row;
        row++;
      }
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      if (fancy) stream.write(`\r\u001b[2K[${row}/${rows}] ${progress.row}: prompt ${progress.prompt}/${progress.prompts} (${elapsed} s)`);
      else if (progress.prompt === progress.prompts) stream.write(`knobs: [${row}/${rows}] ${progress.row} done (${elapsed} s)\n`);
    },
    done(seconds) {
      if (fancy) stream.write(`\r\u001b[2K`);
      else stream.write(`knobs: compared in ${seconds.toFixed(1)} s\n`);
    },
  };
}

async function comparisonJson(comparison: DecodingComparison, model: LanguageModel, prompts: readonly DecodingPrompt[]): Promise<Record<string, unknown>> {
  const { decodingFindings, paperFindings } = await import('../../decoding/findings.js');
  return {
    model: comparison.model,
    prompts: comparison.prompts,
    max_tokens: comparison.maxTokens,
    seed: comparison.seed,
    seconds: comparison.seconds,
    prompt_texts: prompts.map((prompt) => ({ source: prompt.source, text: model.decode(prompt.prompt) })),
    rows: comparison.rows.map((row) => ({
      name: row.name,
      label: row.label,
      family: row.family,
      status: row.status,
      ...(row.note ? { note: row.note } : {}),
      ...(row.metrics
        ? {
            metrics: {
              perplexity: row.metrics.perplexity,
              self_bleu_4: row.metrics.selfBleu4,
              zipf: row.metrics.zipf,
              repetition_percent: row.metrics.repetition * 100,
              repetition_stated_percent: row.metrics.repetitionStated * 100,
              distinct_1: row.metrics.distinct1,
              distinct_2: row.metrics.distinct2,
              mean_length: row.metrics.meanLength,
            },
          }
        : {}),
      paper: row.paper
        ? { perplexity: row.paper.perplexity, self_bleu_4: row.paper.selfBleu4, zipf: row.paper.zipf, repetition_percent: row.paper.repetitionPercent, huse: row.paper.huse }
        : null,
      model_calls: row.modelCalls,
      seconds: row.seconds,
      generations: (row.generations ?? []).map((generation) => ({ text: model.decode(generation.tokens), tokens: generation.tokens, stopped: generation.stopped })),
    })),
    findings: decodingFindings(comparison),
    paper_findings: paperFindings(),
  };
}
