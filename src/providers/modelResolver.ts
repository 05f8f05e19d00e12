import type { LanguageModel } from '../models/languageModel.js';

/**
 * The seam between the local provider (and `knobs serve`) and the models: a model name in,
 * a `LanguageModel` out, or `undefined` when no model has that name.
 */
export type ModelResolver = (name: string) => LanguageModel | undefined | Promise<LanguageModel | undefined>;

/**
 * A resolver that serves the given models under their names (and each model's own `id`).
 *
 * @example
 * const resolve = staticModelResolver({ embedded: model });
 * await resolve('embedded'); // model
 */
export function staticModelResolver(models: Readonly<Record<string, LanguageModel>>): ModelResolver {
  const byName = new Map<string, LanguageModel>();
  for (const [name, model] of Object.entries(models)) {
    byName.set(name, model);
    if (!byName.has(model.id)) byName.set(model.id, model);
  }
  return (name) => byName.get(name);
}
