// transformers.js (@huggingface/transformers) samplers, from the separate package in
// bench/transformersjs (installed with --ignore-scripts, never part of the main install).
// Their LogitsSampler is not exported from the bundle, so its module is imported from the
// package's shipped sources. Top-p and min-p have no implementation there (TopPLogitsWarper
// has no _call), so P1 is their full-vocabulary path and P2 is top-k only.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'transformersjs', 'node_modules', '@huggingface', 'transformers');

/** Loads the samplers, or returns a reason why they cannot run here. */
export async function loadTransformersJs() {
  if (!existsSync(join(root, 'src', 'generation', 'logits_sampler.js'))) {
    return { error: 'not installed (cd bench/transformersjs && npm install --ignore-scripts)' };
  }
  try {
    const load = (path) => import(pathToFileURL(join(root, 'src', ...path.split('/'))).href);
    const [{ LogitsSampler }, { GenerationConfig }, { Tensor }, { TemperatureLogitsWarper }, pkg] = await Promise.all([
      load('generation/logits_sampler.js'),
      load('generation/configuration_utils.js'),
      load('utils/tensor.js'),
      load('generation/logits_process.js'),
      import(pathToFileURL(join(root, 'package.json')).href, { with: { type: 'json' } }),
    ]);
    return {
      version: pkg.default.version,
      /**
       * A sampler over fresh copies of a row: `temperature` (unless greedy), then their
       * sampler with `topK` (0: the whole vocabulary) or greedy.
       */
      make({ greedy = false, topK = 0, temperature = 1 }, size) {
        const data = new Float32Array(size);
        const tensor = new Tensor('float32', data, [1, size]);
        const config = greedy ? { do_sample: false } : { do_sample: true, top_k: topK };
        const sampler = LogitsSampler.getSampler(new GenerationConfig(config));
        const warper = greedy || temperature === 1 ? null : new TemperatureLogitsWarper(temperature);
        return async (row) => {
          data.set(row);
          if (warper) warper._call(null, tensor);
          const [[token]] = await sampler(tensor);
          return Number(token);
        };
      },
    };
  } catch (error) {
    return { error: `failed to load: ${error.message}` };
  }
}
