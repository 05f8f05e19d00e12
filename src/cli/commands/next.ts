import { Command } from 'commander';
import { addChainOptions, parseCount, parseIdList, parseSeed, type ChainOptions } from '../options.js';
import { printWarnings } from '../warnings.js';
import { UsageError } from '../errors.js';
import { addModelOptions, readModelInput, type ModelOptions } from '../modelInput.js';
import { formatDistributionTable } from '../distributionTable.js';
import { dim } from '../terminal.js';

interface NextOptions extends ChainOptions, ModelOptions {
  json?: boolean;
  top?: string;
}

/**
 * Merges a positional chain into the options: `knobs next "prompt" top_p=0.9` means
 * `--chain top_p=0.9`; giving both is an error.
 */
export function withPositionalChain<T extends ChainOptions>(options: T, positional: string | undefined): T {
  if (positional === undefined) return options;
  if (options.chain !== undefined) throw new UsageError(`give the chain once: as an argument (${JSON.stringify(positional)}) or as --chain, not both`);
  return { ...options, chain: positional };
}

/** `knobs next`: the model's next-token distribution after a prompt, before and after a chain. */
export function nextCommand(): Command {
  const command = new Command('next')
    .description("the language model's next-token distribution after a prompt, before and after a sampler chain")
    .argument('<prompt>', 'the text so far')
    .argument('[chain]', 'sampler chain (same as --chain)');
  addModelOptions(command);
  addChainOptions(command);
  command
    .option('--top <n>', 'rows to show (0 = all)', '20')
    .option('--json', 'print JSON: probs, kept, entropy {before, after}, tokens, ... (as knobs dist)')
    .action(async (prompt: string, positional: string | undefined, raw: NextOptions) => {
      const { chainFromOptions } = await import('../inputs.js');
      const { distributionReport } = await import('../../analysis/distributionReport.js');
      const options = withPositionalChain(raw, positional);
      const chain = chainFromOptions(options);
      const seed = parseSeed(options.seed);
      const engine = options.engine ?? 'knobs';
      const top = parseCount('--top', options.top, 20, 0);
      const input = await readModelInput(prompt, options, parseIdList('--history', options.history));
      const promptIds = options.promptTokens === undefined ? input.promptTokens : parseIdList('--prompt-tokens', options.promptTokens);
      const report = distributionReport(input.logits, chain, { seed, engine, history: input.history, prompt: promptIds });
      const tokens = input.tokens ?? [];
      printWarnings(report.warnings);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            source: input.source,
            model: input.model.id,
            prompt,
            prompt_tokens: input.promptTokens,
            history: input.history,
            engine,
            chain,
            vocab_size: input.logits.length,
            probs: Array.from(report.after),
            before: Array.from(report.before),
            kept: report.kept,
            kept_mask: Array.from(report.keptMask),
            kept_mass: report.keptMass,
            entropy: report.entropy,
            warnings: report.warnings,
            tokens,
          })}\n`,
        );
        return;
      }
      process.stdout.write(`${dim(`${input.model.id}, prompt ${JSON.stringify(prompt)} (${input.promptTokens.length} tokens)`)}\n`);
      process.stdout.write(formatDistributionTable(report, input.logits, { top, tokens, quoteTokens: true, valueTitle: 'log p', formatValue: formatLogProb }));
    });
  return command;
}

function formatLogProb(value: number): string {
  return value === -Infinity ? '-Infinity' : value.toFixed(4);
}
