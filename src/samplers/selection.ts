import { expf } from '../core/expf.js';
import type { Candidates } from './candidates.js';

/**
 * Small selection helpers shared by the samplers, built only on the public fields of
 * `Candidates`. None of them allocates: scratch arrays are passed in by the caller, which
 * allocates them once per vocabulary size (see `scratchFloat64`, `scratchInt32`).
 */

/** A reusable `Float64Array` of at least `size` entries (a new one only when too small). */
export function scratchFloat64(current: Float64Array | undefined, size: number): Float64Array {
  return current !== undefined && current.length >= size ? current : new Float64Array(size);
}

/** A reusable `Int32Array` of at least `size` entries (a new one only when too small). */
export function scratchInt32(current: Int32Array | undefined, size: number): Int32Array {
  return current !== undefined && current.length >= size ? current : new Int32Array(size);
}

/** A reusable `Float32Array` of at least `size` entries (a new one only when too small). */
export function scratchFloat32(current: Float32Array | undefined, size: number): Float32Array {
  return current !== undefined && current.length >= size ? current : new Float32Array(size);
}

/**
 * Keeps the live candidates for which `keep(id)` is true, in their current order. At least
 * one candidate must survive; the caller guarantees it. Returns the number kept.
 */
export function compactLive(candidates: Candidates, keep: (id: number) => boolean): number {
  const ids = candidates.ids;
  const size = candidates.size;
  let write = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    if (keep(id)) ids[write++] = id;
  }
  candidates.size = write;
  if (candidates.order === 'descending' && write < size) candidates.order = 'any';
  return write;
}

/**
 * Fills `probs[id]` (indexed by token id) with the softmax of the live logits in float64 and
 * returns the entropy in nats. Live ids only; other entries are left as they were.
 */
export function softmaxById(candidates: Candidates, probs: Float64Array): number {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const weight = Math.exp((logits[id] as number) - max);
    probs[id] = weight;
    sum += weight;
  }
  let entropy = 0;
  const inverse = 1 / sum;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const p = (probs[id] as number) * inverse;
    probs[id] = p;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return entropy;
}

/**
 * Like `softmaxById` but rounds the way a float32 implementation does (llama.cpp's
 * `llama_sampler_softmax_impl`, PyTorch's float32 softmax): each weight `expf(l - max)` and
 * the running sum are float32, and so is each quotient. The sum runs in the current order
 * of the candidates, as llama.cpp's does.
 */
export function softmaxByIdFloat32(candidates: Candidates, probs: Float64Array): void {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const weight = expf((logits[id] as number) - max);
    probs[id] = weight;
    sum = Math.fround(sum + weight);
  }
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    probs[id] = Math.fround((probs[id] as number) / sum);
  }
}

/** A reusable `Uint8Array` of at least `size` entries, all zero (a new one only when too small). */
export function scratchUint8(current: Uint8Array | undefined, size: number): Uint8Array {
  return current !== undefined && current.length >= size ? current : new Uint8Array(size);
}

/**
 * Removes the live candidates flagged (non-zero) in `flags`, indexed by token id, keeping
 * their order; the caller clears the flags afterwards. Returns the number kept. When nothing
 * would survive, nothing is removed and 0 is returned.
 */
export function compactLiveFlags(candidates: Candidates, flags: Uint8Array): number {
  const ids = candidates.ids;
  const size = candidates.size;
  let survivors = 0;
  for (let i = 0; i < size; i++) if ((flags[ids[i] as number] as number) === 0) survivors++;
  if (survivors === 0) return 0;
  let write = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    if ((flags[id] as number) === 0) ids[write++] = id;
  }
  candidates.size = write;
  return write;
}

/** Entropy in nats of the softmax of the live logits. */
export function liveEntropy(candidates: Candidates): number {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < size; i++) {
    const shifted = (logits[ids[i] as number] as number) - max;
    const weight = Math.exp(shifted);
    sum += weight;
    weighted += weight * shifted;
  }
  // H = log Σ e^s − (Σ s e^s) / Σ e^s, with s = logit − max.
  return Math.log(sum) - weighted / sum;
}
