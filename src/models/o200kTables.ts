import { O200K_VOCAB_SIZE } from './o200kVocabulary.js';

/**
 * The o200k_base vocabulary as flat typed arrays, taken once from gpt-tokenizer (when the
 * embedded model is built) and stored in its cache file, so that a process that reads the
 * cache can encode and decode without loading gpt-tokenizer (whose tables take ~0.35 s to
 * load): see `o200kTokenizer`.
 */
export interface O200kTables {
  /** The bytes of every id, concatenated: id i is `bytes[byteOffsets[i] … byteOffsets[i + 1] − 1]` (empty for 199998). */
  readonly bytes: Uint8Array;
  /** Length O200K_VOCAB_SIZE + 1. */
  readonly byteOffsets: Uint32Array;
  /** UTF-8 of every id's `tokenString` (its text, or `\xNN` escapes), concatenated. */
  readonly text: Uint8Array;
  /** Offsets of each id's text in UTF-16 code units of the decoded `text` (length O200K_VOCAB_SIZE + 1). */
  readonly textOffsets: Uint32Array;
  /**
   * Open-addressing hash table (linear probing, `bytesHash`) from a byte string to the id
   * of the byte-pair token with those bytes, −1 for an empty slot. Holds exactly the
   * byte strings gpt-tokenizer finds when it merges, so lookups agree with its own.
   */
  readonly lookup: Int32Array;
  /** Source and flags of the regular expression that splits text into pieces before merging. */
  readonly splitPattern: { readonly source: string; readonly flags: string };
}

/** Slots of `O200kTables.lookup`: a power of two, about 2.6 × the 199998 byte-pair tokens. */
export const O200K_LOOKUP_SLOTS = 1 << 19;

/**
 * FNV-1a (32 bits) of `bytes[start … end − 1]`: the hash of `O200kTables.lookup`.
 *
 * @example
 * bytesHash(new TextEncoder().encode('a'), 0, 1); // 0xe40c292c
 */
export function bytesHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 0;
}

/**
 * Builds the tables from gpt-tokenizer's o200k_base (loads it: about 0.35 s), with the
 * bytes and table texts of every id exactly as `tokenBytes` and `tokenString` give them.
 */
export async function buildO200kTables(): Promise<O200kTables> {
  const { isO200kToken, o200kInternals, tokenBytes, tokenString } = await import('./o200k.js');
  const { byteRank, splitPattern } = o200kInternals();
  const byteOffsets = new Uint32Array(O200K_VOCAB_SIZE + 1);
  const textOffsets = new Uint32Array(O200K_VOCAB_SIZE + 1);
  const parts: Uint8Array[] = [];
  const texts: string[] = [];
  let byteLength = 0;
  let textLength = 0;
  for (let id = 0; id < O200K_VOCAB_SIZE; id++) {
    if (isO200kToken(id)) {
      const bytes = tokenBytes(id);
      const text = tokenString(id);
      parts.push(bytes);
      texts.push(text);
      byteLength += bytes.length;
      textLength += text.length;
    }
    byteOffsets[id + 1] = byteLength;
    textOffsets[id + 1] = textLength;
  }
  const bytes = new Uint8Array(byteLength);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  const lookup = new Int32Array(O200K_LOOKUP_SLOTS).fill(-1);
  const mask = O200K_LOOKUP_SLOTS - 1;
  for (let id = 0; id < O200K_VOCAB_SIZE; id++) {
    const start = byteOffsets[id] as number;
    const end = byteOffsets[id + 1] as number;
    // Exactly the byte strings gpt-tokenizer's merge finds: byte-pair ranks, no special token.
    if (end === start || byteRank(bytes.subarray(start, end)) !== id) continue;
    let slot = bytesHash(bytes, start, end) & mask;
    while ((lookup[slot] as number) >= 0) slot = (slot + 1) & mask;
    lookup[slot] = id;
  }
  return { bytes, byteOffsets, text: new TextEncoder().encode(texts.join('')), textOffsets, lookup, splitPattern };
}
