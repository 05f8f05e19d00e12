import { seedExamples } from '../../examples/index.js';
import { bold, dim, formatTable } from '../terminal.js';
import type { DemoName } from './demoNames.js';

const percent = (value: number, digits = 1): string => `${(value * 100).toFixed(digits)}%`;
const erratum = (index: number): string => `${dim('correction of the original text:')} ${seedExamples.blog_errata[index] ?? ''}`;

/** One demonstration: its title and its terminal text (which loads only that demonstration's code). */
interface Demo {
  readonly title: string;
  readonly text: (options: { seeds?: number }) => Promise<string>;
}

/** The terminal text of each seed demonstration, by name (the names of `DEMO_NAMES`, in its order). */
export const DEMOS: Record<string, Demo> = {
  softmax: {
    title: 'Softmax: logits into probabilities',
    text: async () => {
      const { softmaxDemo } = await import('../../demos/softmaxDemo.js');
      const demo = softmaxDemo();
      const rows = demo.logits.map((logit, id) => [String(id), logit.toFixed(1), (demo.probs[id] as number).toFixed(4)]);
      return `${formatTable(['id', 'logit', 'probability'], rows)}\n${demo.printed}`;
    },
  },
  temperature: {
    title: 'Temperature: softmax(logits / T) on [2, 1.5, 1, 0.5, 0]',
    text: async () => {
      const { temperatureDemo } = await import('../../demos/temperatureDemo.js');
      const rows = temperatureDemo().map((row) => [row.temperature.toFixed(1), ...Array.from(row.probs, (p) => p.toFixed(4)), row.entropy.toFixed(2)]);
      return `${formatTable(['T', 'p0', 'p1', 'p2', 'p3', 'p4', 'entropy (nats)'], rows)}\n${dim('entropy = -sum p ln(p + 1e-10), as the original computed it; higher T flattens the distribution')}`;
    },
  },
  figure: {
    title: 'The temperature figure: 20 logits at T = 0.3, 0.7, 1.0, 1.5',
    text: async () => {
      const { figureDemo } = await import('../../demos/figureDemo.js');
      const rows = figureDemo().map((panel) => [
        panel.temperature.toFixed(1),
        panel.topLabel,
        percent(panel.topTwoMass),
        panel.entropy.toFixed(3),
        String(panel.nucleus),
      ]);
      return [
        formatTable(['T', 'top token (label)', 'top two', 'entropy (nats)', 'top-p 0.9 keeps'], rows),
        'the two leading logits (3.16, 3.05) are close, so even a low temperature splits the mass between them.',
        erratum(2),
      ].join('\n');
    },
  },
  'top-p': {
    title: 'Top-p (nucleus) = 0.9 on eight tokens',
    text: async () => {
      const { topPDemo } = await import('../../demos/topPDemo.js');
      const demo = topPDemo();
      const rows = demo.order.map((id, rank) => [
        demo.tokens[id] ?? String(id),
        (demo.probs[id] as number).toFixed(4),
        (demo.cumulative[rank] as number).toFixed(4),
        (demo.filtered[id] as number) > 0 ? 'kept' : 'cut',
        (demo.filtered[id] as number).toFixed(4),
      ]);
      return [
        formatTable(['token', 'probability', 'cumulative', '', 'renormalised'], rows),
        `top-p = ${demo.p} keeps ${demo.kept} of ${demo.tokens.length} tokens: the smallest prefix whose cumulative probability reaches p (the crossing token is kept).`,
        erratum(0),
        erratum(4),
      ].join('\n');
    },
  },
  compare: {
    title: 'Top-k = 3 vs top-p = 0.9 on a confident and an uncertain distribution',
    text: async () => {
      const { compareDemo } = await import('../../demos/compareDemo.js');
      const rows = compareDemo().map((c) => [
        c.name,
        percent(c.probs[0] as number),
        String(c.topK.kept),
        percent(c.topK.mass),
        String(c.topP.kept),
        percent(c.topP.mass),
      ]);
      return [
        formatTable(['distribution', 'top token', 'top-k kept', 'top-k mass', 'top-p kept', 'top-p mass'], rows),
        'top-k keeps a fixed number of tokens whatever their mass; top-p adapts: one token when the model is sure, seven when it is not.',
        dim('the kept mass of top-p is measured, not the "90%" the original printed; it is the first cumulative sum >= 0.9.'),
        erratum(1),
      ].join('\n');
    },
  },
  interaction: {
    title: 'Temperature x top-p: nucleus size at p = 0.9 on 100 Gaussian logits (x 2)',
    text: async (options) => {
      const { interactionDemo } = await import('../../demos/interactionDemo.js');
      const seeds = options.seeds ?? 1000;
      const rows = interactionDemo({ seeds }).map((row) => [
        row.temperature.toFixed(1),
        String(row.firstDraw),
        String(row.median),
        `${row.p25}-${row.p75}`,
        `${row.p5}-${row.p95}`,
        String(row.published),
      ]);
      return [
        formatTable(['T', 'seed 0', `median of ${seeds}`, 'quartiles', '5%-95%', 'original (one draw)'], rows),
        'higher temperature flattens the distribution, so the same p needs more tokens: temperature and top-p interact.',
        dim('the original published one unseeded draw; it cannot be regenerated, so it is shown as one historical draw beside the seeded medians.'),
      ].join('\n');
    },
  },
} satisfies Record<DemoName, Demo>;

/** One demonstration with its title, as printed by `knobs demo NAME` and the tour. */
export async function demoText(name: string, options: { seeds?: number } = {}): Promise<string> {
  const demo = DEMOS[name];
  if (!demo) throw new Error(`unknown demo ${name}`);
  return `${bold(demo.title)}\n\n${await demo.text(options)}\n`;
}
