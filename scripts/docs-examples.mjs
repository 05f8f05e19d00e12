#!/usr/bin/env node
/**
 * Regenerates what the guides show from the code, in place (after a build):
 *
 *   npm run docs:examples      (builds, then runs this script)
 *
 * Runs every `sh` / `ts` / `js` block of README.md and docs/*.md on the built package and
 * the embedded model, then rewrites each `text` block that follows a block with what it
 * printed, each `<!-- generated: NAME -->` region with what its generator gives, and
 * docs/figures/ with the figures the guides draw. It is the docs test
 * (test/docs/examples.test.ts) in write mode: the test fails whenever this script would
 * change something.
 */
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';

process.env.KNOBS_DOCS_WRITE = '1';
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = await startVitest('test', ['test/docs/examples.test.ts'], { root, run: true, watch: false });
await vitest?.close();
process.exitCode = vitest?.state.getCountOfFailedTests() ? 1 : process.exitCode;
