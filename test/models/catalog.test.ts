import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/core/errors.js';
import { modelCatalog, UnknownModelError } from '../../src/models/catalog.js';
import { localCatalog } from '../../src/models/localModels.js';
import { charBigramModel } from '../providers/fixtures/charBigramModel.js';
import { TEST_CACHE_DIRECTORY } from './sharedModel.js';

const model = charBigramModel();

describe('modelCatalog', () => {
  it('lists the given names and finds each model by its name and its own id', async () => {
    const catalog = modelCatalog({ tiny: model });
    expect(catalog.list()).toEqual([{ id: 'tiny', title: 'tiny' }]);
    expect(catalog.has('tiny')).toBe(true);
    expect(catalog.has('test:char-bigram')).toBe(true);
    expect(catalog.has('other')).toBe(false);
    expect(await catalog.open('tiny')).toBe(model);
    expect(await catalog.open('test:char-bigram')).toBe(model);
  });

  it('opens a lazy model once however many callers ask at the same time, and retries one that failed', async () => {
    let calls = 0;
    const catalog = modelCatalog([{ id: 'toy', title: 'toy model', model: async () => (++calls, model) }]);
    const [a, b] = await Promise.all([catalog.open('toy'), catalog.open('toy')]);
    expect(a).toBe(model);
    expect(b).toBe(model);
    expect(calls).toBe(1);
    let attempts = 0;
    const flaky = modelCatalog([{ id: 'flaky', model: () => (++attempts === 1 ? Promise.reject(new Error('disk busy')) : model) }]);
    await expect(flaky.open('flaky')).rejects.toThrow('disk busy');
    expect(await flaky.open('flaky')).toBe(model);
    expect(attempts).toBe(2);
  });

  it('refuses an unknown id with an UnknownModelError (an InvalidParameterError of model) naming what it knows', async () => {
    const catalog = modelCatalog([{ id: 'toy', model }]);
    const error = await catalog.open('nope').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownModelError);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as Error).message).toBe('model = "nope" is out of range: expected one of toy');
    expect((error as UnknownModelError).known).toEqual(['toy']);
    await expect(modelCatalog([]).open('x')).rejects.toThrow('model = "x" is out of range: expected none (no local model is available)');
  });

  it('opens ids of accepted forms through resolve, listing the forms when an id is refused', async () => {
    const catalog = modelCatalog({ tiny: model }, { resolve: (id) => (id.startsWith('char:') ? () => charBigramModel(id.slice(5)) : undefined), forms: ['char:TEXT'] });
    expect(catalog.has('char:abc')).toBe(true);
    const opened = await catalog.open('char:abc');
    expect(opened.vocabSize).toBe(4); // a, b, c and the end-of-text token
    expect(await catalog.open('char:abc')).toBe(opened);
    await expect(catalog.open('word:abc')).rejects.toThrow('expected one of tiny, test:char-bigram, char:TEXT');
  });
});

describe('localCatalog', () => {
  it('lists the embedded model and its lower orders, after the ids it is given', () => {
    expect(localCatalog().list().map((entry) => entry.id)).toEqual(['embedded', 'embedded:brown-kn1', 'embedded:brown-kn2', 'embedded:brown-kn3']);
    expect(localCatalog({ models: ['gguf:/m/a.gguf', 'embedded:brown-kn4'] }).list().map((entry) => entry.id)).toEqual(['gguf:/m/a.gguf', 'embedded', 'embedded:brown-kn1', 'embedded:brown-kn2', 'embedded:brown-kn3']);
    expect(localCatalog().list()[0]?.title).toBe('embedded — Kneser-Ney 4-gram, Brown corpus, o200k tokens');
  });

  it('opens a gguf:PATH that is not listed only with anyGguf', async () => {
    expect(localCatalog().has('embedded:brown-kn4')).toBe(true);
    expect(localCatalog().has('gguf:/m/a.gguf')).toBe(false);
    expect(localCatalog({ models: ['gguf:/m/a.gguf'] }).has('gguf:/m/a.gguf')).toBe(true);
    expect(localCatalog({ anyGguf: true }).has('gguf:/m/a.gguf')).toBe(true);
    await expect(localCatalog().open('gguf:/m/a.gguf')).rejects.toThrow(/^model = "gguf:\/m\/a.gguf" is out of range: expected one of embedded, embedded:brown-kn1, embedded:brown-kn2, embedded:brown-kn3, embedded:brown-kn4$/);
    await expect(localCatalog({ anyGguf: true }).open('llama3')).rejects.toThrow(/expected one of .*, gguf:PATH$/);
    expect(() => localCatalog({ models: ['llama3'] })).toThrow(UnknownModelError);
  });

  it('opens embedded and embedded:brown-kn4 as one model, once', async () => {
    const catalog = localCatalog({ cacheDirectory: TEST_CACHE_DIRECTORY });
    const [a, b] = await Promise.all([catalog.open('embedded'), catalog.open('embedded:brown-kn4')]);
    expect(a.id).toBe('embedded:brown-kn4');
    expect(b).toBe(a);
    expect((await catalog.open('embedded:brown-kn2')).id).toBe('embedded:brown-kn2');
  });
});
