import { describe, expect, it } from 'vitest';
import { decodeTokens, encodeText, END_OF_TEXT, isO200kToken, O200K_UNASSIGNED, O200K_VOCAB_SIZE, tokenString } from '../../src/models/o200k.js';

describe('o200k_base', () => {
  it('gives the token ids of OpenAI\'s tiktoken o200k_base', () => {
    // tiktoken.get_encoding("o200k_base").encode("Hello world") == [13225, 2375]
    expect(encodeText('Hello world')).toEqual([13225, 2375]);
    expect(encodeText('hello world')).toEqual([24912, 2375]);
  });

  it('decodes back to the text, including characters split into byte tokens', () => {
    for (const text of ['The weather today is', 'naïve café', '𝔘 and 🦜', '']) expect(decodeTokens(encodeText(text))).toBe(text);
  });

  it('shows byte tokens that are not UTF-8 on their own as \\xNN escapes of their bytes', () => {
    const ids = encodeText('𝔘'); // U+1D518 = F0 9D 94 98 in UTF-8
    const escaped = Array.from(Buffer.from('𝔘', 'utf8'), (b) => `\\x${b.toString(16).toUpperCase()}`).join('');
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.map(tokenString).join('')).toBe(escaped);
    expect(tokenString(2375)).toBe(' world');
  });

  it('reads special-token text as ordinary text; <|endoftext|> is id 199999', () => {
    expect(encodeText('<|endoftext|>')).not.toContain(END_OF_TEXT);
    expect(tokenString(END_OF_TEXT)).toBe('<|endoftext|>');
  });

  it('has 200007 ids of which only 199998 is no token', () => {
    expect(O200K_VOCAB_SIZE).toBe(200_007);
    expect(isO200kToken(O200K_UNASSIGNED)).toBe(false);
    expect(isO200kToken(200_006)).toBe(true);
    expect(() => tokenString(O200K_UNASSIGNED)).toThrow(/199998 is not in o200k_base/);
    expect(() => tokenString(O200K_VOCAB_SIZE)).toThrow(RangeError);
  });
});
