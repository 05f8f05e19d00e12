import type { Command } from 'commander';
import type { BuildProgress } from '../models/embeddedData.js';
import type { LanguageModel } from '../models/languageModel.js';
import { DEFAULT_MODEL, MODEL_IDS, openModel } from '../models/localModels.js';
import { UsageError } from './errors.js';
import type { DistributionInput } from './inputs.js';
import type { InputOptions } from './options.js';
import { fancyOutput } from './terminal.js';

/** Options of commands that read a model. */
export interface ModelOptions {
  model?: string;
}

/** The model ids `--model` takes, for help texts. */
const MODEL_CHOICES = `${MODEL_IDS.join(', ')}, or gguf:PATH (a GGUF file run by llama.cpp; needs node-llama-cpp)`;

/** Adds `--model` to a command. */
export function addModelOptions(command: Command): Command {
  return command.option('--model <id>', `language model: ${MODEL_CHOICES}`, DEFAULT_MODEL);
}

/**
 * Reports a model build on stderr: a progress bar when stderr is a terminal (and `CI` is
 * unset), else one line when the build starts and one when it ends.
 */
export function buildReporter(stream: NodeJS.WriteStream = process.stderr): { onBuild: (reason: string) => void; onProgress: (progress: BuildProgress) => void } {
  const fancy = fancyOutput(stream);
  let started = 0;
  let lastDrawn = -1;
  return {
    onBuild(reason) {
      started = performance.now();
      const why = reason === 'missing' ? 'first use' : reason === 'rebuild' ? 'rebuild' : `cache ${reason}`;
      stream.write(`knobs: building the embedded language model (${why}; takes a few seconds)...\n`);
    },
    onProgress(progress) {
      const done = progress.phase === 'writing' && progress.done === progress.total;
      if (fancy) {
        const percent = Math.floor(progress.fraction * 100);
        if (percent !== lastDrawn || done) {
          lastDrawn = percent;
          const width = 30;
          const filled = Math.round(progress.fraction * width);
          stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${progress.phase.padEnd(10)}`);
        }
        if (done) stream.write('\r\u001b[2K');
      }
      if (done) stream.write(`knobs: model built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}

/** Opens the model named by `--model` (building it on first use, with progress on stderr). */
export async function readModel(options: ModelOptions): Promise<LanguageModel> {
  return openModel(options.model ?? DEFAULT_MODEL, buildReporter());
}

/** The text of every token id of a model (for tables and `--json`); '' for ids that are no token. */
export function vocabularyTexts(model: LanguageModel): string[] {
  const texts: string[] = new Array<string>(model.vocabSize);
  for (let id = 0; id < model.vocabSize; id++) {
    try {
      texts[id] = model.tokenText(id);
    } catch {
      texts[id] = '';
    }
  }
  return texts;
}

/**
 * The same texts as `vocabularyTexts`, as an array whose entries are made when first read:
 * a table of the top 20 tokens reads 20 of the 200007, and making every string up front
 * (and collecting them) takes longer than the rest of `knobs next`. Reading every entry
 * (`--json`, `Array.from`) gives exactly `vocabularyTexts(model)`.
 *
 * @example
 * lazyVocabularyTexts(model)[2375]; // ' world'
 */
export function lazyVocabularyTexts(model: LanguageModel): readonly string[] {
  const texts: (string | undefined)[] = new Array<string | undefined>(model.vocabSize);
  const textOf = (id: number): string => {
    let text = texts[id];
    if (text === undefined) {
      try {
        text = model.tokenText(id);
      } catch {
        text = '';
      }
      texts[id] = text;
    }
    return text;
  };
  return new Proxy(texts as string[], {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const id = Number(key);
        if (Number.isInteger(id) && id >= 0 && id < target.length && String(id) === key) return textOf(id);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** A prompt's next-token distribution as the input of `dist`-like commands, with the model and the prompt's tokens. */
export interface ModelInput extends DistributionInput {
  readonly model: LanguageModel;
  readonly promptTokens: number[];
  /** Token ids after the prompt that count as already generated (from `--history`). */
  readonly history: number[];
}

/**
 * Reads the model's next-token distribution after `prompt` (and `history`, token ids
 * already generated after it): the input of `knobs next`, and of `dist`/`sample` with
 * `--model`.
 *
 * @example
 * const input = await readModelInput('The weather today is', { model: 'embedded' });
 * input.logits.length; // 200007
 */
export async function readModelInput(prompt: string, options: ModelOptions, history: readonly number[] = []): Promise<ModelInput> {
  const model = await readModel(options);
  const promptTokens = model.encode(prompt);
  const logits = await model.nextLogits([...promptTokens, ...history]);
  return { logits, tokens: lazyVocabularyTexts(model), source: `${model.id}: ${JSON.stringify(prompt)}`, model, promptTokens, history: [...history] };
}

/** Options of `dist` and `sample`: a built-in or file input, or a prompt on a model. */
export interface AnyInputOptions extends InputOptions, ModelOptions {
  prompt?: string;
}

/** Adds `--prompt` and `--model` (a prompt's next-token distribution as the input). */
export function addPromptInputOptions(command: Command): Command {
  return command
    .option('--prompt <text>', "use the language model's next-token distribution after this text as the input")
    .option('--model <id>', `language model for --prompt: ${MODEL_CHOICES} (default ${DEFAULT_MODEL})`);
}

/**
 * The input of `dist` and `sample`: `--prompt` on `--model`, or `--logits`, `--probs`,
 * `--example` (see `readDistributionInput`). `history` continues the prompt.
 */
export async function readAnyInput(options: AnyInputOptions, history: readonly number[] = []): Promise<DistributionInput & { promptTokens?: number[] }> {
  if (options.prompt === undefined) {
    if (options.model !== undefined) throw new UsageError('--model needs --prompt TEXT: the model gives the distribution after that text');
    const { readDistributionInput } = await import('./inputs.js');
    return readDistributionInput(options);
  }
  const others = (['logits', 'probs', 'example'] as const).filter((key) => options[key] !== undefined);
  if (others.length > 0) throw new UsageError(`give one input, not --prompt and ${others.map((key) => `--${key}`).join(' and ')}`);
  return readModelInput(options.prompt, { model: options.model ?? DEFAULT_MODEL }, history);
}
