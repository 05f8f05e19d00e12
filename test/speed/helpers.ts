import { expect } from 'vitest';
import { createSampler, type KnobsSampler } from '../../src/samplers/chain.js';
import type { ChainSpec } from '../../src/samplers/spec.js';

/** mulberry32: a tiny seeded generator for test data. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Zipf-shaped logits: token ranks shuffled by `seed`, logit `3 - a·ln(rank)`. With
 * a = 1.5379 the top probability is 0.58 at temperature 0.8 (the benchmark's rows).
 */
export function zipfLogits(size: number, seed: number, a = 1.5379452457782972): Float32Array {
  const random = mulberry32(seed);
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const logits = new Float32Array(size);
  for (let i = 0; i < size; i++) logits[order[i] as number] = 3 - a * Math.log(i + 1);
  return logits;
}

const F32 = new Float32Array(2);
const I32 = new Int32Array(F32.buffer);

/** Distance in float32 ulps between two non-negative float32 values. */
export function ulpDistance(a: number, b: number): number {
  F32[0] = a;
  F32[1] = b;
  return Math.abs((I32[0] as number) - (I32[1] as number));
}

export type Kind = 'wasm' | 'ts';

/** The reference sampler and the fast ones (both kernels, fast path from any size). */
export function samplers(chain: ChainSpec | string, engine: string, seed: number): { reference: KnobsSampler; fast: Record<Kind, KnobsSampler> } | null {
  try {
    return {
      reference: createSampler(chain, { engine, seed, kernel: 'reference' }),
      fast: {
        wasm: createSampler(chain, { engine, seed, kernel: 'wasm', fastFrom: 0 }),
        ts: createSampler(chain, { engine, seed, kernel: 'ts', fastFrom: 0 }),
      },
    };
  } catch {
    return null; // the chain is not valid under this engine
  }
}

function outcome<T>(run: () => T): { value?: T; error?: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/**
 * Asserts that the fast samplers give the reference's distribution (same kept set,
 * probabilities within 2 float32 ulps) and the same `draws` tokens, or the same error.
 */
export function expectSameAsReference(set: { reference: KnobsSampler; fast: Record<Kind, KnobsSampler> }, logits: ArrayLike<number>, draws = 8, label = ''): void {
  const expected = outcome(() => set.reference.distribution(logits));
  const expectedDraws = outcome(() => Array.from({ length: draws }, () => set.reference.sample(logits)));
  for (const kind of ['wasm', 'ts'] as const) {
    const fast = set.fast[kind];
    const actual = outcome(() => fast.distribution(logits));
    if (expected.error !== undefined || actual.error !== undefined) {
      expect(actual.error, `${label} ${kind}`).toBe(expected.error);
    } else {
      const a = expected.value as Float32Array;
      const b = actual.value as Float32Array;
      for (let i = 0; i < a.length; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        if ((x === 0) !== (y === 0) || ulpDistance(x, y) > 2) {
          expect({ label, kind, id: i, fast: y }).toEqual({ label, kind, id: i, fast: x });
        }
      }
    }
    const actualDraws = outcome(() => Array.from({ length: draws }, () => fast.sample(logits)));
    expect(actualDraws, `${label} ${kind} draws`).toEqual(expectedDraws);
  }
}
