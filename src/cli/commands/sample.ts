import { Command } from 'commander';
import { addChainOptions, addInputOptions, parseCount, parseIdList, parseSeed, type ChainOptions, type InputOptions } from '../options.js';
import { printWarnings } from '../warnings.js';
import { addPromptInputOptions, readAnyInput, type AnyInputOptions } from '../modelInput.js';
import { formatTable } from '../terminal.js';

interface SampleOptions extends InputOptions, ChainOptions, AnyInputOptions {
  n?: string;
  json?: boolean;
  top?: string;
}

/** `knobs sample`: seeded draws from one distribution through a chain, with a chi-square test. */
export function sampleCommand(): Command {
  const command = new Command('sample').description('draw N seeded tokens through a chain and test the counts against the expected probabilities');
  addInputOptions(command);
  addPromptInputOptions(command);
  addChainOptions(command);
  command
    .option('-n, --n <count>', 'number of draws', '10000')
    .option('--top <n>', 'rows to show (0 = all)', '20')
    .option('--json', 'print JSON: counts, expected, chi2, p_value, ...')
    .action(async (options: SampleOptions) => {
      const { chainFromOptions } = await import('../inputs.js');
      const { sampleCounts } = await import('../../analysis/sampleCounts.js');
      const history = parseIdList('--history', options.history);
      const input = await readAnyInput(options, history);
      const n = parseCount('--n', options.n, 10_000, 1, 100_000_000);
      const seed = parseSeed(options.seed);
      const result = sampleCounts(input.logits, chainFromOptions(options), n, {
        seed,
        engine: options.engine ?? 'knobs',
        history,
        prompt: options.promptTokens === undefined ? (input.promptTokens ?? []) : parseIdList('--prompt-tokens', options.promptTokens),
      });
      printWarnings(result.warnings);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            source: input.source,
            n,
            seed,
            counts: Array.from(result.counts),
            expected: Array.from(result.expected),
            chi2: result.chi2,
            degrees_of_freedom: result.degreesOfFreedom,
            p_value: result.pValue,
            warnings: result.warnings,
          })}\n`,
        );
        return;
      }
      const order = Array.from(result.expected.keys()).sort((a, b) => (result.expected[b] as number) - (result.expected[a] as number) || a - b);
      const top = parseCount('--top', options.top, 20, 0);
      const rows = order
        .filter((id) => (result.expected[id] as number) > 0 || (result.counts[id] as number) > 0)
        .slice(0, top === 0 ? undefined : top)
        .map((id) => [
          String(id),
          input.tokens?.[id] ?? '',
          String(result.counts[id]),
          ((result.counts[id] as number) / n).toFixed(4),
          (result.expected[id] as number).toFixed(4),
        ]);
      process.stdout.write(`${formatTable(['id', 'token', 'count', 'frequency', 'expected'], rows)}\n`);
      process.stdout.write(
        `${n} draws, seed ${seed}: chi2 = ${result.chi2.toFixed(3)} on ${result.degreesOfFreedom} degrees of freedom, p = ${result.pValue.toPrecision(3)}\n`,
      );
    });
  return command;
}
