import type { Command } from 'commander';
import { auditCommand } from './audit.js';
import { compareDecodingCommand } from './compareDecoding.js';
import { demoCommand } from './demo.js';
import { determinismCommand } from './determinism.js';
import { distCommand } from './dist.js';
import { enginesCommand } from './engines.js';
import { examplesCommand } from './examples.js';
import { experimentCommand } from './experiment.js';
import { generateCommand } from './generate.js';
import { modelCommand } from './model.js';
import { nextCommand } from './next.js';
import { playgroundCommand } from './playground.js';
import { plotCommand } from './plot.js';
import { sampleCommand } from './sample.js';
import { serveCommand } from './serve.js';
import { tourCommand } from './tour.js';

/** Every top-level command, in the order `knobs --help` lists them. */
export function commands(): Command[] {
  return [distCommand(), sampleCommand(), demoCommand(), tourCommand(), plotCommand(), examplesCommand(), enginesCommand(), nextCommand(), generateCommand(), modelCommand(), compareDecodingCommand(), playgroundCommand(), serveCommand(), experimentCommand(), determinismCommand(), auditCommand()];
}
