import { Command } from 'commander';
import { ENGINE_NAMES, type EngineName } from '../../samplers/engineNames.js';
import type { StageSpec } from '../../samplers/spec.js';
import { UsageError } from '../errors.js';
import { bold, dim, formatTable, green, red, yellow } from '../terminal.js';


/** Splits text into lines of at most `width` characters at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** Parses `--engines a,b` (default: every profile). */
export function parseEngineList(text: string | undefined): EngineName[] {
  if (text === undefined || text.trim() === '') return [...ENGINE_NAMES];
  return text.split(',').map((part) => {
    const name = part.trim();
    if (!(ENGINE_NAMES as readonly string[]).includes(name)) throw new UsageError(`--engines entry ${JSON.stringify(name)} is not an engine: expected some of ${ENGINE_NAMES.join(', ')}`);
    return name as EngineName;
  });
}

/** `knobs engines`: every difference between the engine profiles. */
export function enginesCommand(): Command {
  return new Command('engines')
    .description(`show how the engine profiles differ (${ENGINE_NAMES.join(', ')}): order, ties, p = 0, temperature <= 0, penalties, ignored knobs`)
    .option('--all', 'also list the aspects on which every engine agrees')
    .option('--engines <names>', 'compare only these profiles, comma-separated (default: all)')
    .option('--json', 'print JSON: {engines, differences: [{aspect, values, differs}]}')
    .action(async (options: { all?: boolean; json?: boolean; engines?: string }) => {
      const { engineDifferences } = await import('../../samplers/engineDifferences.js');
      const { listProfiles } = await import('../../samplers/profiles.js');
      const { topPByEngine } = await import('../../samplers/topPByEngine.js');
      const names = parseEngineList(options.engines);
      const rows = engineDifferences(Boolean(options.all), names);
      const example = topPByEngine(topPRow(), 0.95, 1, names);
      const profiles = listProfiles().filter((profile) => names.includes(profile.name));
      if (options.json) {
        const engines = profiles.map((profile) => ({ name: profile.name, title: profile.title, sources: profile.sources, verified: profile.verified, caveats: profile.caveats, ignored: profile.ignored }));
        process.stdout.write(`${JSON.stringify({ engines, differences: rows, top_p_example: { row: TOP_P_ROW, p: 0.95, kept: example } })}\n`);
        return;
      }
      process.stdout.write(`${formatTable(['engine', 'title', 'checked'], profiles.map((profile) => [profile.name, profile.title, profile.verified]))}\n\n`);
      // One line per distinct value, with the engines that share it: narrow, and shows who agrees.
      const lines: string[][] = [];
      for (const row of rows) {
        const groups = new Map<string, string[]>();
        for (const name of names) {
          const value = row.values[name] ?? '';
          groups.set(value, [...(groups.get(value) ?? []), name]);
        }
        [...groups].forEach(([value, engines], index) => {
          const left = wrap(engines.join(', '), 40);
          const right = wrap(value, 72);
          for (let line = 0; line < Math.max(left.length, right.length); line++) lines.push([index === 0 && line === 0 ? row.aspect : '', left[line] ?? '', right[line] ?? '']);
        });
      }
      process.stdout.write(`${formatTable(['aspect', 'engines', 'value'], lines)}\n`);
      process.stdout.write(`\ntop-p 0.95 on ${TOP_P_ROW}: ${example.map((entry) => `${entry.engine} keeps ${entry.kept.toLocaleString('en-US')}`).join(', ')}\n`);
      for (const entry of example) if (entry.why) process.stdout.write(`${wrap(`${entry.engine}: ${entry.why}`, 100).map((line, index) => `${index === 0 ? '  ' : '    '}${line}`).join('\n')}\n`);
      process.stdout.write('\n');
      for (const profile of profiles) {
        if (profile.caveats.length === 0) continue;
        process.stdout.write(`${bold(profile.name)}\n`);
        for (const caveat of profile.caveats) process.stdout.write(`${wrap(caveat, 100).map((line, index) => `${index === 0 ? '  - ' : '    '}${line}`).join('\n')}\n`);
      }
      process.stdout.write(
        dim(`${profiles.length} profiles, ${rows.length} aspects${options.all ? '' : ' that differ (--all lists every aspect)'}; pick columns with --engines a,b; choose one with --engine NAME, compare with knobs dist ... --compare-engines\n`),
      );
    });
}

const TOP_P_ROW = "a 200,000-token row with logits −1.3·ln(rank) (a language model's long tail)";

/** That row: top-p 0.95 under every engine, where float32 running sums keep more tokens. */
function topPRow(): Float32Array {
  const row = new Float32Array(200_000);
  for (let i = 0; i < row.length; i++) row[i] = -1.3 * Math.log(i + 1);
  return row;
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
  /** The profiles to compare (default: every one). */
  readonly engines?: readonly EngineName[];
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
  const comparison = compareEngines(request.logits, spec, { seed: request.seed, history: request.history, prompt: request.prompt, ...(request.engines ? { engines: request.engines } : {}) });
  const before = softmax(request.logits);
  if (request.json) {
    const engines = Object.fromEntries(
      comparison.runs.map((run) => [
        run.engine,
        run.error !== undefined
          ? { chain: run.chain, order: run.order, error: run.error, warnings: run.warnings }
          : { chain: run.chain, order: run.order, probs: Array.from(run.probs ?? []), kept: run.kept, entropy: { before: entropy(before), after: run.entropy }, warnings: run.warnings },
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
  const width = Math.max(...runs.map((run) => run.engine.length));
  for (const run of runs) {
    const what = run.error !== undefined ? red(`cannot run: ${run.error}`) : `kept ${run.kept}, entropy ${(run.entropy as number).toFixed(4)} nats`;
    process.stdout.write(`  ${bold(run.engine.padEnd(width))} ${run.order.join(' > ') || '(empty chain)'}  ${dim('|')} ${what}\n`);
    for (const warning of run.warnings) process.stdout.write(`  ${' '.repeat(width)} ${yellow(`ignored: ${warning}`)}\n`);
  }
  // Top-p kept counts that differ from the exact rule's (knobs) with the same stages: say why.
  const { getProfile } = await import('../../samplers/profiles.js');
  const { EXACT_TOP_P_ENGINE, topPWhy } = await import('../../samplers/topPByEngine.js');
  const exact = runs.find((run) => run.engine === EXACT_TOP_P_ENGINE);
  if (exact?.kept !== undefined) {
    for (const run of runs) {
      const profile = getProfile(run.engine);
      // Only where the stages ran in the same order: otherwise the order explains the counts.
      if (run.kept === undefined || run.kept === exact.kept || profile.topP === 'prefix' || !run.order.includes('top_p') || run.order.join('>') !== exact.order.join('>') || profile.ignored.top_p !== undefined) continue;
      process.stdout.write(dim(`  ${run.engine} top-p: ${topPWhy(profile, run.kept)}\n`));
    }
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
