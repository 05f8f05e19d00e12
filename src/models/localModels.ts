import type { LoadOptions } from './embeddedData.js';
import type { GgufModelOptions } from './ggufModel.js';
import { modelCatalog, UnknownModelError, type CatalogEntry, type ModelCatalog } from './catalog.js';
import type { LanguageModel } from './languageModel.js';

/** The model `--model` means when it is not given. */
export const DEFAULT_MODEL = 'embedded';

/** The embedded model's ids: `embedded` (= `embedded:brown-kn4`) and each order of it. */
export const MODEL_IDS = ['embedded', 'embedded:brown-kn1', 'embedded:brown-kn2', 'embedded:brown-kn3', 'embedded:brown-kn4'] as const;

/** Every form of local model id, for help texts: `MODEL_IDS` and `gguf:PATH`. */
export const MODEL_ID_FORMS: readonly string[] = [...MODEL_IDS, 'gguf:PATH'];

const EMBEDDED = /^embedded(?::brown-kn([1-4]))?$/;
const GGUF = /^gguf:(.+)$/s;

const TITLES: Readonly<Record<string, string>> = {
  embedded: 'embedded — Kneser-Ney 4-gram, Brown corpus, o200k tokens',
  'embedded:brown-kn1': 'embedded:brown-kn1 — unigram',
  'embedded:brown-kn2': 'embedded:brown-kn2 — bigram',
  'embedded:brown-kn3': 'embedded:brown-kn3 — trigram',
};

/**
 * Whether an id has a local model's form: one of `MODEL_IDS`, or `gguf:PATH` (whether the
 * file exists is found out when it is opened).
 *
 * @example
 * isModelId('gguf:models/qwen.gguf'); // true
 * isModelId('gpt-4o'); // false
 */
export function isModelId(id: string): boolean {
  return (MODEL_IDS as readonly string[]).includes(id) || GGUF.test(id);
}

/** Options of `localCatalog`: build progress of the embedded model, GGUF options, and which ids to offer. */
export interface LocalCatalogOptions extends LoadOptions {
  /** More ids to list first (e.g. `gguf:PATH` from `--model`); the embedded models are always listed. */
  readonly models?: readonly string[];
  /**
   * Whether any `gguf:PATH` opens, listed or not (default false: only listed ones). True
   * where the user names the file (the CLI, experiment files); false where a request
   * names it (servers).
   */
  readonly anyGguf?: boolean;
  /** Options of `gguf:PATH` models (default: from the environment, `ggufOptionsFromEnv`). */
  readonly gguf?: GgufModelOptions;
}

/**
 * The models of this machine as one catalog: `embedded` (the Kneser-Ney 4-gram model,
 * built on first use, then cached; also `embedded:brown-kn4`) and its lower orders
 * `embedded:brown-knN`, and GGUF files `gguf:PATH` run by llama.cpp through node-llama-cpp
 * (an optional peer dependency, loaded only then; see `openGgufModel`): those in `models`,
 * or any with `anyGguf`. `models` are listed first. Each model is opened once.
 *
 * @example
 * const catalog = localCatalog({ models: ['gguf:models/qwen2.5-0.5b-instruct-q4_k_m.gguf'] });
 * catalog.list().map((model) => model.id); // ['gguf:models/qwen…', 'embedded', 'embedded:brown-kn1', …]
 * (await catalog.open('embedded')).id; // 'embedded:brown-kn4'
 */
export function localCatalog(options: LocalCatalogOptions = {}): ModelCatalog {
  const { models = [], anyGguf = false, gguf: ggufOptions, ...load } = options;
  const open = (id: string): (() => Promise<LanguageModel>) | undefined => {
    const embedded = EMBEDDED.exec(id);
    if (embedded) {
      return async () => {
        const { loadEmbeddedModel } = await import('./embeddedModel.js'); // the tokenizer loads only when needed
        return loadEmbeddedModel({ ...load, order: Number(embedded[1] ?? 4) });
      };
    }
    const gguf = GGUF.exec(id);
    if (gguf) {
      return async () => {
        const { ggufOptionsFromEnv, openGgufModel } = await import('./ggufModel.js'); // node-llama-cpp loads only when needed
        return openGgufModel(gguf[1] as string, ggufOptions ?? ggufOptionsFromEnv());
      };
    }
    return undefined;
  };
  const canonical = (id: string): string => (id === 'embedded:brown-kn4' ? 'embedded' : id);
  const ids = [...new Set([...models, 'embedded', 'embedded:brown-kn1', 'embedded:brown-kn2', 'embedded:brown-kn3'].map(canonical))];
  const entries: CatalogEntry[] = ids.map((id) => {
    const model = open(id);
    if (!model) throw new UnknownModelError(id, MODEL_ID_FORMS);
    return { id, title: TITLES[id] ?? id, model, ...(id === 'embedded' ? { aliases: ['embedded:brown-kn4'] } : {}) };
  });
  return modelCatalog(entries, {
    ...(anyGguf ? { resolve: (id: string) => (GGUF.test(id) ? open(id) : undefined), forms: ['gguf:PATH'] } : {}),
  });
}

/**
 * Opens one local model by id (`localCatalog({ ...options, anyGguf: true }).open(id)`),
 * for a caller that needs a single model once; callers that open models by request keep
 * a catalog instead, so each model is opened once.
 *
 * @example
 * const model = await openModel('embedded');
 * model.id; // 'embedded:brown-kn4'
 * const qwen = await openModel('gguf:models/qwen2.5-0.5b-instruct-q4_k_m.gguf');
 */
export function openModel(id: string = DEFAULT_MODEL, options: LoadOptions & { readonly gguf?: GgufModelOptions } = {}): Promise<LanguageModel> {
  return localCatalog({ ...options, anyGguf: true }).open(id);
}
