/**
 * creativity-knobs/node-llama-cpp: our sampling chains on node-llama-cpp objects the caller
 * already has (a `LlamaModel`, or a `LlamaContextSequence` with its KV cache). node-llama-cpp
 * (an optional peer, imported when this module loads) samples with the options of its
 * `LlamaCompletion` / `LlamaChatSession` (3.21.1 declarations): temperature, minP, topK, topP,
 * seed, xtc, repeatPenalty, dryRepeatPenalty and tokenBias, in llama.cpp's order, with no
 * typical-p, top-n-sigma, mirostat, dynamic temperature, epsilon or eta. Here llama.cpp only
 * evaluates and reports each full next-token distribution, and our chain draws: any sampler,
 * in any order, under any engine profile, seeded the same on every machine. The model code and the decoding loop
 * are those of `knobs generate --model gguf:PATH`, so the same seed gives the same tokens.
 *
 * @module creativity-knobs/node-llama-cpp
 */
import { InvalidParameterError } from '../core/errors.js';
import { ggufModelOfSequence } from '../models/ggufModel.js';
import { loadNodeLlamaCpp, type LlamaContextHandle, type LlamaModelHandle, type LlamaSequence } from '../models/ggufRuntime.js';
import type { ChainSpec } from '../samplers/spec.js';
import { decodeWithChain, type DecodeOptions } from './decodeLoop.js';

const runtime = await loadNodeLlamaCpp('creativity-knobs/node-llama-cpp');

/** node-llama-cpp's `LlamaContextSequence`, as far as it is told apart here (the rest is used as node-llama-cpp defines it). */
export interface LlamaContextSequenceLike {
  readonly model: object;
  readonly context: object;
  readonly contextTokens: readonly number[];
}

/** node-llama-cpp's `LlamaModel`, as far as it is told apart here. */
export interface LlamaModelLike {
  readonly filename?: string | undefined;
  readonly trainContextSize: number;
  createContext(options?: { contextSize?: number; sequences?: number; threads?: number }): Promise<object>;
}

/** Options of `generateWithKnobs`. */
export interface GenerateWithKnobsOptions extends DecodeOptions {
  /** Context size when a `LlamaModel` is given (a context is made for the call, then freed); default: the model's training context, at most 4096. */
  readonly contextSize?: number;
  /** CPU threads of that context (default: node-llama-cpp's, every core). */
  readonly threads?: number;
}

/** One generation. */
export interface KnobsGeneration {
  /** Token ids of the prompt, as the chain counts them (llama.cpp evaluates them after the model's BOS when it wants one). */
  readonly promptTokens: number[];
  /** Generated token ids (without the model's end-of-generation token). */
  readonly tokens: number[];
  /** Their text, cut before the stop string that ended it. */
  readonly text: string;
  /** `stop`: an end-of-generation token or a stop string; `length`: `maxTokens` reached. */
  readonly finishReason: 'stop' | 'length';
  /** The stop string that ended it, or null. */
  readonly stopSequence: string | null;
}

const isSequence = (value: object): value is LlamaContextSequenceLike => 'contextTokens' in value && 'context' in value && 'model' in value;

/**
 * Generates from `prompt` (text, tokenized with the model's tokenizer and special tokens
 * recognised, or token ids) with a chain (`createSampler`), on a node-llama-cpp
 * `LlamaContextSequence` (its KV cache is kept and reused for the longest matching prefix;
 * nothing of it is freed) or a `LlamaModel` (a one-sequence context is made for the call
 * and freed after). At each step llama.cpp evaluates the context and reports the model's whole
 * next-token distribution; our chain draws, seeded with `seed`, and the token is accepted
 * into its history (the prompt being its `prompt`). Ends at an end-of-generation token, a
 * `stop` string, `maxTokens` (default 40) or when `signal` aborts (then it rejects).
 * `knobs generate --model gguf:PATH --seed S` draws the same tokens.
 *
 * @example
 * import { getLlama } from 'node-llama-cpp';
 * import { generateWithKnobs } from 'creativity-knobs/node-llama-cpp';
 * const llama = await getLlama();
 * const model = await llama.loadModel({ modelPath: 'models/qwen2.5-0.5b-instruct-q4_k_m.gguf' });
 * const context = await model.createContext();
 * const result = await generateWithKnobs(context.getSequence(), 'Once upon a time', [{ dry: { multiplier: 0.8 } }, { min_p: 0.05 }, { temperature: 1.1 }], { seed: 1, maxTokens: 60, stop: ['\n\n'] });
 * result.text;
 */
export async function generateWithKnobs(sequenceOrModel: LlamaContextSequenceLike | LlamaModelLike, prompt: string | readonly number[], chain: ChainSpec | string, options: GenerateWithKnobsOptions = {}): Promise<KnobsGeneration> {
  let owned: LlamaContextHandle | undefined;
  let model: LlamaModelHandle;
  let context: LlamaContextHandle;
  let sequence: LlamaSequence;
  if (isSequence(sequenceOrModel)) {
    model = sequenceOrModel.model as LlamaModelHandle;
    context = sequenceOrModel.context as LlamaContextHandle;
    sequence = sequenceOrModel as unknown as LlamaSequence;
  } else if (typeof (sequenceOrModel as Partial<LlamaModelLike>).createContext === 'function') {
    const contextSize = options.contextSize ?? Math.min(sequenceOrModel.trainContextSize > 0 ? sequenceOrModel.trainContextSize : 4096, 4096);
    if (!Number.isInteger(contextSize) || contextSize < 1) throw new InvalidParameterError('contextSize', contextSize, 'an integer >= 1');
    model = sequenceOrModel as unknown as LlamaModelHandle;
    if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) throw new InvalidParameterError('threads', options.threads, 'an integer >= 1');
    context = owned = (await sequenceOrModel.createContext({ contextSize, sequences: 1, ...(options.threads === undefined ? {} : { threads: options.threads }) })) as LlamaContextHandle;
    sequence = context.getSequence();
  } else {
    throw new InvalidParameterError('sequenceOrModel', Object.prototype.toString.call(sequenceOrModel), "a node-llama-cpp LlamaContextSequence (context.getSequence()) or LlamaModel (llama.loadModel(...))");
  }
  try {
    const languageModel = ggufModelOfSequence({ runtime, model, context, sequence, path: (model as { filename?: string }).filename ?? 'model.gguf' });
    const promptTokens = typeof prompt === 'string' ? languageModel.encode(prompt) : [...prompt];
    const decoded = await decodeWithChain(languageModel, promptTokens, chain, options);
    return { promptTokens, ...decoded };
  } finally {
    await owned?.dispose();
  }
}
