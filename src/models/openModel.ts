import { InvalidParameterError } from '../core/errors.js';
import type { LoadOptions } from './embeddedData.js';
import type { GgufModelOptions } from './ggufModel.js';
import type { LanguageModel } from './languageModel.js';

/** The model `--model` means when it is not given. */
export const DEFAULT_MODEL = 'embedded';

const EMBEDDED = /^embedded(?::brown-kn([1-4]))?$/;
const GGUF = /^gguf:(.+)$/s;

/** The model ids `openModel` knows. */
export const MODEL_IDS = ['embedded', 'embedded:brown-kn1', 'embedded:brown-kn2', 'embedded:brown-kn3', 'embedded:brown-kn4'] as const;

/** Every form of model id `openModel` takes, for help texts: `MODEL_IDS` and `gguf:PATH`. */
export const MODEL_ID_FORMS: readonly string[] = [...MODEL_IDS, 'gguf:PATH'];

/** Options of `openModel`: build progress of the embedded model, and the options of GGUF models. */
export interface OpenModelOptions extends LoadOptions {
  /** Options of `gguf:PATH` models (default: from the environment, `ggufOptionsFromEnv`). */
  readonly gguf?: GgufModelOptions;
}

/**
 * Whether `openModel` takes this id: one of `MODEL_IDS`, or `gguf:PATH` (whether the file
 * exists is found out when it is opened).
 *
 * @example
 * isModelId('gguf:models/qwen.gguf'); // true
 * isModelId('gpt-4o'); // false
 */
export function isModelId(id: string): boolean {
  return (MODEL_IDS as readonly string[]).includes(id) || GGUF.test(id);
}

/**
 * Opens a language model by id: `embedded` (= `embedded:brown-kn4`) or `embedded:brown-knN`
 * for the embedded Kneser-Ney model of order N in 1 … 4 (built on first use, then cached), or
 * `gguf:PATH` for a GGUF file run by llama.cpp through node-llama-cpp (an optional peer
 * dependency, loaded only then; see `openGgufModel`).
 *
 * @example
 * const model = await openModel('embedded');
 * model.id; // 'embedded:brown-kn4'
 * const qwen = await openModel('gguf:models/qwen2.5-0.5b-instruct-q4_k_m.gguf');
 */
export async function openModel(id: string = DEFAULT_MODEL, options: OpenModelOptions = {}): Promise<LanguageModel> {
  const embedded = EMBEDDED.exec(id);
  if (embedded) {
    const { loadEmbeddedModel } = await import('./embeddedModel.js'); // the tokenizer loads only when needed
    return loadEmbeddedModel({ ...options, order: Number(embedded[1] ?? 4) });
  }
  const gguf = GGUF.exec(id);
  if (gguf) {
    const { ggufOptionsFromEnv, openGgufModel } = await import('./ggufModel.js'); // node-llama-cpp loads only when needed
    return openGgufModel(gguf[1] as string, options.gguf ?? ggufOptionsFromEnv());
  }
  throw new InvalidParameterError('model', id, `one of ${MODEL_ID_FORMS.join(', ')}`);
}
