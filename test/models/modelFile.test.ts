import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { knobsCacheDirectory } from '../../src/models/cacheDirectory.js';
import { MODEL_FILE_FORMAT, ModelFileError, readModelFile, writeModelFile } from '../../src/models/modelFile.js';

const fingerprint = { model: 'test', version: 1 };
const arrays = { a: Uint32Array.of(1, 2, 3), b: Int32Array.of(-5), c: Float64Array.of(0.25, Math.PI), bytes: Uint8Array.of(7, 0, 255), empty: new Uint32Array(0) };

function problem(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ModelFileError) return error.problem;
    throw error;
  }
  return undefined;
}

/** A copy of `good` with `edit` applied. */
function edited(good: Buffer, edit: (bytes: Buffer) => void): Buffer {
  const bytes = Buffer.from(good);
  edit(bytes);
  return bytes;
}

describe('model files (format 2: typed-array sections behind a small header)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'knobs-model-file-'));

  it('round-trip typed arrays, header and meta; leave no temporary file', () => {
    const path = join(directory, 'sub', 'model.bin');
    const bytes = writeModelFile(path, { fingerprint, meta: { note: 'hi' } }, arrays);
    expect(statSync(path).size).toBe(bytes);
    const file = readModelFile(path, fingerprint);
    expect(file.bytes).toBe(bytes);
    expect(file.header).toEqual({ fingerprint, meta: { note: 'hi' } });
    expect(Array.from(file.arrays.a!)).toEqual([1, 2, 3]);
    expect(Array.from(file.arrays.b!)).toEqual([-5]);
    expect(Array.from(file.arrays.c!)).toEqual([0.25, Math.PI]);
    expect(Array.from(file.arrays.bytes!)).toEqual([7, 0, 255]);
    expect(file.arrays.empty).toHaveLength(0);
    for (const [name, array] of Object.entries(arrays)) expect(file.arrays[name]!.constructor).toBe(array.constructor);
    expect(file.lengths).toEqual({ a: 3, b: 1, c: 2, bytes: 3, empty: 0 });
    expect(readdirSync(join(directory, 'sub'))).toEqual(['model.bin']);
  });

  it('lays the header out as documented: magic, format, lengths, a CRC-32 of the header, sections at multiples of 64', () => {
    const path = join(directory, 'layout.bin');
    writeModelFile(path, { fingerprint, meta: {} }, { a: Uint32Array.of(1, 2, 3), c: Float64Array.of(0.5) });
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('KNOBSLM\n');
    expect(bytes.readUInt32LE(8)).toBe(MODEL_FILE_FORMAT);
    const headerLength = bytes.readUInt32LE(12);
    expect(bytes.readUInt32LE(16)).toBe(2);
    const json = JSON.stringify({ fingerprint, meta: {} });
    expect(bytes.readUInt32LE(20)).toBe(json.length);
    expect(headerLength).toBe(32 + 2 * 32 + json.length);
    const header = Buffer.from(bytes.subarray(0, headerLength));
    header.writeUInt32LE(0, 24);
    expect(bytes.readUInt32LE(24)).toBe(crc32(header));
    // Section a: name, type code 2 (Uint32Array), 3 elements, at offset 192 (the header rounded up to 64), CRC-32 of its 12 bytes.
    expect(bytes.toString('latin1', 32, 48).replace(/\0+$/, '')).toBe('a');
    expect([bytes.readUInt32LE(48), bytes.readUInt32LE(52), bytes.readUInt32LE(56)]).toEqual([2, 3, Math.ceil(headerLength / 64) * 64]);
    const offset = bytes.readUInt32LE(56);
    expect(Array.from(new Uint32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 12)))).toEqual([1, 2, 3]);
    expect(bytes.readUInt32LE(60)).toBe(crc32(bytes.subarray(offset, offset + 12)));
    expect(bytes.readUInt32LE(32 + 32 + 24) % 64).toBe(0);
    expect(bytes.length).toBe(bytes.readUInt32LE(32 + 32 + 24) + 8);
  });

  it('a missing file is missing; another fingerprint or another format is stale', () => {
    const path = join(directory, 'stale.bin');
    writeModelFile(path, { fingerprint, meta: {} }, arrays);
    const good = readFileSync(path);
    expect(problem(() => readModelFile(join(directory, 'nope.bin'), fingerprint))).toBe('missing');
    expect(problem(() => readModelFile(path, { ...fingerprint, version: 2 }))).toBe('stale');
    writeFileSync(path, edited(good, (bytes) => bytes.writeUInt32LE(1, 8)));
    expect(problem(() => readModelFile(path, fingerprint))).toBe('stale');
    // A format-1 file: magic, then the JSON header's length.
    const json = Buffer.from(JSON.stringify({ format: 1, fingerprint }));
    const prefix = Buffer.alloc(12);
    Buffer.from('KNOBSLM\n', 'latin1').copy(prefix);
    prefix.writeUInt32LE(json.length, 8);
    writeFileSync(path, Buffer.concat([prefix, json]));
    expect(problem(() => readModelFile(path, fingerprint))).toBe('stale');
  });

  it('a flipped bit anywhere in the header or the data, a truncated or extended file, or garbage is corrupt', () => {
    const path = join(directory, 'corrupt.bin');
    writeModelFile(path, { fingerprint, meta: { note: 'x' } }, arrays);
    const good = readFileSync(path);
    const headerLength = good.readUInt32LE(12);
    const sectionOffset = (index: number): number => good.readUInt32LE(32 + 32 * index + 24);
    // Fixed header, section table, JSON; the first byte of a, b and c, the last byte of `bytes` (section 3, 3 bytes).
    const flips = [13, 17, 40, 60, headerLength - 3, sectionOffset(0), sectionOffset(1), sectionOffset(2) + 15, sectionOffset(3) + 2];
    for (const at of flips) {
      writeFileSync(path, edited(good, (bytes) => (bytes[at] = (bytes[at] as number) ^ 1)));
      expect(problem(() => readModelFile(path, fingerprint)), `byte ${at}`).toBe('corrupt');
    }
    for (const bytes of [good.subarray(0, good.length - 8), good.subarray(0, headerLength), good.subarray(0, 20), Buffer.concat([good, Buffer.alloc(8)]), Buffer.from('not a model')]) {
      writeFileSync(path, bytes);
      expect(problem(() => readModelFile(path, fingerprint))).toBe('corrupt');
    }
    writeFileSync(path, good);
    expect(problem(() => readModelFile(path, fingerprint))).toBeUndefined();
  });

  it('reads lazy arrays on first use, checked then: a damaged one throws corrupt', () => {
    const path = join(directory, 'lazy.bin');
    writeModelFile(path, { fingerprint, meta: {} }, arrays);
    const good = readFileSync(path);
    const lazy = readModelFile(path, fingerprint, { lazy: (name) => name === 'c' });
    expect(lazy.lengths.c).toBe(2);
    expect(Array.from(lazy.arrays.c!)).toEqual([0.25, Math.PI]);
    const offsetOfC = good.readUInt32LE(32 + 2 * 32 + 24);
    const damaged = readModelFile(path, fingerprint, { lazy: (name) => name === 'c' });
    writeFileSync(path, edited(good, (bytes) => (bytes[offsetOfC] = (bytes[offsetOfC] as number) ^ 0x80)));
    expect(Array.from(damaged.arrays.a!)).toEqual([1, 2, 3]);
    expect(problem(() => damaged.arrays.c)).toBe('corrupt');
  });

  it('refuses array names it cannot store', () => {
    expect(() => writeModelFile(join(directory, 'bad.bin'), { fingerprint, meta: {} }, { 'a-name-longer-than-16': Uint8Array.of(1) })).toThrow(/1 to 16 printable ASCII/);
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
