import { createSampler } from '../samplers/chain.js';
import { ENGINE_NAMES } from '../samplers/profiles.js';
import { parseChain, type ChainSpec } from '../samplers/spec.js';
import { chainLabel } from './chainLabel.js';
import { distributionRowsSpec, type DistributionRow } from './distributionRows.js';
import { rankOrder, tokenLabels, type FigureSpec } from './theme.js';

/** One distribution through one engine profile. */
export interface EngineResult {
  readonly engine: string;
  /** The chain as that engine runs it (flag-style settings follow each engine's order). */
  readonly chain: string;
  /** Final distribution; empty when the engine rejected the chain. */
  readonly probs: Float32Array;
  readonly kept: number;
  /** Why the engine could not run the chain, if it could not. */
  readonly error?: string;
  /** Knobs of the chain this engine accepts but ignores (`KnobsSampler.warnings`). */
  readonly warnings?: readonly string[];
}

/**
 * Runs one distribution through `chainFor(engine)` under every engine profile
 * (`createSampler(chain, { engine })`). A chain is given per engine so that flag-style
 * settings can follow each engine's default order; pass `() => chain` for one chain.
 * An engine that rejects the chain gets an `error` instead of a distribution.
 *
 * @example
 * engineProfilesData(logits, () => 'top_p=0.8,temperature=1.5').map((r) => r.kept);
 */
export function engineProfilesData(logits: ArrayLike<number>, chainFor: (engine: string) => ChainSpec | string, engines: readonly string[] = ENGINE_NAMES): EngineResult[] {
  return engines.map((engine) => {
    let chain = '';
    try {
      const spec = chainFor(engine);
      chain = chainLabel(parseChain(spec));
      const sampler = createSampler(spec, { engine });
      const probs = sampler.distribution(logits);
      let kept = 0;
      for (let i = 0; i < probs.length; i++) if ((probs[i] as number) > 0) kept++;
      return { engine, chain, probs, kept, warnings: sampler.warnings };
    } catch (error) {
      return { engine, chain, probs: new Float32Array(0), kept: 0, error: (error as Error).message };
    }
  });
}

/** The knob a warning names (`transformers.js ignores top_p (p = 0.9): ...` → `top_p`). */
function ignoredKnob(warning: string): string {
  return /ignores (\S+?)(?: \(| =|:)/.exec(warning)?.[1] ?? warning;
}

/**
 * One distribution through each engine profile, one row per engine, over the input's most
 * likely tokens: where engines order or interpret the knobs differently, the rows differ. A
 * row names the knobs its engine ignores.
 *
 * @example
 * engineProfilesSpec(engineProfilesData(logits, chainFor), { input: softmax(logits) });
 */
export function engineProfilesSpec(results: readonly EngineResult[], options: { input: ArrayLike<number>; tokens?: readonly string[]; maxTokens?: number; title?: string; subtitle?: string }): FigureSpec {
  const vocabSize = options.input.length;
  const ids = rankOrder(options.input).slice(0, options.maxTokens ?? 20);
  const rows: DistributionRow[] = results.map((result) => ({
    label: result.error
      ? `${result.engine}: could not run (${result.error})`
      : `${result.engine}: ${result.chain}: ${result.kept} of ${vocabSize} kept${result.warnings?.length ? ` (ignores ${result.warnings.map(ignoredKnob).join(', ')})` : ''}`,
    probs: result.probs,
  }));
  return distributionRowsSpec(rows, {
    title: options.title ?? 'One distribution through each engine profile',
    subtitle: options.subtitle ?? 'the same knobs under the semantics of each engine; × = removed',
    labels: tokenLabels(vocabSize, options.tokens),
    ids,
  });
}
