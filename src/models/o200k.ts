import o200k, { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';

import { isO200kToken, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from './o200kVocabulary.js';

export { END_OF_TEXT, isO200kToken, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from './o200kVocabulary.js';

// The o200k_base tokenizer (GPT-4o's), through gpt-tokenizer, so that token ids are OpenAI's.
// Importing this module loads the tokenizer's tables (~0.1 s); o200kVocabulary.ts does not.

/**
 * Text to o200k_base token ids. Special-token text such as `<|endoftext|>` is encoded as
 * ordinary text, never as the special token.
 *
 * @example
 * encodeText('Hello world'); // [13225, 2375]
 */
export function encodeText(text: string): number[] {
  return encodeO200k(text, { allowedSpecial: new Set(), disallowedSpecial: new Set() });
}

/** The parts of gpt-tokenizer's byte-pair encoder that are read here (not in its typings). */
interface EncoderCore {
  tryDecodeToken(id: number): string | Uint8Array | undefined;
  getBpeRankFromBytes(bytes: Uint8Array): number | undefined;
  readonly tokenSplitRegex: RegExp;
}

const encoderCore = (): EncoderCore | undefined => (o200k as unknown as { bytePairEncodingCoreProcessor?: EncoderCore }).bytePairEncodingCoreProcessor;

/**
 * What `buildO200kTables` copies from gpt-tokenizer's encoder: the rank its merge finds
 * for a byte string (undefined when none), and the regular expression that splits text
 * into pieces before merging. Throws if this version of gpt-tokenizer does not expose them.
 *
 * @example
 * o200kInternals().byteRank(new TextEncoder().encode(' world')); // 2375
 */
export function o200kInternals(): { byteRank: (bytes: Uint8Array) => number | undefined; splitPattern: { source: string; flags: string } } {
  const core = encoderCore();
  if (typeof core?.getBpeRankFromBytes !== 'function' || !(core.tokenSplitRegex instanceof RegExp)) {
    throw new Error('gpt-tokenizer no longer exposes its byte-pair encoder (bytePairEncodingCoreProcessor): the o200k tables cannot be built');
  }
  return { byteRank: (bytes) => core.getBpeRankFromBytes(bytes), splitPattern: { source: core.tokenSplitRegex.source, flags: core.tokenSplitRegex.flags } };
}

const utf8 = new TextEncoder();
const tokenBytesCache: (Uint8Array | undefined)[] = [];

/**
 * The bytes of one token (UTF-8 for text tokens; byte tokens may be partial UTF-8
 * sequences). Throws `RangeError` for ids that are no token.
 */
export function tokenBytes(id: number): Uint8Array {
  const cached = tokenBytesCache[id];
  if (cached) return cached;
  if (!isO200kToken(id)) throw new RangeError(`token id ${id} is not in o200k_base: expected an integer in [0, ${O200K_VOCAB_SIZE}) other than ${O200K_UNASSIGNED}`);
  // gpt-tokenizer's own decode() keeps a partial UTF-8 sequence in a shared streaming decoder
  // between calls, so bytes are read per token and decoded here instead.
  const value = encoderCore()?.tryDecodeToken(id);
  const bytes = value === undefined ? utf8.encode(o200k.decode([id])) : typeof value === 'string' ? utf8.encode(value) : value;
  tokenBytesCache[id] = bytes;
  return bytes;
}

/**
 * Token ids to text: the tokens' bytes concatenated and decoded as UTF-8 (an invalid or
 * incomplete sequence becomes U+FFFD).
 *
 * @example
 * decodeTokens([13225, 2375]); // 'Hello world'
 */
export function decodeTokens(tokens: readonly number[]): string {
  const parts = tokens.map(tokenBytes);
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder('utf-8').decode(bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of one token for tables: its UTF-8 text, or, when its bytes are not valid UTF-8
 * on their own (a piece of a multi-byte character), each byte escaped as `\xNN`.
 *
 * @example
 * tokenString(2375); // ' world'
 */
export function tokenString(id: number): string {
  const bytes = tokenBytes(id);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Array.from(bytes, (byte) => (byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  }
}
