import { Command } from 'commander';
import { formatValue } from '../../core/errors.js';
import { UsageError } from '../errors.js';
import { parseCount } from '../options.js';
import { DEMO_NAMES } from './demoNames.js';

/** The numbers of each demonstration, for `--json` (loads only the one asked for). */
const JSON_OF: Record<string, (seeds: number) => Promise<unknown>> = {
  softmax: async () => {
    const { softmaxDemo } = await import('../../demos/softmaxDemo.js');
    const demo = softmaxDemo();
    return { logits: demo.logits, probs: Array.from(demo.probs), printed: demo.printed };
  },
  temperature: async () => {
    const { temperatureDemo } = await import('../../demos/temperatureDemo.js');
    return temperatureDemo().map((row) => ({ T: row.temperature, probs: Array.from(row.probs), entropy: row.entropy }));
  },
  figure: async () => {
    const { figureDemo } = await import('../../demos/figureDemo.js');
    return figureDemo().map((panel) => ({ T: panel.temperature, probs: Array.from(panel.probs), top_label: panel.topLabel, top_two_mass: panel.topTwoMass, entropy: panel.entropy, nucleus: panel.nucleus }));
  },
  'top-p': async () => {
    const { topPDemo } = await import('../../demos/topPDemo.js');
    const demo = topPDemo();
    return { tokens: demo.tokens, p: demo.p, probs: Array.from(demo.probs), kept: demo.kept, filtered: Array.from(demo.filtered) };
  },
  compare: async () => {
    const { compareDemo } = await import('../../demos/compareDemo.js');
    return compareDemo().map((c) => ({ name: c.name, probs: Array.from(c.probs), top_k: c.topK, top_p: c.topP }));
  },
  interaction: async (seeds) => {
    const { interactionDemo } = await import('../../demos/interactionDemo.js');
    return interactionDemo({ seeds });
  },
};

/** `knobs demo NAME`: one of the seed's demonstrations. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(`run one of the seed's demonstrations: ${DEMO_NAMES.join(', ')}`)
    .argument('<name>', DEMO_NAMES.join(' | '))
    .option('--seeds <n>', 'number of seeded draws for `interaction`', '1000')
    .option('--json', 'print the numbers as JSON')
    .action(async (name: string, options: { seeds?: string; json?: boolean }) => {
      if (!(DEMO_NAMES as readonly string[]).includes(name)) throw new UsageError(`demo ${formatValue(name)} does not exist: expected one of ${DEMO_NAMES.join(', ')}`);
      const seeds = parseCount('--seeds', options.seeds, 1000, 1, 1_000_000);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(await (JSON_OF[name] as (seeds: number) => Promise<unknown>)(seeds))}\n`);
        return;
      }
      const { demoText } = await import('./demoText.js');
      process.stdout.write(await demoText(name, { seeds }));
    });
}
