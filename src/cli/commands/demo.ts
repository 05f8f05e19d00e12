import { Command } from 'commander';
import { formatValue } from '../../core/errors.js';
import { compareDemo } from '../../demos/compareDemo.js';
import { figureDemo } from '../../demos/figureDemo.js';
import { interactionDemo } from '../../demos/interactionDemo.js';
import { softmaxDemo } from '../../demos/softmaxDemo.js';
import { temperatureDemo } from '../../demos/temperatureDemo.js';
import { topPDemo } from '../../demos/topPDemo.js';
import { UsageError } from '../errors.js';
import { parseCount } from '../inputs.js';
import { DEMOS, demoText } from './demoText.js';

const JSON_OF: Record<string, (seeds: number) => unknown> = {
  softmax: () => {
    const demo = softmaxDemo();
    return { logits: demo.logits, probs: Array.from(demo.probs), printed: demo.printed };
  },
  temperature: () => temperatureDemo().map((row) => ({ T: row.temperature, probs: Array.from(row.probs), entropy: row.entropy })),
  figure: () => figureDemo().map((panel) => ({ T: panel.temperature, probs: Array.from(panel.probs), top_label: panel.topLabel, top_two_mass: panel.topTwoMass, entropy: panel.entropy, nucleus: panel.nucleus })),
  'top-p': () => {
    const demo = topPDemo();
    return { tokens: demo.tokens, p: demo.p, probs: Array.from(demo.probs), kept: demo.kept, filtered: Array.from(demo.filtered) };
  },
  compare: () => compareDemo().map((c) => ({ name: c.name, probs: Array.from(c.probs), top_k: c.topK, top_p: c.topP })),
  interaction: (seeds) => interactionDemo({ seeds }),
};

/** `knobs demo NAME`: one of the seed's demonstrations. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(`run one of the seed's demonstrations: ${Object.keys(DEMOS).join(', ')}`)
    .argument('<name>', Object.keys(DEMOS).join(' | '))
    .option('--seeds <n>', 'number of seeded draws for `interaction`', '1000')
    .option('--json', 'print the numbers as JSON')
    .action((name: string, options: { seeds?: string; json?: boolean }) => {
      if (!DEMOS[name]) throw new UsageError(`demo ${formatValue(name)} does not exist: expected one of ${Object.keys(DEMOS).join(', ')}`);
      const seeds = parseCount('--seeds', options.seeds, 1000, 1, 1_000_000);
      if (options.json) {
        process.stdout.write(`${JSON.stringify((JSON_OF[name] as (seeds: number) => unknown)(seeds))}\n`);
        return;
      }
      process.stdout.write(demoText(name, { seeds }));
    });
}
