import type { LoadOptions } from '../models/embeddedData.js';
import { MODEL_IDS, openModel } from '../models/openModel.js';
import { staticModelResolver, type ModelResolver } from './modelResolver.js';

const TITLES: Readonly<Record<string, string>> = {
  embedded: 'embedded — Kneser-Ney 4-gram, Brown corpus, o200k tokens',
  'embedded:brown-kn1': 'embedded:brown-kn1 — unigram',
  'embedded:brown-kn2': 'embedded:brown-kn2 — bigram',
  'embedded:brown-kn3': 'embedded:brown-kn3 — trigram',
  'embedded:brown-kn4': 'embedded:brown-kn4 — 4-gram',
};

/**
 * The models of this machine, as `knobs generate --model` knows them (`openModel`): the
 * embedded model first (built on first use, then cached), then its lower orders, then
 * `extra` ids (`knobs playground --model ID`, e.g. a GGUF file once `openModel` opens
 * them), which are offered first when given.
 */
export function defaultModelResolver(options: LoadOptions = {}, extra: readonly string[] = []): ModelResolver {
  const ids = [...new Set([...extra, ...MODEL_IDS.filter((id) => id !== 'embedded:brown-kn4')])];
  return staticModelResolver(
    ids.map((id) => ({
      id,
      title: TITLES[id] ?? id,
      load: () => openModel(id, options),
    })),
  );
}
