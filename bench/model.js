#!/usr/bin/env node
// Benchmark of the embedded model: median time of one full-vocabulary nextLogits call at
// order 4, over contexts taken from the held-out documents. Builds the model first if it is
// not cached (KNOBS_CACHE_DIR overrides the cache directory). `--json` prints one JSON line.
import { embeddedModel, loadEmbeddedData } from '../dist/models/index.js';

const json = process.argv.includes('--json');
const started = performance.now();
const data = await loadEmbeddedData();
const loadMs = performance.now() - started;
const model = embeddedModel(data, 4);

// Contexts: every 97th position of the held-out documents (document index mod 10 = 9).
const contexts = [];
for (let document = 9; document < data.documentIds.length; document += 10) {
  const tokens = Array.from(data.tokens.subarray(data.offsets[document], data.offsets[document + 1]));
  for (let end = 1; end < tokens.length; end += 97) contexts.push(tokens.slice(Math.max(0, end - 8), end));
}
contexts.push(model.encode('The weather today is'), model.encode('of the'), []);

const out = new Float32Array(model.vocabSize);
for (let i = 0; i < 20; i++) model.nextLogits(contexts[i % contexts.length], out); // warm up
const times = [];
for (const context of contexts) {
  const start = performance.now();
  model.nextLogits(context, out);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const quantile = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
const result = {
  benchmark: 'embedded model nextLogits',
  order: model.order,
  vocab_size: model.vocabSize,
  calls: times.length,
  median_ms: quantile(0.5),
  p95_ms: quantile(0.95),
  max_ms: times[times.length - 1],
  load_ms: loadMs,
  loaded_from: data.source,
  cache_bytes: data.bytes ?? null,
};
if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  process.stdout.write(
    `embedded model nextLogits (order ${result.order}, ${result.vocab_size} ids): median ${result.median_ms.toFixed(3)} ms, ` +
      `p95 ${result.p95_ms.toFixed(3)} ms, max ${result.max_ms.toFixed(3)} ms over ${result.calls} calls ` +
      `(model ${result.loaded_from === 'cache' ? 'loaded' : 'built'} in ${(loadMs / 1000).toFixed(2)} s)\n`,
  );
}
