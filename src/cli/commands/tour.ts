import { Command } from 'commander';
import { bold } from '../terminal.js';
import { DEMOS, demoText } from './demoText.js';

/** `knobs tour`: every demonstration in order (what `npm start` runs). */
export function tourCommand(): Command {
  return new Command('tour').description('run every demonstration in order (what `npm start` runs)').action(() => {
    const started = performance.now();
    process.stdout.write(`${bold('creativity-knobs: a tour of the sampling knobs')}\n\n`);
    const names = Object.keys(DEMOS);
    names.forEach((name, index) => {
      process.stdout.write(`[${index + 1}/${names.length}] ${demoText(name)}\n`);
    });
    process.stdout.write(`tour finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });
}
