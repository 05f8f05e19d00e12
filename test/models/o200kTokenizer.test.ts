import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBrownCorpus } from '../../src/models/brownCorpus.js';
import { documentTokens, type EmbeddedData } from '../../src/models/embeddedData.js';
import { decodeTokens, encodeText, tokenString } from '../../src/models/o200k.js';
import { O200K_LOOKUP_SLOTS } from '../../src/models/o200kTables.js';
import { o200kTokenizer, type O200kTokenizer } from '../../src/models/o200kTokenizer.js';
import { END_OF_TEXT, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from '../../src/models/o200kVocabulary.js';
import { sharedEmbeddedData } from './sharedModel.js';

let data: EmbeddedData;
let tokenizer: O200kTokenizer;

beforeAll(async () => {
  data = await sharedEmbeddedData();
  tokenizer = o200kTokenizer(data.vocabulary);
});

// The reference throughout is gpt-tokenizer itself (encodeText, decodeTokens, tokenString of
// o200k.ts), and for two strings OpenAI's tiktoken (published ids).
describe('o200k_base from the cached tables, without gpt-tokenizer', () => {
  it("gives tiktoken's ids", () => {
    // tiktoken.get_encoding("o200k_base").encode("Hello world") == [13225, 2375]
    expect(tokenizer.encode('Hello world')).toEqual([13225, 2375]);
    expect(tokenizer.encode('hello world')).toEqual([24912, 2375]);
  });

  it('encodes all 500 Brown documents to the ids gpt-tokenizer gave when the model was built', () => {
    const documents = readBrownCorpus();
    expect(documents).toHaveLength(data.documentIds.length);
    documents.forEach((document, index) => {
      expect(document.id).toBe(data.documentIds[index]);
      expect(tokenizer.encode(document.text), document.id).toEqual(documentTokens(data, index));
    });
  });

  it('agrees with gpt-tokenizer on arbitrary text: any UTF-16 (lone surrogates too), graphemes, whitespace runs, digits, contractions, special-token text', () => {
    const pieces = fc.constantFrom(' ', '  ', '\n', '\r\n', '\t', "'s", "'LL", '123456', '<|endoftext|>', '<|im_start|>', 'ﬁ', 'é', 'e\u0301', '🦜', '𝔘', '\uD800', '\uDC00', '中文', 'Ελληνικά', '...', '//');
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.array(fc.oneof(pieces, fc.string({ unit: 'grapheme-ascii', maxLength: 8 })), { maxLength: 20 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(tokenizer.encode(value)).toEqual(encodeText(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes as gpt-tokenizer does, and gives every id the table text tokenString gives', () => {
    for (const value of ['The weather today is', 'naïve café', '𝔘 and 🦜', '', 'a\uD800b']) {
      const ids = encodeText(value);
      expect(tokenizer.decode(ids)).toBe(decodeTokens(ids));
    }
    expect(tokenizer.decode([35, 38])).toBe(decodeTokens([35, 38])); // two byte tokens, not UTF-8 alone
    for (let id = 0; id < O200K_VOCAB_SIZE; id++) {
      if (id === O200K_UNASSIGNED) continue;
      if (tokenizer.tokenText(id) !== tokenString(id)) expect(tokenizer.tokenText(id), `id ${id}`).toBe(tokenString(id));
    }
    expect(tokenizer.tokenText(END_OF_TEXT)).toBe('<|endoftext|>');
  });

  it('rejects ids that are no token, as tokenString and decodeTokens do', () => {
    for (const id of [O200K_UNASSIGNED, O200K_VOCAB_SIZE, -1, 1.5]) {
      expect(() => tokenizer.tokenText(id)).toThrow(RangeError);
      expect(() => tokenizer.decode([id])).toThrow(RangeError);
    }
    expect(() => tokenizer.tokenText(O200K_UNASSIGNED)).toThrow(/199998 is not in o200k_base/);
  });

  it('holds its lookup as a power-of-two table of the byte-pair ids (no special token)', () => {
    expect(data.vocabulary.lookup).toHaveLength(O200K_LOOKUP_SLOTS);
    const ids = data.vocabulary.lookup.filter((id) => id >= 0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(O200K_UNASSIGNED);
    expect(ids.length).toBeGreaterThan(199_900);
  });
});
