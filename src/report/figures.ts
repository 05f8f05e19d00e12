import { softmax } from '../core/softmax.js';
import { InvalidParameterError } from '../core/errors.js';
import { compareDemo } from '../demos/compareDemo.js';
import { gaussianLogits, interactionDemo } from '../demos/interactionDemo.js';
import { SEED_TEMPERATURES } from '../demos/temperatureDemo.js';
import { getExample, listExamples, seedExamples } from '../examples/index.js';
import { getProfile } from '../samplers/profiles.js';
import { chainFromSettings, parseChain, type ChainSpec } from '../samplers/spec.js';
import { chainLabel } from '../charts/chainLabel.js';
import { chainWaterfallData, chainWaterfallSpec } from '../charts/chainWaterfall.js';
import { engineProfilesData, engineProfilesSpec } from '../charts/engineProfiles.js';
import { entropySeries, entropyTemperatureSpec } from '../charts/entropyTemperature.js';
import { interactionBandsSpec } from '../charts/interactionBands.js';
import { nucleusGrid, nucleusHeatmapSpec } from '../charts/nucleusHeatmap.js';
import { samplingData, samplingFrequenciesSpec } from '../charts/samplingFrequencies.js';
import { softmaxBarsSpec } from '../charts/softmaxBars.js';
import { temperatureCurvesSpec } from '../charts/temperatureCurves.js';
import { temperatureFigureData, temperatureFigureSpec } from '../charts/temperatureFigure.js';
import type { FigureSpec } from '../charts/theme.js';
import { topKTopPSpec, truncationCase } from '../charts/topKTopP.js';
import { topPCumulativeSpec, topPSteps } from '../charts/topPCumulative.js';

/** One distribution to draw: logits and, when known, the token strings. */
export interface FigureInput {
  readonly logits: Float32Array;
  readonly tokens?: readonly string[];
  /** Where it came from, for titles (an example's name, a file name). */
  readonly source: string;
}

/** Everything a figure may use; each figure has defaults for what is missing. */
export interface FigureContext {
  /** The distribution to draw (default: the figure's seed example). */
  readonly input?: FigureInput;
  /** The chain to run under an engine; absent means the figure's default chain. */
  readonly chain?: (engine: string) => ChainSpec | string;
  /** Engine profile (default `knobs`). */
  readonly engine?: string;
  /** Seed of the draws (default 0). */
  readonly seed?: number;
  /** Draws of the sampling figure (default 1000). */
  readonly n?: number;
  /** k and p of the top-k vs top-p figure (default 3 and 0.9, the seed's). */
  readonly k?: number;
  readonly p?: number;
  /** Temperatures of the temperature figure or the heatmap's x axis. */
  readonly temperatures?: readonly number[];
  /** Seeds of the interaction figure (default 1000). */
  readonly seeds?: number;
  readonly history?: readonly number[];
  readonly prompt?: readonly number[];
}

/** The parts of a `FigureContext` a figure can read. */
export type FigureOption = 'input' | 'chain' | 'engine' | 'seed' | 'n' | 'k' | 'p' | 'temperatures' | 'seeds';

/** A named figure: what `knobs plot NAME` draws. */
export interface FigureDefinition {
  readonly name: string;
  readonly title: string;
  /** The context fields it reads (the CLI warns about options a figure ignores). */
  readonly uses: readonly FigureOption[];
  /** What it shows, and which inputs it reads (and its defaults). */
  readonly description: string;
  /** Builds the spec (computing the data with the library, then a pure builder). */
  build(context: FigureContext): FigureSpec;
}

/** The default chain of the waterfall: every stage changes something on figure-20. */
export const WATERFALL_DEFAULT_CHAIN = 'top_k=10,top_p=0.95,min_p=0.1,temperature=0.7';
/** The default settings of the engine figure: the engines order them differently. */
export const ENGINES_DEFAULT_SETTINGS: Readonly<Record<string, number>> = { top_p: 0.8, temperature: 1.5 };

const example = (name: string): FigureInput => {
  const found = getExample(name);
  return { logits: Float32Array.from(found.logits), ...(found.tokens ? { tokens: found.tokens } : {}), source: found.name };
};

/** The chain of a figure under one engine: the given one, or the figure's default. */
const chainOf = (context: FigureContext, engine: string, fallback: ChainSpec | string): ChainSpec | string => (context.chain ? context.chain(engine) : fallback);

function atMost(name: string, input: FigureInput, limit: number): void {
  if (input.logits.length > limit) {
    throw new InvalidParameterError(`${name} input size`, input.logits.length, `at most ${limit} tokens (this figure draws every token; use another figure for large vocabularies)`);
  }
}

/** Every figure, in the order of the report. */
export const FIGURES: readonly FigureDefinition[] = [
  {
    name: 'softmax',
    title: 'Softmax: logits and probabilities',
    uses: ['input'],
    description: 'logits beside their softmax probabilities (input: up to 40 tokens; default example softmax-5)',
    build: (context) => {
      const input = context.input ?? example('softmax-5');
      atMost('softmax', input, 40);
      return softmaxBarsSpec(Array.from(input.logits), input.tokens ? { tokens: input.tokens } : {});
    },
  },
  {
    name: 'temperature-figure',
    title: "The seed's temperature figure",
    uses: ['input', 'temperatures'],
    description: "the seed's 2 x 2 figure: distribution by rank at T = 0.3, 0.7, 1.0, 1.5, top bar labelled (input: default figure-20; --temperatures)",
    build: (context) => {
      const input = context.input ?? example('figure-20');
      const temperatures = context.temperatures ?? seedExamples.temperature_figure.panels.map((panel) => panel.T);
      return temperatureFigureSpec(temperatureFigureData(input.logits, temperatures), {
        columns: temperatures.length === 4 ? 2 : Math.min(temperatures.length, 3),
      });
    },
  },
  {
    name: 'temperature-curves',
    title: 'Probabilities as functions of temperature',
    uses: ['input', 'temperatures'],
    description: "each token's probability against T, with the seed table's temperatures marked (input: up to 10 tokens; default softmax-5)",
    build: (context) => {
      const input = context.input ?? example('softmax-5');
      atMost('temperature-curves', input, 10);
      return temperatureCurvesSpec(Array.from(input.logits), { marked: context.temperatures ?? SEED_TEMPERATURES, ...(input.tokens ? { tokens: input.tokens } : {}) });
    },
  },
  {
    name: 'entropy-temperature',
    title: 'Entropy against temperature',
    uses: ['input'],
    description: 'entropy in nats against T with ln V as the ceiling (input: one distribution; default every seed example)',
    build: (context) => {
      const series = context.input ? [entropySeries(context.input.source, context.input.logits)] : listExamples().map((one) => entropySeries(one.name, one.logits));
      return entropyTemperatureSpec(series);
    },
  },
  {
    name: 'top-p',
    title: 'Top-p step by step',
    uses: ['input', 'p', 'engine'],
    description: 'probabilities, cumulative sum and the threshold p; kept vs cut (input: default top-p-8; --top-p, default 0.9)',
    build: (context) => {
      const input = context.input ?? example('top-p-8');
      return topPCumulativeSpec(topPSteps(input.logits, context.p ?? seedExamples.top_p_8.p, input.tokens, context.engine ?? 'knobs'));
    },
  },
  {
    name: 'topk-topp',
    title: 'Top-k vs top-p',
    uses: ['input', 'k', 'p', 'engine'],
    description: 'tokens kept and mass kept by top-k and by top-p (input: default the confident and uncertain examples; --top-k, --top-p)',
    build: (context) => {
      const k = context.k ?? seedExamples.compare_topk_topp.k;
      const p = context.p ?? seedExamples.compare_topk_topp.p;
      const engine = context.engine ?? 'knobs';
      const cases = context.input
        ? [truncationCase(context.input.source, context.input.logits, k, p, engine)]
        : compareDemo(k, p).map((one) => truncationCase(one.name, getExample(one.name).logits, k, p, engine));
      return topKTopPSpec(cases);
    },
  },
  {
    name: 'interaction',
    title: 'Temperature x top-p: nucleus size',
    uses: ['seeds'],
    description: 'nucleus size at p = 0.9 against T over seeded Gaussian logits, beside the seed\'s published run (no input; --seeds, default 1000)',
    build: (context) => {
      const seeds = context.seeds ?? 1000;
      return interactionBandsSpec(interactionDemo({ seeds }), { seeds });
    },
  },
  {
    name: 'nucleus-heatmap',
    title: 'Nucleus size over temperature x top-p',
    uses: ['input', 'temperatures'],
    description: 'tokens kept by [temperature, top_p] over a T x p grid, log colour scale (input: default the 100 Gaussian logits of seed 0; --temperatures)',
    build: (context) => {
      const input = context.input ?? { logits: gaussianLogits(0), source: '100 Gaussian logits x 2 (seed 0)' };
      const cells = nucleusGrid(input.logits, context.temperatures);
      return nucleusHeatmapSpec(cells, { vocabSize: input.logits.length, subtitle: `${input.source}: tokens kept (of ${input.logits.length}) by top-p after temperature; colour on a log scale` });
    },
  },
  {
    name: 'sampling',
    title: 'Sampled frequencies vs expected probabilities',
    uses: ['input', 'chain', 'engine', 'seed', 'n'],
    description: `seeded draws through a chain against its probabilities, 95% Wilson intervals and chi-square (input: default top-p-8; chain default top_p=0.9; --n, default 1000)`,
    build: (context) => {
      const input = context.input ?? example('top-p-8');
      const engine = context.engine ?? 'knobs';
      const chain = chainOf(context, engine, 'top_p=0.9');
      const data = samplingData(input.logits, chain, {
        n: context.n ?? 1000,
        seed: context.seed ?? 0,
        engine,
        ...(input.tokens ? { tokens: input.tokens } : {}),
        ...(context.history ? { history: context.history } : {}),
        ...(context.prompt ? { prompt: context.prompt } : {}),
      });
      return samplingFrequenciesSpec(data, { chain: chainLabel(parseChain(chain)) });
    },
  },
  {
    name: 'waterfall',
    title: 'Chain waterfall',
    uses: ['input', 'chain', 'engine', 'seed'],
    description: `the distribution after each stage of a chain (input: default figure-20; chain default ${WATERFALL_DEFAULT_CHAIN})`,
    build: (context) => {
      const input = context.input ?? example('figure-20');
      const engine = context.engine ?? 'knobs';
      const chain = chainOf(context, engine, WATERFALL_DEFAULT_CHAIN);
      const stages = chainWaterfallData(input.logits, chain, {
        engine,
        seed: context.seed ?? 0,
        ...(context.history ? { history: context.history } : {}),
        ...(context.prompt ? { prompt: context.prompt } : {}),
      });
      return chainWaterfallSpec(stages, { ...(input.tokens ? { tokens: input.tokens } : {}), subtitle: `${input.source} through ${chainLabel(parseChain(chain))} (engine ${engine}); × = removed` });
    },
  },
  {
    name: 'engines',
    title: 'One distribution through each engine profile',
    uses: ['input', 'chain'],
    description: 'the same knobs under each engine profile, flag-style knobs in each engine\'s order (input: default figure-20; default --top-p 0.8 --temperature 1.5)',
    build: (context) => {
      const input = context.input ?? example('figure-20');
      const chainFor = context.chain ?? ((engine: string) => chainFromSettings({ ...ENGINES_DEFAULT_SETTINGS }, getProfile(engine).defaultOrder));
      const results = engineProfilesData(input.logits, chainFor);
      return engineProfilesSpec(results, { input: softmax(input.logits), ...(input.tokens ? { tokens: input.tokens } : {}), subtitle: `${input.source}: the same knobs under the semantics of each engine; × = removed` });
    },
  },
];

/**
 * A figure by name, or an `InvalidParameterError` listing the names.
 *
 * @example
 * getFigure('temperature-figure').build({}); // the seed's 2 x 2 figure
 */
export function getFigure(name: string): FigureDefinition {
  const figure = FIGURES.find((candidate) => candidate.name === name);
  if (!figure) throw new InvalidParameterError('figure', name, `one of ${FIGURES.map((one) => one.name).join(', ')}`);
  return figure;
}
