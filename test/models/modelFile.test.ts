import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knobsCacheDirectory } from '../../src/models/cacheDirectory.js';
import { ModelFileError, readModelFile, writeModelFile } from '../../src/models/modelFile.js';

const fingerprint = { model: 'test', version: 1 };
const arrays = { a: Uint32Array.of(1, 2, 3), b: Int32Array.of(-5), c: Float64Array.of(0.25, Math.PI) };

function problem(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ModelFileError) return error.problem;
    throw error;
  }
  return undefined;
}

describe('model files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'knobs-model-file-'));

  it('round-trip typed arrays, header and meta; leave no temporary file', () => {
    const path = join(directory, 'sub', 'model.bin');
    const bytes = writeModelFile(path, { fingerprint, meta: { note: 'hi' } }, arrays);
    const file = readModelFile(path, fingerprint);
    expect(file.bytes).toBe(bytes);
    expect(file.header.meta).toEqual({ note: 'hi' });
    expect(Array.from(file.arrays.a!)).toEqual([1, 2, 3]);
    expect(Array.from(file.arrays.b!)).toEqual([-5]);
    expect(Array.from(file.arrays.c!)).toEqual([0.25, Math.PI]);
    expect(file.arrays.c).toBeInstanceOf(Float64Array);
    expect(readdirSync(join(directory, 'sub'))).toEqual(['model.bin']);
  });

  it('reject a missing file, another fingerprint, a flipped byte, a truncated file', () => {
    const path = join(directory, 'model.bin');
    writeModelFile(path, { fingerprint, meta: {} }, arrays);
    const good = readFileSync(path);
    expect(problem(() => readModelFile(join(directory, 'nope.bin'), fingerprint))).toBe('missing');
    expect(problem(() => readModelFile(path, { ...fingerprint, version: 2 }))).toBe('stale');
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 1;
    writeFileSync(path, flipped);
    expect(problem(() => readModelFile(path, fingerprint))).toBe('corrupt');
    writeFileSync(path, good.subarray(0, good.length - 8));
    expect(problem(() => readModelFile(path, fingerprint))).toBe('corrupt');
    writeFileSync(path, 'not a model');
    expect(problem(() => readModelFile(path, fingerprint))).toBe('corrupt');
    writeFileSync(path, good);
    expect(problem(() => readModelFile(path, fingerprint))).toBeUndefined();
  });
});

describe('knobsCacheDirectory', () => {
  it('KNOBS_CACHE_DIR, then XDG_CACHE_HOME, then the platform default', () => {
    expect(knobsCacheDirectory({ KNOBS_CACHE_DIR: '/x', XDG_CACHE_HOME: '/y' }, 'linux')).toBe('/x');
    expect(knobsCacheDirectory({ XDG_CACHE_HOME: '/y' }, 'linux')).toBe(join('/y', 'creativity-knobs'));
    expect(knobsCacheDirectory({ HOME: '/home/u' }, 'linux')).toBe(join('/home/u', '.cache', 'creativity-knobs'));
    expect(knobsCacheDirectory({ HOME: '/Users/u' }, 'darwin')).toBe(join('/Users/u', 'Library', 'Caches', 'creativity-knobs'));
  });
});
