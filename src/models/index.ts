/**
 * `creativity-knobs/models` (Node): the embedded Kneser-Ney model over o200k, GGUF models through
 * node-llama-cpp (an optional peer), the model catalog, the tokenizer, corpus tools and the
 * generation loop over any `LanguageModel`.
 *
 * @example
 * import { openModel, generate } from 'creativity-knobs/models';
 * const model = await openModel('embedded');
 * const [completion] = await generate(model, 'The weather today is', 'top_p=0.9', { seed: 1 });
 *
 * @module creativity-knobs/models
 */
export type { LanguageModel } from './languageModel.js';
export { addK, type AddKModel } from './addK.js';
export { detokenizeDocument, detokenizeSentence, readBrownCorpus, splitDocuments, type BrownDocument } from './brownCorpus.js';
export { knobsCacheDirectory } from './cacheDirectory.js';
export { countOfCounts, kneserNeyDiscounts, type Discounts } from './discounts.js';
export { buildEmbeddedData, embeddedModelPath, loadEmbeddedData, type BuildProgress, type CountOfCounts, type EmbeddedData, type LoadOptions } from './embeddedData.js';
export { embeddedModel, loadEmbeddedModel, type EmbeddedModel } from './embeddedModel.js';
export { evaluateEmbedded, type ModelEvaluation, type OrderEvaluation } from './evaluateModel.js';
export { generate, type Completion, type GenerateOptions, type TokenEvent } from './generate.js';
export { heldOutPerplexity, type HeldOutResult, type TokenScorer } from './heldOutPerplexity.js';
export { kneserNey, type KneserNeyModel, type KneserNeyOptions } from './kneserNey.js';
export { ModelFileError, type ModelFileProblem } from './modelFile.js';
export { countNgrams, type CountOptions, type NgramArray, type NgramCounts, type NgramLevel } from './ngramCounts.js';
export { decodeTokens, encodeText, END_OF_TEXT, O200K_VOCAB_SIZE, tokenString } from './o200k.js';
export type { O200kTables } from './o200kTables.js';
export { modelCatalog, UnknownModelError, type CatalogEntry, type ModelCatalog, type ModelCatalogOptions, type ModelSource, type ModelSummary } from './catalog.js';
export { DEFAULT_MODEL, isModelId, localCatalog, MODEL_ID_FORMS, MODEL_IDS, openModel, type LocalCatalogOptions } from './localModels.js';
export { GgufLoadError, GgufUnavailableError, NODE_LLAMA_CPP_INSTALL, type GgufGpu, type NodeLlamaCpp } from './ggufRuntime.js';
// node-llama-cpp's objects as the GGUF model uses them (structural types: the peer is optional)
export type { ChatHistoryItem, ChatWrapperHandle, ControlledInput, LlamaContextHandle, LlamaHandle, LlamaModelHandle, LlamaSequence, LlamaTextHandle, LlamaTokenizer, SamplingOptions } from './ggufRuntime.js';
export { ggufOptionsFromEnv, isGgufModel, openGgufModel, type ChatTurn, type GgufChatPrompt, type GgufModel, type GgufModelOptions } from './ggufModel.js';
export { decode, takeToken, type DecodeFinish, type DecodeOptions, type DecodeResult, type DecodeSampler, type DecodeStep } from './decode.js';
