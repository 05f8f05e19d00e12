import { Command } from 'commander';
import { addChainOptions, addInputOptions, parseCount, parseIdList, parseSeed, type ChainOptions, type InputOptions } from '../options.js';
import { printWarnings } from '../warnings.js';
import { formatDistributionTable } from '../distributionTable.js';
import { addPromptInputOptions, readAnyInput, type AnyInputOptions } from '../modelInput.js';
import { parseEngineList, printEngineComparison } from './engines.js';

interface DistOptions extends InputOptions, ChainOptions, AnyInputOptions {
  json?: boolean;
  top?: string;
  compareEngines?: boolean;
  engines?: string;
}

/** `knobs dist`: one distribution through a chain. */
export function distCommand(): Command {
  const command = new Command('dist').description('run one distribution through a sampler chain and show what is kept');
  addInputOptions(command);
  addPromptInputOptions(command);
  addChainOptions(command);
  command
    .option('--top <n>', 'rows to show (0 = all)', '20')
    .option('--json', 'print JSON: probs, kept (from the chain\'s decision) and kept_mask, entropy {before, after}, ...')
    .option('--compare-engines', 'run the input through every engine profile side by side (flags: each in its own order)')
    .option('--engines <names>', 'with --compare-engines: only these profiles, comma-separated')
    .action(async (options: DistOptions) => {
      const { chainFromOptions } = await import('../inputs.js');
      const history = parseIdList('--history', options.history);
      const input = await readAnyInput(options, history);
      const chain = chainFromOptions(options);
      const seed = parseSeed(options.seed);
      if (options.compareEngines) {
        const settings = typeof chain === 'string' ? {} : Object.assign({}, ...chain);
        await printEngineComparison({ ...input, chain: options.chain, settings, seed, history, engines: parseEngineList(options.engines), prompt: options.promptTokens === undefined ? (input.promptTokens ?? []) : parseIdList('--prompt-tokens', options.promptTokens), json: Boolean(options.json), top: parseCount('--top', options.top, 20, 0) });
        return;
      }
      const engine = options.engine ?? 'knobs';
      const { distributionReport } = await import('../../analysis/distributionReport.js');
      const report = distributionReport(input.logits, chain, {
        seed,
        engine,
        history,
        prompt: options.promptTokens === undefined ? (input.promptTokens ?? []) : parseIdList('--prompt-tokens', options.promptTokens),
      });
      printWarnings(report.warnings);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            source: input.source,
            engine,
            chain: typeof chain === 'string' ? chain : chain,
            vocab_size: input.logits.length,
            probs: Array.from(report.after),
            before: Array.from(report.before),
            kept: report.kept,
            kept_mask: Array.from(report.keptMask),
            kept_mass: report.keptMass,
            entropy: report.entropy,
            warnings: report.warnings,
            ...(input.tokens ? { tokens: input.tokens } : {}),
          })}\n`,
        );
        return;
      }
      const top = parseCount('--top', options.top, 20, 0);
      process.stdout.write(formatDistributionTable(report, input.logits, { top, valueTitle: 'logit', formatValue: formatNumber, ...(input.tokens ? { tokens: input.tokens } : {}) }));
    });
  return command;
}

function formatNumber(value: number): string {
  if (value === -Infinity) return '-Infinity';
  return Number.isInteger(value) ? value.toFixed(1) : String(Number(value.toPrecision(6)));
}
