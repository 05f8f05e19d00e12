import { InvalidParameterError } from '../core/errors.js';
import type { LoadOptions } from './embeddedData.js';
import type { LanguageModel } from './languageModel.js';

/** The model `--model` means when it is not given. */
export const DEFAULT_MODEL = 'embedded';

const EMBEDDED = /^embedded(?::brown-kn([1-4]))?$/;

/** The model ids `openModel` knows. */
export const MODEL_IDS = ['embedded', 'embedded:brown-kn1', 'embedded:brown-kn2', 'embedded:brown-kn3', 'embedded:brown-kn4'] as const;

/**
 * Opens a language model by id: `embedded` (= `embedded:brown-kn4`) or `embedded:brown-knN`
 * for the embedded Kneser-Ney model of order N in 1 … 4 (built on first use, then cached).
 * Later backends (GGUF files, remote log-probabilities) add their own prefixes here.
 *
 * @example
 * const model = await openModel('embedded');
 * model.id; // 'embedded:brown-kn4'
 */
export async function openModel(id: string = DEFAULT_MODEL, options: LoadOptions = {}): Promise<LanguageModel> {
  const embedded = EMBEDDED.exec(id);
  if (embedded) {
    const { loadEmbeddedModel } = await import('./embeddedModel.js'); // the tokenizer loads only when needed
    return loadEmbeddedModel({ ...options, order: Number(embedded[1] ?? 4) });
  }
  throw new InvalidParameterError('model', id, `one of ${MODEL_IDS.join(', ')}`);
}
