import { entropy } from '../core/entropy.js';
import { createSampler, type SamplerOptions } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { stageLabel } from './chainLabel.js';
import { distributionRowsSpec, type DistributionRow } from './distributionRows.js';
import { rankOrder, tokenLabels, type FigureSpec } from './theme.js';

/** The distribution after each stage of a chain (stage 0 is the input). */
export interface WaterfallStage {
  /** `input`, or the stage as `name=value`. */
  readonly label: string;
  readonly probs: Float32Array;
  readonly kept: number;
  /** Entropy in nats. */
  readonly entropy: number;
}

/**
 * Runs `logits` through `chain` stage by stage (`createSampler(...).trace`) and measures
 * each step.
 *
 * @example
 * chainWaterfallData(logits, 'top_k=3,temperature=0.5').map((stage) => stage.kept); // [V, 3, 3]
 */
export function chainWaterfallData(logits: ArrayLike<number>, chain: ChainSpec | string, options: SamplerOptions = {}): WaterfallStage[] {
  const sampler = createSampler(chain, options);
  const trace = sampler.trace(logits);
  return trace.map((result, index) => ({
    label: index === 0 ? 'input' : stageLabel(sampler.stages[index - 1] ?? { name: result.name, parameters: result.parameters }),
    probs: result.probs,
    kept: result.kept,
    entropy: entropy(result.probs),
  }));
}

/**
 * The chain waterfall: one row per stage, from the input down to the final distribution,
 * over the input's most likely tokens; each row's header tells what the stage kept.
 *
 * @example
 * chainWaterfallSpec(chainWaterfallData(logits, chain), { tokens });
 */
export function chainWaterfallSpec(stages: readonly WaterfallStage[], options: { tokens?: readonly string[]; maxTokens?: number; title?: string; subtitle?: string } = {}): FigureSpec {
  const input = stages[0];
  const vocabSize = input?.probs.length ?? 0;
  const ids = input ? rankOrder(input.probs).slice(0, options.maxTokens ?? 20) : [];
  const rows: DistributionRow[] = stages.map((stage, index) => ({
    label: `${index === 0 ? 'input' : `${index}. after ${stage.label}`}: ${stage.kept} of ${vocabSize} kept, entropy ${stage.entropy.toFixed(3)} nats`,
    probs: stage.probs,
  }));
  return distributionRowsSpec(rows, {
    title: options.title ?? 'Chain waterfall: the distribution after each stage',
    subtitle: options.subtitle ?? (ids.length < vocabSize ? `the input's ${ids.length} most likely of ${vocabSize} tokens; × = removed` : '× = removed by a stage'),
    labels: tokenLabels(vocabSize, options.tokens),
    ids,
  });
}
