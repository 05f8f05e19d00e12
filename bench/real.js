#!/usr/bin/env node
// Sampling on real next-token rows: `npm run bench` runs this after bench/run.js
// (`node --expose-gc bench/real.js [--json] [--quick]`).
//
// Rows: the embedded model's next-token distributions (V = 200,007) for a fixed set of
// contexts — eight taken from the held-out documents (document index mod 10 = 9) and two of
// the prompts — plus an all-distinct row (Zipf logits with added noise: no two
// values equal, so that methods that group equal values are not flattered).
//
// For each temperature T in 0.3, 0.5, 0.8, 1.0, 1.5, 2.0 and each chain below, under the
// `knobs` and `llama.cpp` profiles: the median time of `sample` (one token, seeded, rows
// cycled), the median nucleus size (tokens kept), and in the same run, next to the cell,
// the two floors: one JS pass of max + Σ Math.exp((x − max) / T) over the row, and one JS
// read pass. Ratios and the targets are computed from figures of the same run.

import os from 'node:os';
import { embeddedModel, loadEmbeddedData } from '../dist/models/index.js';
import { wasmKernelAvailable } from '../dist/kernel/index.js';
import { createSampler } from '../dist/samplers/chain.js';
import { maxExpPass, readPass } from './sampling/baselines.js';
import { mulberry32, zipfRow } from './sampling/rows.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const TEMPERATURES = quick ? [0.8, 2.0] : [0.3, 0.5, 0.8, 1.0, 1.5, 2.0];
const ENGINES = ['knobs', 'llama.cpp'];
const CALLS = quick ? { warmup: 6, iterations: 21 } : { warmup: 10, iterations: 41 };
const FLOOR_CALLS = quick ? { warmup: 2, iterations: 9 } : { warmup: 3, iterations: 15 };

/** The chains of the issue; `t` is put where each one applies temperature. */
const CHAINS = [
  { name: 'top-p 0.95', chain: (t) => `temperature=${t},top_p=0.95` },
  { name: 'top-k 40 + top-p + min-p + T', chain: (t) => `top_k=40,top_p=0.95,min_p=0.05,temperature=${t}` },
  { name: 'min-p 0.05 + T', chain: (t) => `min_p=0.05,temperature=${t}` },
  { name: 'typical-p 0.95', chain: (t) => `temperature=${t},typical_p=0.95` },
  { name: 'top-nσ 1', chain: (t) => `temperature=${t},top_n_sigma=1` },
  { name: 'ε 3e-4', chain: (t) => `temperature=${t},epsilon=3e-4` },
  { name: 'greedy', chain: () => 'greedy' },
];

const log = (text) => {
  if (!json) process.stderr.write(text);
};

/** Median time (ms) of `fn(row)` over calls cycling through the rows. */
function measure(fn, rows, { warmup, iterations }) {
  for (let i = 0; i < warmup; i++) fn(rows[i % rows.length]);
  const times = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const row = rows[i % rows.length];
    const start = performance.now();
    fn(row);
    times[i] = performance.now() - start;
  }
  times.sort();
  return times[iterations >> 1];
}

let sink = 0;

// The rows.
const data = await loadEmbeddedData();
const model = embeddedModel(data, 4);
const contexts = [];
for (let document = 9; document < data.documentIds.length && contexts.length < 8; document += 10) {
  const tokens = Array.from(data.tokens.subarray(data.offsets[document], data.offsets[document + 1]));
  const end = Math.min(tokens.length - 1, 12 + (document % 37));
  contexts.push(tokens.slice(Math.max(0, end - 8), end));
}
contexts.push(model.encode('The weather today is'), model.encode('He said that the'));
const real = contexts.map((context) => {
  const out = new Float32Array(model.vocabSize);
  model.nextLogits(context, out);
  return out;
});
const V = model.vocabSize;
const random = mulberry32(11);
const distinct = [0, 1].map((seed) => {
  const row = zipfRow(V, 1.1, 500 + seed);
  for (let i = 0; i < V; i++) row[i] += Math.fround(random() * 1e-3);
  return row;
});
const countDistinct = (row) => new Set(row).size;

const results = {
  machine: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, wasm: wasmKernelAvailable() },
  method: `median of ${CALLS.iterations} calls after ${CALLS.warmup} warm-up calls, rows cycled; floors: median of ${FLOOR_CALLS.iterations} passes, measured beside each temperature's cells`,
  vocabulary: V,
  rows: { real: real.length, distinctValuesPerRealRow: real.map(countDistinct), allDistinct: distinct.map(countDistinct) },
  sets: {},
};

function keptCount(sampler, row) {
  const mask = new Uint8Array(row.length);
  sampler.distribution(row, undefined, mask);
  let kept = 0;
  for (let i = 0; i < mask.length; i++) kept += mask[i];
  return kept;
}

for (const [set, rows] of [['real', real], ['all-distinct', distinct]]) {
  log(`${set} rows (V = ${V})\n`);
  const entry = {};
  results.sets[set] = entry;
  for (const t of TEMPERATURES) {
    log(`  T=${t}:`);
    const floorBefore = measure((row) => (sink += maxExpPass(row, t)), rows, FLOOR_CALLS);
    const readBefore = measure((row) => (sink += readPass(row)), rows, FLOOR_CALLS);
    const cells = {};
    for (const { name, chain } of CHAINS) {
      for (const engine of ENGINES) {
        let sampler;
        try {
          sampler = createSampler(chain(t), { seed: 1, engine });
        } catch {
          continue; // not available under this engine
        }
        const time = measure((row) => (sink += sampler.sample(row)), rows, CALLS);
        const kept = rows.map((row) => keptCount(sampler, row)).sort((a, b) => a - b);
        const stats = sampler.fastPath.stats;
        cells[`${engine} ${name}`] = { engine, chain: name, time, kept: kept[kept.length >> 1], fallbacks: stats ? stats.fallbacks : null, fast: sampler.fastPath.enabled, reason: sampler.fastPath.reason };
        log('.');
      }
    }
    // Greedy with the row written into the kernel's memory (no copy): the caller's write
    // (a model would write its logits there) is not timed, the sample is.
    cells['knobs greedy (inputBuffer)'] = { engine: 'knobs', chain: 'greedy (inputBuffer)', kept: 1, time: greedyInPlace(rows) };
    const floor = Math.min(floorBefore, measure((row) => (sink += maxExpPass(row, t)), rows, FLOOR_CALLS));
    const read = Math.min(readBefore, measure((row) => (sink += readPass(row)), rows, FLOOR_CALLS));
    entry[t] = { maxExpPass: floor, readPass: read, cells };
    log('\n');
  }
}

/** Median time of greedy `sample` on rows written into its `inputBuffer`. */
function greedyInPlace(rows) {
  const greedy = createSampler('greedy', { seed: 1 });
  const times = [];
  for (let i = 0; i < CALLS.warmup + CALLS.iterations; i++) {
    const row = rows[i % rows.length];
    const input = greedy.inputBuffer(row.length);
    input.set(row);
    const start = performance.now();
    sink += greedy.sample(input);
    if (i >= CALLS.warmup) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

// Targets (issue 15), as ratios within this run.
const targets = [];
const real08 = results.sets.real;
for (const { name } of CHAINS) {
  for (const engine of ENGINES) {
    const key = `${engine} ${name}`;
    const ratios = TEMPERATURES.filter((t) => real08[t].cells[key]).map((t) => real08[t].cells[key].time / (name === 'greedy' ? real08[t].readPass : real08[t].maxExpPass));
    if (ratios.length === 0) continue;
    const worst = Math.max(...ratios);
    if (name === 'greedy') {
      targets.push({ name: `${key}: vs JS read pass, worst T`, value: worst, limit: 1, met: worst <= 1 });
      continue;
    }
    const limit = engine === 'knobs' ? 1 / 6 : 1 / 3;
    targets.push({ name: `${key}: vs JS max+Σexp, worst T`, value: worst, limit, met: worst <= limit });
    if (engine === 'knobs' && real08[0.8] && real08[0.8].cells[key]) {
      const slowest = Math.max(...TEMPERATURES.map((t) => real08[t].cells[key].time));
      const flat = slowest / real08[0.8].cells[key].time;
      targets.push({ name: `${key}: slowest T vs T = 0.8`, value: flat, limit: 1.5, met: flat <= 1.5 });
    }
  }
}
results.targets = targets;

if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else printTables(results);

function ms(value) {
  if (value === undefined || value === null) return '—';
  return value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function printTables(report) {
  const out = [];
  out.push(`Sampling on real rows (ms per token, ${report.method})`);
  out.push(`Node ${report.machine.node}, ${report.machine.cpu}, WebAssembly SIMD: ${report.machine.wasm ? 'yes' : 'no'}`);
  out.push(`Real rows: ${report.rows.real} contexts of the embedded model, V = ${report.vocabulary.toLocaleString('en-US')}, ${report.rows.distinctValuesPerRealRow.join(', ')} distinct values; all-distinct rows: ${report.rows.allDistinct.join(', ')} distinct values.`);
  for (const [set, entry] of Object.entries(report.sets)) {
    for (const engine of ENGINES) {
      out.push('');
      out.push(`${set} rows, --engine ${engine}: time (ratio to the JS max+Σexp pass; greedy: to the JS read pass) [nucleus size]`);
      const header = ['chain'.padEnd(30), ...TEMPERATURES.map((t) => `T=${t}`.padStart(24))];
      out.push(header.join(''));
      const names = [...CHAINS.map((c) => c.name), ...(engine === 'knobs' ? ['greedy (inputBuffer)'] : [])];
      for (const name of names) {
        const cells = TEMPERATURES.map((t) => entry[t].cells[`${engine} ${name}`]);
        if (cells.every((c) => !c)) continue;
        const row = [name.padEnd(30)];
        for (const [i, cell] of cells.entries()) {
          const t = TEMPERATURES[i];
          if (!cell) {
            row.push('—'.padStart(24));
            continue;
          }
          const base = name.startsWith('greedy') ? entry[t].readPass : entry[t].maxExpPass;
          const ratio = name.startsWith('greedy') ? `${(cell.time / base).toFixed(2)}×` : `1/${(base / cell.time).toFixed(1)}`;
          row.push(`${ms(cell.time)} (${ratio}) [${cell.kept}]${cell.fallbacks ? '!' : ''}`.padStart(24));
        }
        out.push(row.join(''));
      }
      out.push(['floors: max+Σexp / read'.padEnd(30), ...TEMPERATURES.map((t) => `${ms(entry[t].maxExpPass)} / ${ms(entry[t].readPass)}`.padStart(24))].join(''));
    }
  }
  out.push('');
  out.push('Targets (real rows):');
  for (const t of report.targets) {
    const value = t.limit < 1 ? `1/${(1 / t.value).toFixed(1)}` : `${t.value.toFixed(2)}×`;
    const limit = t.limit < 1 ? `≤ 1/${(1 / t.limit).toFixed(0)}` : `≤ ${t.limit}×`;
    out.push(`  ${t.met ? 'met   ' : 'MISSED'} ${t.name.padEnd(60)} ${value.padStart(10)}   target ${limit}`);
  }
  out.push('! = some rows left the fast path (fallbacks)');
  process.stdout.write(`${out.join('\n')}\n`);
}

if (sink === 42) process.stderr.write('');
