import { Command } from 'commander';
import type { StageSpec } from '../../samplers/spec.js';
import { bold, dim, formatTable, green, red } from '../terminal.js';


/** `knobs engines`: every difference between the engine profiles. */
export function enginesCommand(): Command {
  return new Command('engines')
    .description('show how knobs, llama.cpp, transformers (hf) and vLLM differ: order, ties, p = 0, temperature <= 0, penalties')
    .option('--all', 'also list the aspects on which every engine agrees')
    .option('--json', 'print JSON: {engines, differences: [{aspect, values, differs}]}')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const { engineDifferences } = await import('../../samplers/engineDifferences.js');
      const { ENGINE_NAMES, listProfiles } = await import('../../samplers/profiles.js');
      const rows = engineDifferences(Boolean(options.all));
      if (options.json) {
        const engines = listProfiles().map((profile) => ({ name: profile.name, title: profile.title, sources: profile.sources }));
        process.stdout.write(`${JSON.stringify({ engines, differences: rows })}\n`);
        return;
      }
      // One line per distinct value, with the engines that share it: narrow, and shows who agrees.
      const lines: string[][] = [];
      for (const row of rows) {
        const groups = new Map<string, string[]>();
        for (const name of ENGINE_NAMES) groups.set(row.values[name], [...(groups.get(row.values[name]) ?? []), name]);
        [...groups].forEach(([value, engines], index) => lines.push([index === 0 ? row.aspect : '', engines.join(', '), value]));
      }
      process.stdout.write(`${formatTable(['aspect', 'engines', 'value'], lines)}\n`);
      process.stdout.write(
        dim(`${rows.length} aspects${options.all ? '' : ' that differ (--all lists every aspect)'}; choose one with --engine NAME, compare with knobs dist ... --compare-engines\n`),
      );
    });
}

/** What `knobs dist --compare-engines` needs from its options. */
export interface CompareEnginesRequest {
  readonly logits: Float32Array;
  readonly tokens?: readonly string[];
  readonly source: string;
  /** `--chain` text, or undefined for flag-style settings. */
  readonly chain?: string;
  /** The flag-style settings (used without --chain). */
  readonly settings: Record<string, StageSpec[string]>;
  readonly seed: number;
  readonly history: readonly number[];
  readonly prompt: readonly number[];
  readonly json: boolean;
  /** Rows to show (0 = all). */
  readonly top: number;
}

/**
 * `knobs dist ... --compare-engines`: one input through each engine's chain side by side —
 * the order each engine used, what it kept, the final probabilities and where they differ.
 */
export async function printEngineComparison(request: CompareEnginesRequest): Promise<void> {
  const { entropy } = await import('../../core/entropy.js');
  const { softmax } = await import('../../core/softmax.js');
  const { compareEngines } = await import('../../samplers/compareEngines.js');
  const spec = request.chain !== undefined ? { chain: request.chain } : { settings: request.settings };
  const comparison = compareEngines(request.logits, spec, { seed: request.seed, history: request.history, prompt: request.prompt });
  const before = softmax(request.logits);
  if (request.json) {
    const engines = Object.fromEntries(
      comparison.runs.map((run) => [
        run.engine,
        run.error !== undefined
          ? { chain: run.chain, order: run.order, error: run.error }
          : { chain: run.chain, order: run.order, probs: Array.from(run.probs ?? []), kept: run.kept, entropy: { before: entropy(before), after: run.entropy } },
      ]),
    );
    process.stdout.write(
      `${JSON.stringify({ source: request.source, mode: comparison.mode, vocab_size: request.logits.length, engines, differences: comparison.differences, max_gap: comparison.maxGap, ...(request.tokens ? { tokens: request.tokens } : {}) })}\n`,
    );
    return;
  }
  const rank = Array.from(before.keys()).sort((a, b) => (before[b] as number) - (before[a] as number) || a - b);
  const shown = request.top === 0 ? rank.length : Math.min(request.top, rank.length);
  const differing = new Set(comparison.differences.map((difference) => difference.id));
  const runs = comparison.runs;
  const rows = rank.slice(0, shown).map((id) => [
    String(id),
    request.tokens?.[id] ?? '',
    (before[id] as number).toFixed(4),
    ...runs.map((run) => (run.probs ? ((run.probs[id] as number) > 0 ? (run.probs[id] as number).toFixed(4) : red('cut')) : 'n/a')),
    differing.has(id) ? bold('differs') : '',
  ]);
  process.stdout.write(`${formatTable(['id', 'token', 'p before', ...runs.map((run) => run.engine), ''], rows)}\n`);
  if (shown < rank.length) process.stdout.write(dim(`... ${rank.length - shown} more rows (--top 0 shows all)\n`));
  process.stdout.write(`${comparison.mode === 'settings' ? 'flag-style settings: each engine applies them in its own default order' : '--chain: the same order for every engine, each with its own semantics'}\n`);
  for (const run of runs) {
    const what = run.error !== undefined ? red(`cannot run: ${run.error}`) : `kept ${run.kept}, entropy ${(run.entropy as number).toFixed(4)} nats`;
    process.stdout.write(`  ${bold(run.engine.padEnd(9))} ${run.order.join(' > ') || '(empty chain)'}  ${dim('|')} ${what}\n`);
  }
  const keptDiffers = comparison.differences.filter((difference) => difference.keptDiffers).length;
  const ran = runs.filter((run) => run.probs).length;
  process.stdout.write(
    ran < 2
      ? `only ${ran} engine could run this chain\n`
      : comparison.differences.length === 0
      ? green(`${ran === runs.length ? 'every engine gives' : `the ${ran} engines that ran give`} the same distribution\n`)
      : `${comparison.differences.length} tokens differ (${keptDiffers} kept by some engines and cut by others); largest probability gap ${comparison.maxGap.toFixed(4)}\n`,
  );
}
