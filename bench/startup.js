#!/usr/bin/env node
// Start-up benchmark: `npm run bench:startup` (table) or `npm run bench:startup -- --json`.
//
// Times whole `knobs` processes, from spawn to exit, as a user sees them:
//   knobs --help                          target < 0.25 s
//   knobs demo softmax                    target < 0.25 s
//   knobs next "The weather today is"     target < 0.8 s, with the model cache already built
// and, as floors, `node -e 0` (Node's own start-up) and `node empty.mjs` (Node's start-up
// with its ES-module loader, which every ESM program pays). The commands run in turn, one
// run of each per round (so a burst of load elsewhere on the machine hits every command
// alike), after one warm-up round; the table gives the median, min and max wall time of
// each and whether the median meets the target. The model cache is built first if needed
// (KNOBS_CACHE_DIR overrides where it is).
//
// Options: --runs=N (default 11), --json.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.find((a) => a.startsWith('--runs='));
const runs = runsArg ? Math.max(1, Number(runsArg.slice(7))) : 11;
const bin = fileURLToPath(new URL('../bin/knobs.js', import.meta.url));
const scratch = mkdtempSync(join(os.tmpdir(), 'knobs-startup-'));
const empty = join(scratch, 'empty.mjs');
writeFileSync(empty, '');

const commands = [
  { name: 'node -e 0', argv: ['-e', '0'], floor: true },
  { name: 'node empty.mjs', argv: [empty], floor: true },
  { name: 'knobs --help', argv: [bin, '--help'], target: 0.25 },
  { name: 'knobs demo softmax', argv: [bin, 'demo', 'softmax'], target: 0.25 },
  { name: 'knobs next "The weather today is"', argv: [bin, 'next', 'The weather today is'], target: 0.8 },
];

/** Wall seconds of one run of `node ...argv`; throws if it fails. */
function timeOnce(argv) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`node ${argv.join(' ')} exited with ${result.status}: ${result.stderr.toString().slice(0, 500)}`);
  return seconds;
}

// The cache must exist before `next` is timed: building it takes seconds.
const info = spawnSync(process.execPath, [bin, 'model', 'info', '--json'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
if (info.status !== 0) throw new Error(`knobs model info failed: ${info.stderr}`);
const cacheFile = JSON.parse(info.stdout).cache_file;

const times = commands.map(() => []);
try {
  for (let round = -1; round < runs; round++) {
    commands.forEach((command, index) => {
      const seconds = timeOnce(command.argv);
      if (round >= 0) times[index].push(seconds);
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const rows = commands.map((command, index) => {
  const sorted = [...times[index]].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  return { command: command.name, runs: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1], target: command.target ?? null, meets: command.target === undefined ? null : median < command.target };
});

if (json) {
  process.stdout.write(`${JSON.stringify({ node: process.version, cpus: os.cpus().length, load: os.loadavg(), cacheFile, rows })}\n`);
} else {
  const s = (value) => value.toFixed(3);
  const header = ['command', 'median s', 'min s', 'max s', 'target', ''];
  const lines = rows.map((row) => [row.command, s(row.median), s(row.min), s(row.max), row.target === null ? '(floor)' : `< ${row.target}`, row.meets === null ? '' : row.meets ? 'meets' : 'misses']);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => cells.map((cell, column) => (column === 0 || column >= 4 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  console.log(`Start-up, whole processes: ${runs} runs each after one warm-up, in turn; Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
  console.log(`model cache: ${cacheFile}\n`);
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
  const floor = rows[1].median;
  console.log(`\nabove the ES-module floor (node empty.mjs, median ${s(floor)} s): ${rows.slice(2).map((row) => `${row.command.split(' ').slice(1, 2).join('')} +${s(row.median - floor)} s`).join(', ')}`);
}
