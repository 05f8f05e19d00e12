import type { LanguageModel } from '../models/languageModel.js';
import { openModel } from '../models/localModels.js';
import type { SectionSource } from './types.js';
import { compareDecoding } from '../decoding/compareDecoding.js';
import { decodingComparisonSection } from './decodingSection.js';
import { modelPrompts } from '../decoding/modelPrompts.js';
import type { DecodingStrategy } from '../decoding/strategies.js';

/** Options of `decodingSectionSource`. */
export interface DecodingSectionOptions {
  /** A model, or a model id for `openModel` (default `'embedded'`). */
  model?: LanguageModel | string;
  /** Prompts: openings of held-out documents (default 10; the CLI's default is 20). */
  count?: number;
  /** Tokens per continuation (default 40; the CLI's default is 60). */
  maxTokens?: number;
  /** Tokens of each document opening used as the prompt (default 40). */
  promptTokens?: number;
  seed?: number;
  strategies?: readonly DecodingStrategy[];
  onProgress?: (progress: { row: string; prompt: number; prompts: number }) => void;
}

/**
 * The decoding comparison as a lazily built section of the tour report: opens the model,
 * takes prompts from its held-out documents (`modelPrompts`), runs `compareDecoding` and
 * returns `decodingComparisonSection`. Smaller than `knobs compare-decoding` by default
 * (10 prompts × 40 tokens) to keep the tour quick; a model without held-out documents
 * makes the source throw, which the report shows as an unavailable section.
 *
 * @example
 * const sources = [...seedSectionSources(), decodingSectionSource()];
 */
export function decodingSectionSource(options: DecodingSectionOptions = {}): SectionSource {
  return {
    id: 'decoding-comparison',
    title: 'Decoding strategies: likelihood, diversity and repetition',
    async build() {
      const model = typeof options.model === 'object' ? options.model : await openModel(options.model ?? 'embedded');
      const maxTokens = options.maxTokens ?? 40;
      const prompts = modelPrompts(model, { count: options.count ?? 10, promptTokens: options.promptTokens ?? 40, referenceTokens: maxTokens });
      const comparison = await compareDecoding(model, prompts, {
        maxTokens,
        seed: options.seed ?? 0,
        ...(options.strategies ? { strategies: options.strategies } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return decodingComparisonSection(comparison, (tokens) => model.decode(tokens));
    },
  };
}
