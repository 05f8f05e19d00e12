import { Command } from 'commander';
import type { Completion } from '../../models/generate.js';
import { addChainOptions, parseCount, parseSeed, type ChainOptions } from '../options.js';
import { UsageError } from '../errors.js';
import { addModelOptions, readModel, type ModelOptions } from '../modelInput.js';
import { bold, dim } from '../terminal.js';
import { addGridOptions, generateGrid, wantsGrid, type GridFlags } from './experiment.js';
import { withPositionalChain } from './next.js';

interface GenerateCommandOptions extends ChainOptions, ModelOptions {
  n?: string;
  maxTokens?: string;
  json?: boolean;
}

/** `knobs generate`: completions of a prompt, streamed token by token. */
export function generateCommand(): Command {
  const command = new Command('generate')
    .description('complete a prompt with the language model through a sampler chain, streaming token by token')
    .argument('<prompt>', 'the text to complete')
    .argument('[chain]', 'sampler chain (same as --chain)');
  addModelOptions(command);
  addChainOptions(command);
  addGridOptions(command);
  command
    .option('-n, --n <count>', 'number of completions (completion i uses seed + i)', '1')
    .option('--max-tokens <count>', 'tokens per completion at most', '40')
    .option('--json', 'print JSON: completions with text, tokens and finish reason')
    .action(async (prompt: string, positional: string | undefined, raw: GenerateCommandOptions, self: Command) => {
      const options = withPositionalChain(raw, positional);
      if (wantsGrid(options as GridFlags)) return generateGrid(prompt, options as GridFlags, self);
      if (options.history !== undefined || options.promptTokens !== undefined) {
        throw new UsageError('generate takes its context from the prompt: --history and --prompt-tokens are for knobs next, dist and sample');
      }
      const { chainFromOptions } = await import('../inputs.js');
      const { generate } = await import('../../models/generate.js');
      const chain = chainFromOptions(options);
      const seed = parseSeed(options.seed);
      const n = parseCount('--n', options.n, 1, 1, 10_000);
      const maxTokens = parseCount('--max-tokens', options.maxTokens, 40, 0, 100_000);
      const engine = options.engine ?? 'knobs';
      if (seed + n - 1 > Number.MAX_SAFE_INTEGER) throw new RangeError(`--seed = ${seed} is out of range with --n ${n}: expected seed + n - 1 <= ${Number.MAX_SAFE_INTEGER}`);
      const model = await readModel(options);
      const stream = !options.json;
      let started = -1;
      const header = (index: number): void => {
        if (started === index) return;
        started = index;
        process.stdout.write(`${bold(`[${index + 1}] seed ${seed + index}`)}\n${dim(prompt)}`);
      };
      const completions = await generate(model, prompt, chain, {
        seed,
        engine,
        n,
        maxTokens,
        onToken: stream
          ? (event) => {
              header(event.completion);
              process.stdout.write(event.text);
            }
          : undefined,
        onCompletion: stream
          ? (completion: Completion) => {
              header(completion.index);
              const reason = completion.finishReason === 'stop' ? 'end of text' : `${completion.tokens.length} tokens`;
              process.stdout.write(`\n${dim(`(${reason})`)}\n`);
            }
          : undefined,
      });
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            model: model.id,
            prompt,
            prompt_tokens: model.encode(prompt),
            engine,
            chain,
            seed,
            max_tokens: maxTokens,
            completions: completions.map((completion) => ({
              index: completion.index,
              seed: completion.seed,
              text: completion.text,
              tokens: completion.tokens,
              finish_reason: completion.finishReason,
            })),
          })}\n`,
        );
      }
    });
  return command;
}
