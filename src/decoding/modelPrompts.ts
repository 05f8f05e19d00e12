import { InvalidInputError } from '../core/errors.js';
import { splitDocuments } from '../models/brownCorpus.js';
import { embeddedSplit, type EmbeddedData } from '../models/embeddedData.js';
import type { LanguageModel } from '../models/languageModel.js';
import type { DecodingPrompt } from './compareDecoding.js';
import { heldOutPrompts, type PromptDocument } from './heldOutPrompts.js';

/**
 * The default prompts of the decoding comparison: openings of the documents a model held
 * out from its training (`heldOutPrompts` over them). This is the seam between models and
 * prompts: the embedded model carries its data (`data`: the Brown corpus split 90/10 by
 * document), and provides its 50 held-out documents; a model without held-out documents
 * throws an `InvalidInputError` (give prompts explicitly).
 *
 * @example
 * const prompts = modelPrompts(await openModel('embedded'), { count: 20, referenceTokens: 60 });
 */
export function modelPrompts(model: LanguageModel, options: { count: number; promptTokens?: number; referenceTokens: number }): DecodingPrompt[] {
  const data = (model as LanguageModel & { data?: EmbeddedData }).data;
  if (!data || !data.documentIds || !data.offsets || !data.tokens) {
    throw new InvalidInputError(`${model.id} has no held-out documents to take prompts from: give prompts explicitly (--prompts FILE)`);
  }
  const tokens = embeddedSplit(data).heldOut;
  const ids = splitDocuments(data.documentIds).heldOut;
  const documents: PromptDocument[] = tokens.map((document, index) => ({ tokens: document, id: ids[index] ?? `held-out ${index}` }));
  return heldOutPrompts(documents, model, options);
}
