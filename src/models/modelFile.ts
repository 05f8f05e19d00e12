import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { KnobsError } from '../core/errors.js';

/** The typed arrays a model file can hold. */
export type StoredArray = Uint32Array | Int32Array | Float64Array;

const CONSTRUCTORS = { Uint32Array, Int32Array, Float64Array } as const;
type StoredType = keyof typeof CONSTRUCTORS;

/** Why a cached model file cannot be used. */
export type ModelFileProblem = 'missing' | 'stale' | 'corrupt';

/** A cached model file that is missing, from another version, or damaged; it is rebuilt, never trusted. */
export class ModelFileError extends KnobsError {
  override name = 'ModelFileError';
  constructor(
    readonly problem: ModelFileProblem,
    readonly path: string,
    detail: string,
  ) {
    super(`model file ${path} is ${problem}: ${detail}`);
  }
}

/** The header of a model file (JSON). */
export interface ModelFileHeader {
  /** Must equal the reader's fingerprint exactly, or the file is stale. */
  readonly fingerprint: Readonly<Record<string, string | number>>;
  /** Anything else worth keeping (sizes, build time, discounts...). */
  readonly meta: Readonly<Record<string, unknown>>;
}

interface ArrayEntry {
  name: string;
  type: StoredType;
  offset: number;
  length: number;
}

const MAGIC = Buffer.from('KNOBSLM\n', 'latin1');
const align8 = (value: number): number => Math.ceil(value / 8) * 8;

/**
 * Writes a model file atomically: a temporary file in the same directory, flushed, then
 * renamed over `path`, so readers see the old file or the new one, never half of one.
 *
 * Layout: the 8 bytes `KNOBSLM\n`; a little-endian uint32 n; n bytes of JSON header
 * (fingerprint, meta, the name, type, offset and length of every array, the data length and
 * its SHA-256); zero padding to a multiple of 8; then the arrays' bytes (little-endian),
 * each starting at a multiple of 8 from the start of the data.
 */
export function writeModelFile(path: string, header: ModelFileHeader, arrays: Readonly<Record<string, StoredArray>>): number {
  const entries: ArrayEntry[] = [];
  let dataBytes = 0;
  for (const [name, array] of Object.entries(arrays)) {
    entries.push({ name, type: array.constructor.name as StoredType, offset: dataBytes, length: array.length });
    dataBytes = align8(dataBytes + array.byteLength);
  }
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let written = 0;
  for (const [index, array] of Object.values(arrays).entries()) {
    const entry = entries[index] as ArrayEntry;
    if (written < entry.offset) chunks.push(new Uint8Array(entry.offset - written));
    chunks.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    written = entry.offset + array.byteLength;
  }
  if (written < dataBytes) chunks.push(new Uint8Array(dataBytes - written));
  for (const chunk of chunks) hash.update(chunk);
  const json = Buffer.from(JSON.stringify({ format: 1, ...header, arrays: entries, dataBytes, sha256: hash.digest('hex') }), 'utf8');
  const prefix = Buffer.alloc(align8(12 + json.length));
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(json.length, 8);
  json.copy(prefix, 12);

  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, prefix);
      for (const chunk of chunks) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return prefix.length + dataBytes;
}

/** A model file read and verified. */
export interface ModelFile {
  readonly header: ModelFileHeader;
  readonly arrays: Readonly<Record<string, StoredArray>>;
  /** Size of the file in bytes. */
  readonly bytes: number;
}

/**
 * Reads a model file in one read and verifies it: the magic bytes, the header, the exact
 * fingerprint (else `stale`), the length and the SHA-256 of the data (else `corrupt`). The
 * arrays are views on the file's bytes, not copies. Throws `ModelFileError`.
 */
export function readModelFile(path: string, fingerprint: Readonly<Record<string, string | number>>): ModelFile {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    throw new ModelFileError('missing', path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  if (file.length < 12 || !file.subarray(0, 8).equals(MAGIC)) throw new ModelFileError('corrupt', path, 'not a creativity-knobs model file');
  const headerLength = file.readUInt32LE(8);
  if (12 + headerLength > file.length) throw new ModelFileError('corrupt', path, 'truncated header');
  let parsed: ModelFileHeader & { format: number; arrays: ArrayEntry[]; dataBytes: number; sha256: string };
  try {
    parsed = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as typeof parsed;
  } catch {
    throw new ModelFileError('corrupt', path, 'unreadable header');
  }
  if (parsed.format !== 1 || JSON.stringify(parsed.fingerprint) !== JSON.stringify(fingerprint)) {
    throw new ModelFileError('stale', path, `built for ${JSON.stringify(parsed.fingerprint)}, expected ${JSON.stringify(fingerprint)}`);
  }
  const start = align8(12 + headerLength);
  if (file.length !== start + parsed.dataBytes) throw new ModelFileError('corrupt', path, `${file.length} bytes, expected ${start + parsed.dataBytes}`);
  const data = file.subarray(start);
  if (createHash('sha256').update(data).digest('hex') !== parsed.sha256) throw new ModelFileError('corrupt', path, 'checksum mismatch');
  // Typed-array views need aligned offsets; copy once if the buffer is not 8-byte aligned.
  let aligned: Uint8Array = data;
  if (data.byteOffset % 8 !== 0) {
    aligned = new Uint8Array(data.length);
    aligned.set(data);
  }
  const arrays: Record<string, StoredArray> = {};
  for (const entry of parsed.arrays) {
    const Type = CONSTRUCTORS[entry.type];
    if (!Type || entry.offset % 8 !== 0 || entry.offset + entry.length * Type.BYTES_PER_ELEMENT > parsed.dataBytes) {
      throw new ModelFileError('corrupt', path, `bad array entry ${JSON.stringify(entry)}`);
    }
    arrays[entry.name] = new Type(aligned.buffer as ArrayBuffer, aligned.byteOffset + entry.offset, entry.length);
  }
  return { header: { fingerprint: parsed.fingerprint, meta: parsed.meta }, arrays, bytes: file.length };
}
