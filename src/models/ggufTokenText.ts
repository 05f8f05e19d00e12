/**
 * Token texts of GGUF vocabularies for tables: the text of a token piece, or, when the piece
 * is only part of a UTF-8 character, its bytes escaped as `\xNN` (as `tokenString` of the
 * embedded model shows them).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

let gpt2Bytes: Map<string, number> | undefined;

/** GPT-2's byte-level alphabet reversed: the character that stands for each byte → the byte. */
function byteLevelAlphabet(): Map<string, number> {
  if (gpt2Bytes) return gpt2Bytes;
  const map = new Map<string, number>();
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);
    map.set(String.fromCodePoint(printable ? byte : 256 + extra++), byte);
  }
  gpt2Bytes = map;
  return map;
}

/**
 * The bytes of a token from its vocabulary string (`tokenizer.ggml.tokens`): SentencePiece
 * (`spm`) byte tokens `<0xNN>` are that byte and `▁` is a space; byte-level BPE (`bpe`) maps
 * each character back through GPT-2's alphabet. Undefined when the string is not of that form.
 *
 * @example
 * vocabularyBytes('<0xE2>', 'spm'); // Uint8Array [0xE2]
 * vocabularyBytes('Ġcat', 'bpe'); // bytes of ' cat'
 */
export function vocabularyBytes(piece: string, vocabularyType: string): Uint8Array | undefined {
  if (vocabularyType === 'spm') {
    const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(Number.parseInt(byte[1] as string, 16));
    return new TextEncoder().encode(piece.replaceAll('\u2581', ' '));
  }
  if (vocabularyType === 'bpe') {
    const alphabet = byteLevelAlphabet();
    const bytes: number[] = [];
    for (const char of piece) {
      const byte = alphabet.get(char);
      if (byte === undefined) return undefined;
      bytes.push(byte);
    }
    return Uint8Array.from(bytes);
  }
  return undefined;
}

/**
 * Bytes as text: UTF-8 when they are valid, else every byte ≥ 0x80 as `\xNN`.
 *
 * @example
 * escapeBytes(Uint8Array.of(0x20, 0xE2, 0x80)); // ' \\xE2\\x80'
 */
export function escapeBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Array.from(bytes, (byte) => (byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  }
}
