import type { O200kTables } from './o200kTables.js';
import { bytesHash } from './o200kTables.js';
import { isO200kToken, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from './o200kVocabulary.js';

/** Text to token ids and back, as `encodeText`, `decodeTokens` and `tokenString` of o200k.ts. */
export interface O200kTokenizer {
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
  /** The text of one token for tables (`\xNN` escapes for bytes that are not UTF-8 alone). */
  tokenText(id: number): string;
}

const NO_RANK = 0x7fffffff;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The o200k_base tokenizer over its tables (see `O200kTables`): the same ids as gpt-tokenizer
 * (`encodeText`) without loading it. Text is split into pieces by o200k's pattern; a piece
 * whose UTF-8 bytes are one token is that token; otherwise its bytes are merged the byte-pair
 * way — repeatedly join the adjacent pair whose joined bytes are the token of lowest id (the
 * leftmost on a tie) until no pair is a token — and each part is one token, as tiktoken's
 * `_byte_pair_merge` does. Special-token text is ordinary text here, as in `encodeText`.
 *
 * @example
 * const tokenizer = o200kTokenizer(data.vocabulary);
 * tokenizer.encode('Hello world'); // [13225, 2375]
 * tokenizer.tokenText(2375); // ' world'
 */
export function o200kTokenizer(tables: O200kTables): O200kTokenizer {
  const { bytes: vocabulary, byteOffsets, lookup } = tables;
  const mask = lookup.length - 1;
  const split = new RegExp(tables.splitPattern.source, tables.splitPattern.flags);
  const utf8 = new TextEncoder();
  const decoder = new TextDecoder('utf-8');
  // Scratch space of one piece, reused and grown as needed.
  let piece = new Uint8Array(256);
  let starts = new Int32Array(257);
  let ranks = new Int32Array(257);
  let texts: string | undefined;

  /** The id of the token whose bytes are `piece[start … end − 1]`, or −1. */
  const find = (start: number, end: number): number => {
    const length = end - start;
    for (let slot = bytesHash(piece, start, end) & mask; ; slot = (slot + 1) & mask) {
      const id = lookup[slot] as number;
      if (id < 0) return -1;
      const from = byteOffsets[id] as number;
      if ((byteOffsets[id + 1] as number) - from !== length) continue;
      let i = 0;
      while (i < length && vocabulary[from + i] === piece[start + i]) i++;
      if (i === length) return id;
    }
  };

  /** Rank of joining part `part` with the next one (parts are between `starts`), or NO_RANK. */
  const pairRank = (part: number, parts: number): number => {
    if (part + 1 >= parts) return NO_RANK;
    const id = find(starts[part] as number, starts[part + 2] as number);
    return id < 0 ? NO_RANK : id;
  };

  /** Appends the tokens of `piece[0 … length − 1]` by byte-pair merging. */
  const merge = (length: number, out: number[]): void => {
    if (starts.length < length + 1) {
      starts = new Int32Array(2 * length + 1);
      ranks = new Int32Array(2 * length + 1);
    }
    let parts = length;
    for (let i = 0; i <= length; i++) starts[i] = i;
    for (let i = 0; i < parts; i++) ranks[i] = pairRank(i, parts);
    for (;;) {
      let best = NO_RANK;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        if ((ranks[i] as number) < best) {
          best = ranks[i] as number;
          at = i;
        }
      }
      if (at < 0) break;
      starts.copyWithin(at + 1, at + 2, parts + 1);
      ranks.copyWithin(at + 1, at + 2, parts);
      parts--;
      ranks[at] = pairRank(at, parts);
      if (at > 0) ranks[at - 1] = pairRank(at - 1, parts);
    }
    for (let i = 0; i < parts; i++) {
      const id = find(starts[i] as number, starts[i + 1] as number);
      if (id < 0) throw new Error(`o200k tables: no token for bytes ${Array.from(piece.subarray(starts[i] as number, starts[i + 1] as number)).join(',')}`);
      out.push(id);
    }
  };

  const checkId = (id: number): void => {
    if (!isO200kToken(id)) throw new RangeError(`token id ${id} is not in o200k_base: expected an integer in [0, ${O200K_VOCAB_SIZE}) other than ${O200K_UNASSIGNED}`);
  };

  return {
    encode(text) {
      const out: number[] = [];
      for (const match of text.matchAll(split)) {
        const word = match[0];
        if (piece.length < 3 * word.length) piece = new Uint8Array(6 * word.length);
        const length = utf8.encodeInto(word, piece).written;
        // A piece with a lone surrogate is never one token whole (gpt-tokenizer looks pieces up as strings).
        const whole = LONE_SURROGATE.test(word) ? -1 : find(0, length);
        if (whole >= 0) out.push(whole);
        else merge(length, out);
      }
      return out;
    },
    decode(tokens) {
      let length = 0;
      for (const id of tokens) {
        checkId(id);
        length += (byteOffsets[id + 1] as number) - (byteOffsets[id] as number);
      }
      const joined = new Uint8Array(length);
      let offset = 0;
      for (const id of tokens) {
        const token = vocabulary.subarray(byteOffsets[id] as number, byteOffsets[id + 1] as number);
        joined.set(token, offset);
        offset += token.length;
      }
      return decoder.decode(joined);
    },
    tokenText(id) {
      checkId(id);
      texts ??= decoder.decode(tables.text);
      return texts.slice(tables.textOffsets[id] as number, tables.textOffsets[id + 1] as number);
    },
  };
}
