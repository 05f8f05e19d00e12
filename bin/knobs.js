#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// `knobs ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
