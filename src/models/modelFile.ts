import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { KnobsError } from '../core/errors.js';

/** The typed arrays a model file can hold. */
export type StoredArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** Type codes of the section table (stable: they are written in files). */
const TYPES = [undefined, Uint8Array, Uint32Array, Int32Array, Float64Array, Uint16Array] as const;
type StoredConstructor = Exclude<(typeof TYPES)[number], undefined>;

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

/** Version of the layout below; a file of another version is `stale`. */
export const MODEL_FILE_FORMAT = 2;

const MAGIC = Buffer.from('KNOBSLM\n', 'latin1');
const FIXED = 32;
const ENTRY = 32;
const NAME_BYTES = 16;
const ALIGN = 64;
const align = (value: number): number => Math.ceil(value / ALIGN) * ALIGN;

interface Section {
  readonly name: string;
  readonly type: StoredConstructor;
  readonly length: number;
  readonly offset: number;
  readonly byteLength: number;
  readonly crc: number;
}

/*
 * Layout (little-endian), read without parsing anything but a small JSON header:
 *
 *   0   8 bytes  magic `KNOBSLM\n`
 *   8   uint32   format version (MODEL_FILE_FORMAT)
 *   12  uint32   header length H: the fixed part, the section table and the JSON
 *   16  uint32   number of sections n
 *   20  uint32   JSON length J
 *   24  uint32   CRC-32 of the header's H bytes, read with this field as 0
 *   28  uint32   0
 *   32  n × 32   section table: name (16 bytes, ASCII, zero-padded), type code, length in
 *                elements, byte offset in the file, CRC-32 of the section's bytes
 *   32 + 32n     J bytes of JSON: { fingerprint, meta }
 *   then the sections in table order, each at a multiple of 64 bytes (zero padding
 *   between), so that every typed array is a view on its own aligned buffer; the file
 *   ends where the last section ends.
 *
 * Corruption check: CRC-32 of the header and of every section, i.e. of every byte but the
 * zero padding. On the
 * ~41 MB embedded model, on a 2-core machine: node's zlib CRC-32 takes ~6 ms, SHA-256
 * ~62 ms (what format 1 used), SHA-1 ~19 ms, a JavaScript FNV pass ~15 ms. A cache file
 * is damaged by accident (a write cut short, a flipped bit), not by an adversary (who
 * could as well write a matching SHA-256), so CRC-32 over every byte — it catches every
 * truncation and every error burst up to 32 bits — gives full coverage at a tenth of the
 * cost; a sampled hash would be cheaper still but would leave most bytes unchecked.
 */

/**
 * Writes a model file atomically: a temporary file in the same directory, flushed, then
 * renamed over `path`, so readers see the old file or the new one, never half of one.
 * Returns the file's size in bytes. Array names are ASCII, at most 16 bytes.
 *
 * @example
 * writeModelFile('/tmp/m.bin', { fingerprint: { v: 1 }, meta: {} }, { counts: Uint32Array.of(3, 1) });
 */
export function writeModelFile(path: string, header: ModelFileHeader, arrays: Readonly<Record<string, StoredArray>>): number {
  const json = Buffer.from(JSON.stringify({ fingerprint: header.fingerprint, meta: header.meta }), 'utf8');
  const names = Object.keys(arrays);
  const headerLength = FIXED + ENTRY * names.length + json.length;
  const head = Buffer.alloc(headerLength);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(MODEL_FILE_FORMAT, 8);
  head.writeUInt32LE(headerLength, 12);
  head.writeUInt32LE(names.length, 16);
  head.writeUInt32LE(json.length, 20);
  let offset = align(headerLength);
  let size = headerLength;
  const chunks: { offset: number; bytes: Uint8Array }[] = [];
  names.forEach((name, index) => {
    const array = arrays[name] as StoredArray;
    const code = TYPES.indexOf(array.constructor as StoredConstructor);
    if (code < 1) throw new TypeError(`model file array ${name}: ${array.constructor.name} cannot be stored`);
    if (!/^[\x21-\x7e]{1,16}$/.test(name)) throw new TypeError(`model file array name ${JSON.stringify(name)}: expected 1 to ${NAME_BYTES} printable ASCII characters`);
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    if (offset + bytes.length > 0xffffffff) throw new RangeError(`model file ${path} would exceed 4 GiB`);
    const entry = FIXED + ENTRY * index;
    head.write(name, entry, 'latin1');
    head.writeUInt32LE(code, entry + 16);
    head.writeUInt32LE(array.length, entry + 20);
    head.writeUInt32LE(offset, entry + 24);
    head.writeUInt32LE(crc32(bytes), entry + 28);
    chunks.push({ offset, bytes });
    size = offset + bytes.length;
    offset = align(size);
  });
  json.copy(head, FIXED + ENTRY * names.length);
  head.writeUInt32LE(crc32(head), 24);

  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, head, 0, head.length, 0);
      for (const chunk of chunks) writeSync(fd, chunk.bytes, 0, chunk.bytes.length, chunk.offset);
      ftruncateSync(fd, size); // the padding before a last empty array
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return size;
}

/** A model file whose header is read and verified. */
export interface ModelFile {
  readonly header: ModelFileHeader;
  /**
   * The arrays by name, each in its own aligned buffer and checked against its CRC-32.
   * Arrays named by `lazy` are read (and checked) on first access, from the same path:
   * such a read throws `ModelFileError` (`corrupt`) if the file no longer holds them.
   */
  readonly arrays: Readonly<Record<string, StoredArray>>;
  /** The length (in elements) of every array, from the section table: known before a lazy array is read. */
  readonly lengths: Readonly<Record<string, number>>;
  /** Size of the file in bytes. */
  readonly bytes: number;
}

/** Options of `readModelFile`. */
export interface ReadModelFileOptions {
  /** Arrays to read only when first used (default: none, every array is read now). */
  readonly lazy?: (name: string) => boolean;
}

/**
 * Reads a model file and verifies it: the magic bytes, the format version and the exact
 * fingerprint (else `stale`), the header's CRC-32, the section table against the file's
 * size and every array's CRC-32 (else `corrupt`). Throws `ModelFileError`.
 *
 * @example
 * const file = readModelFile('/tmp/m.bin', { v: 1 });
 * file.arrays.counts; // Uint32Array [3, 1]
 */
export function readModelFile(path: string, fingerprint: Readonly<Record<string, string | number>>, options: ReadModelFileOptions = {}): ModelFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ModelFileError('missing', path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  try {
    const size = fstatSync(fd).size;
    const fixed = Buffer.alloc(FIXED);
    if (size < FIXED || readFully(fd, fixed, 0) < FIXED || !fixed.subarray(0, 8).equals(MAGIC)) throw new ModelFileError('corrupt', path, 'not a creativity-knobs model file');
    const format = fixed.readUInt32LE(8);
    if (format !== MODEL_FILE_FORMAT) throw new ModelFileError('stale', path, `format ${format}, expected ${MODEL_FILE_FORMAT}`);
    const headerLength = fixed.readUInt32LE(12);
    const count = fixed.readUInt32LE(16);
    const jsonLength = fixed.readUInt32LE(20);
    if (headerLength > size || headerLength !== FIXED + ENTRY * count + jsonLength) throw new ModelFileError('corrupt', path, 'truncated or inconsistent header');
    const head = Buffer.alloc(headerLength);
    if (readFully(fd, head, 0) < headerLength) throw new ModelFileError('corrupt', path, 'truncated header');
    const storedCrc = head.readUInt32LE(24);
    head.writeUInt32LE(0, 24);
    if (crc32(head) !== storedCrc) throw new ModelFileError('corrupt', path, 'header checksum mismatch');
    let parsed: ModelFileHeader;
    try {
      parsed = JSON.parse(head.toString('utf8', FIXED + ENTRY * count)) as ModelFileHeader;
    } catch {
      throw new ModelFileError('corrupt', path, 'unreadable header');
    }
    if (JSON.stringify(parsed.fingerprint) !== JSON.stringify(fingerprint)) {
      throw new ModelFileError('stale', path, `built for ${JSON.stringify(parsed.fingerprint)}, expected ${JSON.stringify(fingerprint)}`);
    }
    const sections = sectionTable(head, count, path);
    let end = headerLength;
    for (const section of sections) {
      if (section.offset < align(end) || section.offset % ALIGN !== 0) throw new ModelFileError('corrupt', path, `section ${section.name} overlaps or is misaligned`);
      end = section.offset + section.byteLength;
    }
    if (end !== size) throw new ModelFileError('corrupt', path, `${size} bytes, expected ${end}`);
    const arrays: Record<string, StoredArray> = {};
    const lengths: Record<string, number> = {};
    for (const section of sections) {
      lengths[section.name] = section.length;
      if (options.lazy?.(section.name)) {
        let value: StoredArray | undefined;
        Object.defineProperty(arrays, section.name, { enumerable: true, get: () => (value ??= readSectionAgain(path, section)) });
      } else {
        arrays[section.name] = readSection(fd, section, path);
      }
    }
    return { header: { fingerprint: parsed.fingerprint, meta: parsed.meta }, arrays, lengths, bytes: size };
  } finally {
    closeSync(fd);
  }
}

function sectionTable(head: Buffer, count: number, path: string): Section[] {
  const sections: Section[] = [];
  for (let index = 0; index < count; index++) {
    const entry = FIXED + ENTRY * index;
    const name = head.toString('latin1', entry, entry + NAME_BYTES).replace(/\0+$/, '');
    const type = TYPES[head.readUInt32LE(entry + 16)];
    if (type === undefined || name === '') throw new ModelFileError('corrupt', path, `bad section entry ${index}`);
    const length = head.readUInt32LE(entry + 20);
    sections.push({ name, type, length, offset: head.readUInt32LE(entry + 24), byteLength: length * type.BYTES_PER_ELEMENT, crc: head.readUInt32LE(entry + 28) });
  }
  return sections;
}

/** Reads until `buffer` is full or the file ends; returns the bytes read. */
function readFully(fd: number, buffer: Uint8Array, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const read = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

function readSection(fd: number, section: Section, path: string): StoredArray {
  const bytes = new Uint8Array(section.byteLength);
  if (readFully(fd, bytes, section.offset) < section.byteLength) throw new ModelFileError('corrupt', path, `section ${section.name} is truncated`);
  if (crc32(bytes) !== section.crc) throw new ModelFileError('corrupt', path, `section ${section.name}: checksum mismatch`);
  return new section.type(bytes.buffer, 0, section.length);
}

function readSectionAgain(path: string, section: Section): StoredArray {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ModelFileError('corrupt', path, `section ${section.name} cannot be read any more (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return readSection(fd, section, path);
  } finally {
    closeSync(fd);
  }
}
