import { InvalidParameterError } from '../core/errors.js';
import type { LanguageModel } from './languageModel.js';

/** What a model picker shows of one model before it is opened. */
export interface ModelSummary {
  /** The id `open` takes, used in every request (`--model`, `model` fields, API paths). */
  readonly id: string;
  /** A short human title. */
  readonly title: string;
}

/**
 * The models a command, a provider or a server can use: which ids a user can pick, and
 * each one opened once. The only way the package turns a model id into a `LanguageModel`
 * (`localCatalog` for the models of this machine; `modelCatalog` for given models).
 */
export interface ModelCatalog {
  /** The models a user can pick, default first. */
  list(): readonly ModelSummary[];
  /** Whether `open(id)` knows the id (listed, an alias of a listed model, or an accepted form); opens nothing. */
  has(id: string): boolean;
  /**
   * The model of that id, opened on first use and then shared by every caller (a failed
   * open is forgotten, so the next call tries again). Rejects with `UnknownModelError`
   * when `has(id)` is false.
   */
  open(id: string): Promise<LanguageModel>;
}

/** A model, or a function that opens it (called at most once per catalog, unless it fails). */
export type ModelSource = LanguageModel | (() => LanguageModel | Promise<LanguageModel>);

/** One model of `modelCatalog`. */
export interface CatalogEntry {
  readonly id: string;
  /** Shown by `list` (default: the id). */
  readonly title?: string;
  readonly model: ModelSource;
  /** Other ids that open the same model, not listed (e.g. `embedded:brown-kn4` for `embedded`). */
  readonly aliases?: readonly string[];
}

/** Options of `modelCatalog`. */
export interface ModelCatalogOptions {
  /**
   * Opens ids that are not listed: returns the model (or its opener) for an id of a form
   * the catalog accepts (e.g. `gguf:PATH`), `undefined` for any other id.
   */
  readonly resolve?: (id: string) => ModelSource | undefined;
  /** What `UnknownModelError` lists after the listed ids and aliases (e.g. `gguf:PATH`). */
  readonly forms?: readonly string[];
}

/**
 * A model id that a catalog does not know; `allowed` lists what it does know. An
 * `InvalidParameterError` of `model`, so a bad `--model` is a usage error; servers answer
 * it as a 404 in their own words.
 *
 * @example
 * new UnknownModelError('nope', ['toy']).message; // 'model = "nope" is out of range: expected one of toy'
 */
export class UnknownModelError extends InvalidParameterError {
  override name = 'UnknownModelError';
  constructor(
    readonly id: string,
    readonly known: readonly string[],
  ) {
    super('model', id, known.length > 0 ? `one of ${known.join(', ')}` : 'none (no local model is available)');
  }
}

/**
 * A catalog over given models: a record of name → model (each model is also found by its
 * own `id`), or entries with titles and aliases, listed in the order given. Models given
 * as functions are opened on first use.
 *
 * @example
 * const catalog = modelCatalog({ tiny: charModel });
 * await catalog.open('tiny'); // charModel
 * const lazy = modelCatalog([{ id: 'toy', title: 'toy model', model: () => loadToy() }]);
 * lazy.list(); // [{ id: 'toy', title: 'toy model' }]
 */
export function modelCatalog(models: Readonly<Record<string, ModelSource>> | readonly CatalogEntry[], options: ModelCatalogOptions = {}): ModelCatalog {
  const entries: readonly CatalogEntry[] = Array.isArray(models)
    ? models
    : Object.entries(models as Readonly<Record<string, ModelSource>>).map(([id, model]) => ({ id, model, ...(typeof model === 'function' ? {} : { aliases: [model.id] }) }));
  const byId = new Map<string, CatalogEntry>();
  for (const entry of entries) byId.set(entry.id, entry);
  for (const entry of entries) for (const alias of entry.aliases ?? []) if (!byId.has(alias)) byId.set(alias, entry);
  const summaries: readonly ModelSummary[] = entries.map((entry) => ({ id: entry.id, title: entry.title ?? entry.id }));
  const opened = new Map<string, Promise<LanguageModel>>();

  const source = (id: string): { key: string; model: ModelSource } | undefined => {
    const entry = byId.get(id);
    if (entry) return { key: entry.id, model: entry.model };
    const resolved = options.resolve?.(id);
    return resolved === undefined ? undefined : { key: id, model: resolved };
  };

  return {
    list: () => summaries,
    has: (id) => source(id) !== undefined,
    open(id) {
      const found = source(id);
      if (!found) return Promise.reject(new UnknownModelError(id, [...byId.keys(), ...(options.forms ?? [])]));
      let model = opened.get(found.key);
      if (!model) {
        const { model: given } = found;
        model = typeof given === 'function' ? Promise.resolve().then(given) : Promise.resolve(given);
        model.catch(() => opened.delete(found.key));
        opened.set(found.key, model);
      }
      return model;
    },
  };
}
