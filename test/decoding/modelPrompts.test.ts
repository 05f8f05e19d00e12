import { describe, expect, it } from 'vitest';
import { decodingSectionSource } from '../../src/report/decodingSectionSource.js';
import { modelPrompts } from '../../src/decoding/modelPrompts.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { ABC_TABLE, ABC_WORDS, A, B, C, S, bigramModel } from './bigramModel.js';

/** The bigram model carrying ten documents the way the embedded model carries the Brown corpus (tokens, offsets, ids). */
function withDocuments() {
  const documents = Array.from({ length: 10 }, (_, d) => (d === 9 ? [S, A, B, C, A, B] : [S, C, C, C, C, C]));
  const offsets = new Uint32Array(11);
  documents.forEach((document, d) => (offsets[d + 1] = (offsets[d] as number) + document.length));
  const data = { tokens: Uint32Array.from(documents.flat()), offsets, documentIds: documents.map((_, d) => `d${d}`) };
  return Object.assign(bigramModel(ABC_WORDS, ABC_TABLE), { data });
}

describe('modelPrompts', () => {
  it('takes prompts from the held-out documents (every 10th, by the 90/10 split)', () => {
    expect(modelPrompts(withDocuments(), { count: 1, promptTokens: 2, referenceTokens: 3 })).toEqual([{ prompt: [S, A], reference: [B, C, A], source: 'd9' }]);
  });

  it('a model without held-out documents needs explicit prompts', () => {
    expect(() => modelPrompts(bigramModel(ABC_WORDS, ABC_TABLE), { count: 1, referenceTokens: 2 })).toThrow(InvalidInputError);
  });
});

describe('decodingSectionSource', () => {
  it('builds the report section lazily from a model', async () => {
    const source = decodingSectionSource({
      model: withDocuments(),
      count: 1,
      maxTokens: 2,
      promptTokens: 2,
      strategies: [{ name: 'greedy', label: 'Greedy', family: 'maximization', kind: 'sampler', chain: [{ greedy: true }] }],
    });
    expect(source.id).toBe('decoding-comparison');
    const section = await source.build();
    // held-out d9 is "S a b c a b": prompt S a, human reference b c; greedy after a: a (.35), a.
    expect(section.tables?.[0]?.rows.map((row) => row[0])).toEqual(['Human', 'Greedy']);
    expect(section.tables?.[2]?.rows).toEqual([['Human', 'b c'], ['Greedy', 'a a']]);
  });
});
