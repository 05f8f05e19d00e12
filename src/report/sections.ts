import { chainLabel } from '../charts/chainLabel.js';
import { chainWaterfallData, chainWaterfallSpec } from '../charts/chainWaterfall.js';
import { engineProfilesData, engineProfilesSpec } from '../charts/engineProfiles.js';
import { entropySeries, entropyTemperatureSpec } from '../charts/entropyTemperature.js';
import { temperatureFigureData, temperatureFigureSpec } from '../charts/temperatureFigure.js';
import { rankOrder, tokenLabels } from '../charts/theme.js';
import { topPCumulativeSpec, topPSteps } from '../charts/topPCumulative.js';
import { entropy } from '../core/entropy.js';
import { softmax } from '../core/softmax.js';
import { parseChain, type ChainSpec } from '../samplers/spec.js';
import type { ReportFigure, ReportSection } from './types.js';

/** A real next-token distribution to show in the report (e.g. from a language model). */
export interface DistributionSectionInput {
  readonly id: string;
  readonly title: string;
  /** What the distribution is, e.g. the prompt it follows. */
  readonly description?: string;
  /** Full-vocabulary logits (or log-probabilities; `-Infinity` for impossible tokens). */
  readonly logits: Float32Array;
  /** Token strings by id, for labels. */
  readonly tokens?: readonly string[];
  /** A chain to show stage by stage and under each engine profile (optional). */
  readonly chain?: ChainSpec | string;
  /** Rows of the top-token table (default 10). */
  readonly top?: number;
}

/**
 * A report section for any next-token distribution: the temperature figure, entropy
 * against temperature, top-p step by step, and, when a chain is given, its waterfall and
 * the engine comparison, with a table of the most likely tokens. This is how a language
 * model's real distributions join the report (the tour's model sections use it).
 *
 * @example
 * distributionSection({ id: 'model-robot', title: 'After "The robot looked at the"', logits, tokens, chain: 'top_k=40,top_p=0.95,temperature=0.8' });
 */
export function distributionSection(input: DistributionSectionInput): ReportSection {
  const { logits, tokens } = input;
  const probs = softmax(logits);
  const labels = tokenLabels(logits.length, tokens);
  const order = rankOrder(probs);
  const opt = tokens ? { tokens } : {};
  const figures: ReportFigure[] = [
    { name: 'temperature', title: 'The distribution at four temperatures', spec: temperatureFigureSpec(temperatureFigureData(logits), { title: input.title }) },
    { name: 'entropy', title: 'Entropy against temperature', spec: entropyTemperatureSpec([entropySeries(input.id, logits)]) },
    { name: 'top-p', title: 'Top-p = 0.9 step by step', spec: topPCumulativeSpec(topPSteps(logits, 0.9, tokens), { maxTokens: 25 }) },
  ];
  if (input.chain !== undefined) {
    const chain = input.chain;
    const label = chainLabel(parseChain(chain));
    figures.push(
      { name: 'waterfall', title: `Through ${label}`, spec: chainWaterfallSpec(chainWaterfallData(logits, chain), { ...opt, subtitle: `${label}; × = removed` }) },
      { name: 'engines', title: 'Under each engine profile', spec: engineProfilesSpec(engineProfilesData(logits, () => chain), { input: probs, ...opt }) },
    );
  }
  let cumulative = 0;
  return {
    id: input.id,
    title: input.title,
    paragraphs: [input.description ?? '', `${logits.length} tokens; entropy ${entropy(probs).toFixed(3)} nats (ceiling ln V = ${Math.log(logits.length).toFixed(3)}).`].filter((text) => text !== ''),
    figures,
    tables: [
      {
        caption: 'The most likely tokens',
        header: ['rank', 'token', 'id', 'probability', 'cumulative'],
        rows: order.slice(0, input.top ?? 10).map((id, rank) => {
          cumulative += probs[id] as number;
          return [String(rank + 1), labels[id] as string, String(id), (probs[id] as number).toFixed(4), cumulative.toFixed(4)];
        }),
      },
    ],
  };
}

/** One sampled completion at one setting. */
export interface CompletionRow {
  /** The setting, e.g. `temperature=0.7` or a whole chain. */
  readonly setting: string;
  readonly text: string;
  /** Seed of the draw, if seeded. */
  readonly seed?: number;
}

/**
 * A report section of sample completions of one prompt at several settings, one table
 * row per completion (the report's place for a model's generations).
 *
 * @example
 * completionsSection({ id: 'completions', title: 'Completions', prompt: 'The robot looked at the sunset and felt', rows });
 */
export function completionsSection(input: { id: string; title: string; prompt: string; rows: readonly CompletionRow[]; description?: string }): ReportSection {
  return {
    id: input.id,
    title: input.title,
    paragraphs: [input.description ?? '', `Prompt: ${input.prompt}`].filter((text) => text !== ''),
    tables: [{ header: ['setting', 'seed', 'completion'], rows: input.rows.map((row) => [row.setting, row.seed === undefined ? '' : String(row.seed), row.text]) }],
  };
}
