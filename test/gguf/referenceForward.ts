/**
 * The tiny llama model run again in plain JavaScript (float64), as llama.cpp's llama graph
 * computes it: RMS norm, attention with rotary position embeddings (llama's "normal" mode:
 * adjacent pairs rotated), grouped key/value heads and a causal mask, a SwiGLU feed-forward,
 * residuals, the final norm and the output matrix. Used to check that the distribution read
 * through node-llama-cpp is the model's.
 */
import type { TinyLlama } from './tinyLlama.js';

/** y = W x for a ggml matrix of dims [inputs, outputs] (row `o` holds the weights of output `o`). */
function matVec(weights: Float32Array, x: Float64Array, outputs: number): Float64Array {
  const inputs = x.length;
  const y = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let sum = 0;
    for (let i = 0; i < inputs; i++) sum += (weights[o * inputs + i] as number) * (x[i] as number);
    y[o] = sum;
  }
  return y;
}

function rmsNorm(x: Float64Array, weight: Float32Array, epsilon: number): Float64Array {
  let squares = 0;
  for (const value of x) squares += value * value;
  const scale = 1 / Math.sqrt(squares / x.length + epsilon);
  return x.map((value, i) => value * scale * (weight[i] as number));
}

/** Rotates each head's adjacent pairs (2i, 2i+1) by position · base^(-2i/headDim). */
function rope(x: Float64Array, heads: number, headDim: number, position: number, base: number): Float64Array {
  const y = Float64Array.from(x);
  for (let head = 0; head < heads; head++) {
    for (let i = 0; i < headDim / 2; i++) {
      const theta = position * Math.pow(base, (-2 * i) / headDim);
      const a = head * headDim + 2 * i;
      const x0 = x[a] as number;
      const x1 = x[a + 1] as number;
      y[a] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
      y[a + 1] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
    }
  }
  return y;
}

/**
 * The logits of the next token after `tokens` (BOS included when wanted), in float64.
 *
 * @example
 * const logits = referenceLogits(tiny, [tiny.bos, 300, 301]);
 */
export function referenceLogits(model: TinyLlama, tokens: readonly number[]): Float64Array {
  const { config, weights } = model;
  const n = config.embedding;
  const headDim = n / config.heads;
  const kvSize = headDim * config.kvHeads;
  const group = config.heads / config.kvHeads;
  let hidden = tokens.map((token) => Float64Array.from(weights.embed.subarray(token * n, (token + 1) * n)));
  for (const block of weights.blocks) {
    const keys: Float64Array[] = [];
    const values: Float64Array[] = [];
    const queries: Float64Array[] = [];
    hidden.forEach((x, position) => {
      const normed = rmsNorm(x, block.attnNorm, config.rmsEpsilon);
      queries.push(rope(matVec(block.q, normed, n), config.heads, headDim, position, config.ropeBase));
      keys.push(rope(matVec(block.k, normed, kvSize), config.kvHeads, headDim, position, config.ropeBase));
      values.push(matVec(block.v, normed, kvSize));
    });
    hidden = hidden.map((x, position) => {
      const attended = new Float64Array(n);
      for (let head = 0; head < config.heads; head++) {
        const kvHead = Math.floor(head / group);
        const scores: number[] = [];
        for (let past = 0; past <= position; past++) {
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += (queries[position]![head * headDim + d] as number) * (keys[past]![kvHead * headDim + d] as number);
          scores.push(dot / Math.sqrt(headDim));
        }
        const max = Math.max(...scores);
        const weightsOfPast = scores.map((score) => Math.exp(score - max));
        const total = weightsOfPast.reduce((a, b) => a + b, 0);
        for (let past = 0; past <= position; past++) {
          for (let d = 0; d < headDim; d++) attended[head * headDim + d]! += ((weightsOfPast[past] as number) / total) * (values[past]![kvHead * headDim + d] as number);
        }
      }
      const afterAttention = matVec(block.o, attended, n).map((value, i) => value + (x[i] as number));
      const normed = rmsNorm(afterAttention, block.ffnNorm, config.rmsEpsilon);
      const gate = matVec(block.gate, normed, config.feedForward);
      const up = matVec(block.up, normed, config.feedForward);
      const activated = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] as number));
      return matVec(block.down, activated, n).map((value, i) => value + (afterAttention[i] as number));
    });
  }
  const final = rmsNorm(hidden[hidden.length - 1] as Float64Array, weights.outputNorm, config.rmsEpsilon);
  return matVec(weights.output, final, config.vocabSize);
}

/**
 * Log-softmax in float64.
 *
 * @example
 * logSoftmax(Float64Array.of(0, 0)); // [-0.693..., -0.693...]
 */
export function logSoftmax(logits: Float64Array): Float64Array {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  let total = 0;
  for (const value of logits) total += Math.exp(value - max);
  const logTotal = max + Math.log(total);
  return logits.map((value) => value - logTotal);
}
