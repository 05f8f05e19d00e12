import { chainLabel } from '../charts/chainLabel.js';
import { chainWaterfallData, chainWaterfallSpec } from '../charts/chainWaterfall.js';
import { engineProfilesData, engineProfilesSpec } from '../charts/engineProfiles.js';
import { entropySeries, entropyTemperatureSpec } from '../charts/entropyTemperature.js';
import { ENGINES_DEFAULT_SETTINGS, WATERFALL_DEFAULT_CHAIN } from './figures.js';
import { interactionBandsSpec } from '../charts/interactionBands.js';
import { nucleusGrid, nucleusHeatmapSpec } from '../charts/nucleusHeatmap.js';
import { samplingData, samplingFrequenciesSpec } from '../charts/samplingFrequencies.js';
import { softmaxBarsSpec } from '../charts/softmaxBars.js';
import { temperatureCurvesSpec } from '../charts/temperatureCurves.js';
import { temperatureFigureData, temperatureFigureSpec } from '../charts/temperatureFigure.js';
import { percentLabel, rankOrder } from '../charts/theme.js';
import { topKTopPSpec, truncationCase } from '../charts/topKTopP.js';
import { topPCumulativeSpec } from '../charts/topPCumulative.js';
import { entropy } from '../core/entropy.js';
import { softmax, softmaxWithTemperature } from '../core/softmax.js';
import { compareDemo } from '../demos/compareDemo.js';
import { nucleusSize } from '../analysis/nucleusSize.js';
import { gaussianLogits, interactionDemo } from '../demos/interactionDemo.js';
import { softmaxDemo } from '../demos/softmaxDemo.js';
import { SEED_TEMPERATURES, temperatureDemo } from '../demos/temperatureDemo.js';
import { topPDemo } from '../demos/topPDemo.js';
import { getExample, listExamples, seedExamples } from '../examples/index.js';
import { ENGINE_NAMES, getProfile } from '../samplers/profiles.js';
import { chainFromSettings, parseChain } from '../samplers/spec.js';
import type { ReportSection, SectionSource } from './types.js';

const fixed = (value: number, digits = 4): string => value.toFixed(digits);
const erratum = (index: number): string => `Correction of the original text: ${seedExamples.blog_errata[index] ?? ''}.`;

/** Options of `seedSectionSources`. */
export interface SeedSectionOptions {
  /** Seeded draws of the interaction demonstration (default 1000). */
  readonly seeds?: number;
  /** Draws of the sampling section (default 1000). */
  readonly draws?: number;
}

/**
 * The report's sections on the seed's examples: every demonstration of the original
 * scripts with its figure and table, then the figures that go further (entropy, the
 * heatmap, sampling, the chain waterfall, the engine profiles). Each is built lazily.
 *
 * @example
 * const sections = await buildSections(seedSectionSources());
 */
export function seedSectionSources(options: SeedSectionOptions = {}): SectionSource[] {
  const seeds = options.seeds ?? 1000;
  const draws = options.draws ?? 1000;
  return [
    { id: 'softmax', title: 'Softmax: logits into probabilities', build: softmaxSection },
    { id: 'temperature', title: 'Temperature: softmax(logits / T)', build: temperatureSection },
    { id: 'temperature-figure', title: "The seed's temperature figure", build: temperatureFigureSection },
    { id: 'entropy', title: 'Entropy against temperature', build: entropySection },
    { id: 'top-p', title: 'Top-p (nucleus) sampling', build: topPSection },
    { id: 'compare', title: 'Top-k vs top-p', build: compareSection },
    { id: 'interaction', title: 'Temperature x top-p', build: () => interactionSection(seeds) },
    { id: 'sampling', title: 'Sampling: frequencies against probabilities', build: () => samplingSection(draws) },
    { id: 'waterfall', title: 'A chain, stage by stage', build: waterfallSection },
    { id: 'engines', title: 'Engine profiles', build: enginesSection },
  ];
}

function softmaxSection(): ReportSection {
  const demo = softmaxDemo();
  return {
    id: 'softmax',
    title: 'Softmax: logits into probabilities',
    paragraphs: ['A model scores every token with a logit; softmax turns the scores into probabilities that sum to 1: p_i = exp(l_i) / sum_j exp(l_j). The order is kept and a difference of 1 in logits becomes a ratio of e = 2.718 in probability.'],
    preformatted: `softmax.py printed:\n${seedExamples.softmax_5.printed}\nthis port prints:\n${demo.printed}`,
    figures: [{ name: 'softmax', title: 'Softmax of the logits [2, 1.5, 1, 0.5, 0]', caption: 'Left the logits, right their probabilities.', spec: softmaxBarsSpec(demo.logits) }],
    tables: [{ header: ['id', 'logit', 'probability'], rows: demo.logits.map((logit, id) => [String(id), logit.toFixed(1), fixed(demo.probs[id] as number)]) }],
  };
}

function temperatureSection(): ReportSection {
  const rows = temperatureDemo();
  const logits = seedExamples.temperature_table.logits;
  return {
    id: 'temperature',
    title: 'Temperature: softmax(logits / T)',
    paragraphs: ['Temperature divides the logits before softmax. Below 1 it sharpens the distribution toward the top token (greedy at T = 0); above 1 it flattens it toward uniform, 1 / V for every token.'],
    figures: [{ name: 'curves', title: 'Each probability as a function of temperature', caption: 'Points mark the rows of the table below.', spec: temperatureCurvesSpec(logits, { marked: SEED_TEMPERATURES }) }],
    tables: [
      {
        caption: 'softmax_with_temperature.py on [2, 1.5, 1, 0.5, 0]',
        header: ['T', 'p0', 'p1', 'p2', 'p3', 'p4', 'entropy (nats)'],
        rows: rows.map((row) => [row.temperature.toFixed(1), ...Array.from(row.probs, (p) => fixed(p)), row.entropy.toFixed(2)]),
      },
    ],
    notes: ['Entropy here is -sum p ln(p + 1e-10), as the original computed it.'],
  };
}

function temperatureFigureSection(): ReportSection {
  const figure = seedExamples.temperature_figure;
  const panels = temperatureFigureData(figure.logits, figure.panels.map((panel) => panel.T));
  const logits = Float32Array.from(figure.logits);
  return {
    id: 'temperature-figure',
    title: "The seed's temperature figure",
    paragraphs: ['visualize_temperature_effects.py drew 20 logits (NumPy seed 42, standard normal x 2, sorted) at four temperatures. The figure is reproduced from the logits: same panels, the top bar in dark red with its probability.'],
    figures: [{ name: 'temperature-figure', title: 'Temperature = 0.3, 0.7, 1.0, 1.5 on the same 20 logits', caption: 'PNG at 1800 x 1500 pixels, the size the seed saved.', spec: temperatureFigureSpec(panels) }],
    tables: [
      {
        header: ['T', 'top token', 'top two', 'entropy (nats)', 'nucleus at p = 0.9', 'original label'],
        rows: panels.map((panel, index) => {
          const order = rankOrder(panel.probs);
          const top = panel.probs[order[0] as number] as number;
          const second = panel.probs[order[1] as number] as number;
          return [panel.temperature.toFixed(1), percentLabel(top), percentLabel(top + second), fixed(entropy(panel.probs)), String(nucleusSize(logits, panel.temperature, 0.9)), figure.panels[index]?.top_label ?? ''];
        }),
      },
    ],
    notes: [erratum(2)],
  };
}

function entropySection(): ReportSection {
  const examples = listExamples();
  const series = examples.map((example) => entropySeries(example.name, example.logits));
  const at = (logits: readonly number[], temperature: number): string => fixed(entropy(softmaxWithTemperature(logits, temperature)), 3);
  return {
    id: 'entropy',
    title: 'Entropy against temperature',
    paragraphs: ['Entropy (in nats) measures how spread out a distribution is: 0 when one token has everything, ln V when all V tokens are equally likely. Raising the temperature raises the entropy toward that ceiling, never past it.'],
    figures: [{ name: 'entropy-temperature', title: 'Entropy of every seed example against temperature', caption: 'Dashed lines: ln V for each vocabulary size.', spec: entropyTemperatureSpec(series) }],
    tables: [
      {
        header: ['distribution', 'V', 'ln V', 'H at T = 0.5', 'H at T = 1', 'H at T = 2'],
        rows: examples.map((example) => [example.name, String(example.logits.length), fixed(Math.log(example.logits.length), 3), at(example.logits, 0.5), at(example.logits, 1), at(example.logits, 2)]),
      },
    ],
  };
}

function topPSection(): ReportSection {
  const demo = topPDemo();
  return {
    id: 'top-p',
    title: 'Top-p (nucleus) sampling',
    paragraphs: [`Top-p keeps the smallest set of most likely tokens whose probabilities add up to at least p, then renormalises. At p = ${demo.p} it keeps ${demo.kept} of the ${demo.tokens.length} tokens of top_p_sampling.py.`],
    figures: [{ name: 'top-p', title: `Top-p = ${demo.p} on eight tokens`, caption: 'Bars: probabilities; line: cumulative probability; dashed: p.', spec: topPCumulativeSpec(demo) }],
    tables: [
      {
        header: ['token', 'probability', 'cumulative', '', 'renormalised'],
        rows: demo.order.map((id, rank) => [demo.tokens[id] ?? String(id), fixed(demo.probs[id] as number), fixed(demo.cumulative[rank] as number), (demo.filtered[id] as number) > 0 ? 'kept' : 'cut', fixed(demo.filtered[id] as number)]),
      },
    ],
    notes: [erratum(0), erratum(4)],
  };
}

function compareSection(): ReportSection {
  const { k, p } = seedExamples.compare_topk_topp;
  const cases = compareDemo(k, p);
  return {
    id: 'compare',
    title: 'Top-k vs top-p',
    paragraphs: [`compare_topk_topp.py: top-k = ${k} keeps ${k} tokens whatever their mass; top-p = ${p} keeps one token when the model is sure and seven when it is not.`],
    figures: [{ name: 'topk-topp', title: `Top-k = ${k} vs top-p = ${p} on a confident and an uncertain distribution`, caption: 'Mass is measured under the original distribution.', spec: topKTopPSpec(cases.map((one) => truncationCase(one.name, getExample(one.name).logits, k, p))) }],
    tables: [
      {
        header: ['distribution', 'top token', 'top-k kept', 'top-k mass', 'top-p kept', 'top-p mass'],
        rows: cases.map((one) => [one.name, percentLabel(one.probs[0] as number), String(one.topK.kept), percentLabel(one.topK.mass), String(one.topP.kept), percentLabel(one.topP.mass)]),
      },
    ],
    notes: ['The kept mass of top-p is measured, not the fixed "90%" the original printed.', erratum(1)],
  };
}

function interactionSection(seeds: number): ReportSection {
  const rows = interactionDemo({ seeds });
  const logits = gaussianLogits(0);
  return {
    id: 'interaction',
    title: 'Temperature x top-p',
    paragraphs: ['Temperature applied before top-p changes how many tokens the same p keeps: a hotter distribution is flatter, so more tokens are needed to reach p. temp_topp_interaction.py showed one unseeded run; here the run is repeated over seeded draws and summarised.'],
    figures: [
      { name: 'interaction', title: `Nucleus size at p = 0.9 over ${seeds} seeded draws`, caption: 'Bands: 25-75% and 5-95% of the seeds; diamonds: the one published run.', spec: interactionBandsSpec(rows, { seeds }) },
      { name: 'nucleus-heatmap', title: 'Nucleus size over a temperature x top-p grid', caption: 'The draw of seed 0; colour on a log scale.', spec: nucleusHeatmapSpec(nucleusGrid(logits), { vocabSize: logits.length }) },
    ],
    tables: [
      {
        header: ['T', 'seed 0', `median of ${seeds}`, 'quartiles', '5%-95%', 'original (one draw)'],
        rows: rows.map((row) => [row.temperature.toFixed(1), String(row.firstDraw), String(row.median), `${row.p25}-${row.p75}`, `${row.p5}-${row.p95}`, String(row.published)]),
      },
    ],
    notes: ['The original published one unseeded draw; it cannot be regenerated, so it is shown beside the seeded medians.'],
  };
}

function samplingSection(n: number): ReportSection {
  const example = getExample('top-p-8');
  const chain = 'top_p=0.9';
  const data = samplingData(Float32Array.from(example.logits), chain, { n, seed: 0, ...(example.tokens ? { tokens: example.tokens } : {}) });
  return {
    id: 'sampling',
    title: 'Sampling: frequencies against probabilities',
    paragraphs: [`${n} seeded draws from the eight-token example through ${chain}. The frequencies scatter around the chain's probabilities as a correct sampler's must; Pearson's chi-square test gives p-value ${data.pValue.toFixed(3)} (df = ${data.degreesOfFreedom}). Tokens cut by top-p are never drawn.`],
    figures: [{ name: 'sampling', title: 'Sampled frequencies vs expected probabilities', caption: 'Points: observed frequencies with 95% Wilson intervals; bars: probabilities after the chain.', spec: samplingFrequenciesSpec(data, { chain }) }],
    tables: [
      {
        header: ['token', 'expected', 'count', 'frequency', '95% interval'],
        rows: data.rows.map((row) => [row.label, fixed(row.expected), String(row.count), fixed(row.frequency), `${fixed(row.low)} - ${fixed(row.high)}`]),
      },
    ],
  };
}

function waterfallSection(): ReportSection {
  const example = getExample('figure-20');
  const stages = chainWaterfallData(example.logits, WATERFALL_DEFAULT_CHAIN);
  const label = chainLabel(parseChain(WATERFALL_DEFAULT_CHAIN));
  return {
    id: 'waterfall',
    title: 'A chain, stage by stage',
    paragraphs: [`A chain applies its samplers in order, each to what the previous one left. Here the 20 logits of the temperature figure go through ${label}.`],
    figures: [{ name: 'waterfall', title: 'The distribution after each stage', caption: 'Each row is the distribution after one more stage.', spec: chainWaterfallSpec(stages, { subtitle: `figure-20 through ${label}; × = removed` }) }],
    tables: [
      {
        header: ['stage', 'tokens kept', 'top probability', 'entropy (nats)'],
        rows: stages.map((stage, index) => [index === 0 ? 'input' : `${index}. ${stage.label}`, String(stage.kept), fixed(Math.max(...stage.probs)), fixed(stage.entropy)]),
      },
    ],
  };
}

function enginesSection(): ReportSection {
  const example = getExample('figure-20');
  const logits = Float32Array.from(example.logits);
  const chainFor = (engine: string) => chainFromSettings({ ...ENGINES_DEFAULT_SETTINGS }, getProfile(engine).defaultOrder);
  const results = engineProfilesData(logits, chainFor);
  const flags = Object.entries(ENGINES_DEFAULT_SETTINGS).map(([name, value]) => `--${name.replace('_', '-')} ${value}`).join(' ');
  return {
    id: 'engines',
    title: 'Engine profiles',
    paragraphs: [`Engines disagree on the details of the same knobs: the order in which they apply them, ties in top-k, min_keep. The same flags (${flags}) on the 20 logits, under each engine's profile.`],
    figures: [{ name: 'engines', title: 'One distribution through each engine profile', caption: 'Flag-style knobs follow each engine\'s default order.', spec: engineProfilesSpec(results, { input: softmax(logits), subtitle: `figure-20 with ${flags}; × = removed` }) }],
    tables: [
      {
        header: ['engine', 'chain as run', 'tokens kept', 'top probability', 'entropy (nats)', 'ignored knobs'],
        rows: results.map((result) => [
          result.engine,
          result.error ? `error: ${result.error}` : result.chain,
          String(result.kept),
          result.error ? '' : fixed(Math.max(...result.probs)),
          result.error ? '' : fixed(entropy(result.probs)),
          (result.warnings ?? []).join('; '),
        ]),
      },
      {
        caption: 'The profiles',
        header: ['engine', 'name', 'default order of the flags', 'how its rules were checked'],
        rows: ENGINE_NAMES.map((name) => {
          const profile = getProfile(name);
          return [profile.name, profile.title, profile.defaultOrder.join(', '), profile.verified];
        }),
      },
    ],
  };
}
