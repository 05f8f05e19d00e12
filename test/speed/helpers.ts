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

/**
 * A row shaped like a real next-token row of an n-gram model: most ids share a few hundred
 * values (backed-off estimates), a few stand out; `distinct` values in all.
 */
export function tiedLogits(size: number, seed: number, distinct = 400): Float32Array {
  const random = mulberry32(seed);
  const levels = new Float32Array(distinct);
  for (let i = 0; i < distinct; i++) levels[i] = -1.5 - 14.5 * Math.pow(random(), 0.35);
  const row = new Float32Array(size);
  for (let i = 0; i < size; i++) row[i] = levels[Math.floor(Math.pow(random(), 3) * distinct)] as number;
  return row;
}

export type Kind = 'wasm' | 'ts';

/** The reference sampler and the fast ones (both kernels, fast path for every size). */
export function samplers(chain: ChainSpec | string, engine: string, seed: number): { reference: KnobsSampler; fast: Record<Kind, KnobsSampler> } | null {
  try {
    return {
      reference: createSampler(chain, { engine, seed, fast: 'off' }),
      fast: {
        wasm: createSampler(chain, { engine, seed, fast: 'force', kernel: 'wasm' }),
        ts: createSampler(chain, { engine, seed, fast: 'force', kernel: 'ts' }),
      },
    };
  } catch {
    return null; // the chain is not valid under this engine, or has no fast path there
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
 * Asserts that the fast samplers give the reference's results bit for bit: the same kept set,
 * the same probabilities and the same `draws` tokens for the same seed, or the same error.
 */
export function expectSameAsReference(set: { reference: KnobsSampler; fast: Record<Kind, KnobsSampler> }, logits: ArrayLike<number>, draws = 8, label = '', kinds: readonly Kind[] = ['wasm', 'ts']): void {
  const keptReference = new Uint8Array(logits.length);
  const expected = outcome(() => set.reference.distribution(logits, undefined, keptReference));
  const expectedDraws = outcome(() => Array.from({ length: draws }, () => set.reference.sample(logits)));
  for (const kind of kinds) {
    const fast = set.fast[kind];
    const kept = new Uint8Array(logits.length);
    const actual = outcome(() => fast.distribution(logits, undefined, kept));
    if (expected.error !== undefined || actual.error !== undefined) {
      expect(actual.error, `${label} ${kind}`).toBe(expected.error);
    } else {
      const a = expected.value as Float32Array;
      const b = actual.value as Float32Array;
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i] || kept[i] !== keptReference[i]) {
          expect({ label, kind, id: i, fast: b[i], kept: kept[i] }).toEqual({ label, kind, id: i, fast: a[i], kept: keptReference[i] });
        }
      }
    }
    const actualDraws = outcome(() => Array.from({ length: draws }, () => fast.sample(logits)));
    expect(actualDraws, `${label} ${kind} draws`).toEqual(expectedDraws);
  }
}
