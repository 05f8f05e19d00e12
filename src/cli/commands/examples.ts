import { Command } from 'commander';
import { formatTable } from '../terminal.js';

/** `knobs examples`: the built-in inputs. */
export function examplesCommand(): Command {
  return new Command('examples')
    .description('list the built-in examples that --example accepts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { listExamples } = await import('../../examples/index.js');
      const examples = listExamples();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(examples)}\n`);
        return;
      }
      process.stdout.write(`${formatTable(['name', 'tokens', 'description'], examples.map((e) => [e.name, String(e.logits.length), e.description]))}\n`);
    });
}
