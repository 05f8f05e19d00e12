import { describe, expect, it } from 'vitest';
import { heldOutPrompts } from '../../src/decoding/heldOutPrompts.js';
import { InvalidInputError } from '../../src/core/errors.js';

const tokenizer = { encode: (text: string) => text.split(' ').map(Number) };
const documents = Array.from({ length: 10 }, (_, d) => ({ id: `doc${d}`, tokens: Array.from({ length: 8 }, (__, i) => d * 100 + i) }));

describe('heldOutPrompts', () => {
  it('takes documents evenly spread (⌊i·D/count⌋), the opening as prompt and the next tokens as reference', () => {
    const prompts = heldOutPrompts(documents, tokenizer, { count: 3, promptTokens: 2, referenceTokens: 3 });
    expect(prompts.map((prompt) => prompt.source)).toEqual(['doc0', 'doc3', 'doc6']);
    expect(prompts[1]).toEqual({ prompt: [300, 301], reference: [302, 303, 304], source: 'doc3' });
  });

  it('skips a document too short for prompt + reference and takes the next one', () => {
    const withShort = documents.map((document, d) => (d === 3 ? { id: 'short', tokens: [1, 2, 3] } : document));
    expect(heldOutPrompts(withShort, tokenizer, { count: 3, promptTokens: 2, referenceTokens: 3 }).map((prompt) => prompt.source)).toEqual(['doc0', 'doc4', 'doc6']);
  });

  it('encodes text documents with the tokenizer', () => {
    expect(heldOutPrompts(['1 2 3 4'], tokenizer, { count: 1, promptTokens: 1, referenceTokens: 2 })).toEqual([{ prompt: [1], reference: [2, 3], source: 'document 0' }]);
  });

  it('refuses more prompts than documents, or too few long documents', () => {
    expect(() => heldOutPrompts(documents, tokenizer, { count: 11, referenceTokens: 1, promptTokens: 1 })).toThrow(InvalidInputError);
    expect(() => heldOutPrompts(documents, tokenizer, { count: 2, promptTokens: 5, referenceTokens: 5 })).toThrow(/only 0 documents/);
  });
});
