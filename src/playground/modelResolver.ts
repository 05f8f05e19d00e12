import type { LanguageModel } from '../models/languageModel.js';
import { formatValue } from '../core/errors.js';
import { PlaygroundRequestError } from './errors.js';

/** What the page is told about one model before it loads it. */
export interface ModelSummary {
  /** The model's stable id (`LanguageModel.id`), used in every API path. */
  readonly id: string;
  /** A short human title for the model picker. */
  readonly title: string;
}

/**
 * The seam between the playground and the models: which models exist and how to load
 * one. The default resolver serves the embedded model (and GGUF models when present);
 * tests pass a resolver over small in-memory models.
 */
export interface ModelResolver {
  /** The models the page may pick from, default first. */
  list(): Promise<readonly ModelSummary[]>;
  /** Loads (once) and returns a model by id; rejects with a 404 `PlaygroundRequestError` for unknown ids. */
  load(id: string): Promise<LanguageModel>;
}

/**
 * A resolver over models that are already loaded (or loaded lazily by `load` functions),
 * in the order given; the first is the default.
 *
 * @example
 * const resolver = staticModelResolver([{ id: 'toy', title: 'toy', load: async () => toyModel }]);
 */
export function staticModelResolver(entries: readonly (ModelSummary & { load(): LanguageModel | Promise<LanguageModel> })[]): ModelResolver {
  const loaded = new Map<string, Promise<LanguageModel>>();
  return {
    list: async () => entries.map(({ id, title }) => ({ id, title })),
    load(id) {
      const entry = entries.find((candidate) => candidate.id === id);
      if (!entry) {
        const known = entries.map((candidate) => candidate.id).join(', ') || 'none (no local model is available)';
        return Promise.reject(new PlaygroundRequestError(404, `model ${formatValue(id)} does not exist: expected one of ${known}`));
      }
      let model = loaded.get(id);
      if (!model) {
        model = Promise.resolve(entry.load());
        model.catch(() => loaded.delete(id));
        loaded.set(id, model);
      }
      return model;
    },
  };
}
