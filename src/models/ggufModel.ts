import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { InvalidInputError, InvalidParameterError, KnobsError } from '../core/errors.js';
import { escapeBytes, vocabularyBytes } from './ggufTokenText.js';
import {
  GgufLoadError,
  loadLlama,
  loadNodeLlamaCpp,
  type ChatHistoryItem,
  type ChatWrapperHandle,
  type ControlledInput,
  type GgufGpu,
  type LlamaContextHandle,
  type LlamaModelHandle,
  type LlamaSequence,
  type NodeLlamaCpp,
  type SamplingOptions,
} from './ggufRuntime.js';
import type { LanguageModel } from './languageModel.js';

/** Options of `openGgufModel`. */
export interface GgufModelOptions {
  /** Tokens a context may hold (default: the model's training context, at most 4096). */
  readonly contextSize?: number;
  /** CPU threads of llama.cpp (default: `os.availableParallelism()`). */
  readonly threads?: number;
  /** Where llama.cpp computes (default `'auto'`: a GPU when node-llama-cpp finds one). */
  readonly gpu?: GgufGpu;
  /**
   * Token streams kept at once (default 1). Each keeps its own KV cache, so interleaved
   * generations (a server's concurrent requests) each reuse their own prefix.
   */
  readonly sequences?: number;
  /** The node-llama-cpp module (default: imported on first use). */
  readonly runtime?: NodeLlamaCpp;
}

/** One chat message, as `chatPrompt` takes it. */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A conversation rendered with the model's chat template. */
export interface GgufChatPrompt {
  /** Token ids of the rendered conversation, BOS included when the template has it. */
  readonly tokens: number[];
  /** The same, as text with special tokens written out. */
  readonly text: string;
  /** Special tokens that end the reply (the template's end of turn, and EOS). */
  readonly stopTokens: number[];
  /** Plain-text strings that end the reply. */
  readonly stop: string[];
}

/** A GGUF model run by llama.cpp through node-llama-cpp. */
export interface GgufModel extends LanguageModel {
  /** Absolute path of the file. */
  readonly path: string;
  /** `general.architecture` of the file (`llama`, `qwen2`, `gemma3`, ...). */
  readonly architecture: string;
  /** The beginning-of-sequence token, or null when the vocabulary has none. */
  readonly bos: number | null;
  /** Whether `nextLogits` puts `bos` before a context that does not start with it. */
  readonly addsBos: boolean;
  /** Tokens a context may hold, BOS included. */
  readonly contextSize: number;
  /** Name of the model's chat template (node-llama-cpp's chat wrapper), or null when the file has none. */
  readonly chatTemplate: string | null;
  /** Renders messages with the model's chat template, ready for the assistant's reply (throws when it has none). */
  chatPrompt(messages: readonly ChatTurn[]): GgufChatPrompt;
  nextLogits(context: readonly number[], out?: Float32Array): Promise<Float32Array>;
  /** Frees the model and its context; the model cannot be used afterwards. */
  close(): Promise<void>;
}

/**
 * Whether a model is a GGUF model, with `chatPrompt`, `close` and the rest of `GgufModel`.
 *
 * @example
 * const prompt = isGgufModel(model) && model.chatTemplate ? model.chatPrompt(messages).tokens : model.encode(renderChatPrompt(messages));
 */
export function isGgufModel(model: LanguageModel): model is GgufModel {
  return model.id.startsWith('gguf:') && typeof (model as Partial<GgufModel>).chatPrompt === 'function';
}

/** The default largest context: a training context of 128k tokens would need gigabytes of KV cache. */
const DEFAULT_MAX_CONTEXT = 4096;

/**
 * The sampling under which node-llama-cpp reports the probabilities we read: temperature 1,
 * top-k 0 (= the whole vocabulary), top-p 1 and min-p 0 change nothing, so they are the
 * softmax of the raw logits. (The token it also draws, with this fixed seed, is not used.)
 */
const RAW_DISTRIBUTION: SamplingOptions = { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 0 };

/**
 * Reads `gguf:PATH`'s options from the environment, for the CLI: `KNOBS_GGUF_THREADS`,
 * `KNOBS_GGUF_CONTEXT` (context size) and `KNOBS_GGUF_GPU` (`auto`, `cpu`, `cuda`, `vulkan`, `metal`).
 *
 * @example
 * ggufOptionsFromEnv({ KNOBS_GGUF_THREADS: '1', KNOBS_GGUF_GPU: 'cpu' }); // { threads: 1, gpu: false }
 */
export function ggufOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GgufModelOptions {
  const integer = (name: string): number | undefined => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new InvalidParameterError(name, text, 'an integer >= 1');
    return value;
  };
  const gpuText = env.KNOBS_GGUF_GPU?.trim().toLowerCase();
  let gpu: GgufGpu | undefined;
  if (gpuText !== undefined && gpuText !== '') {
    if (gpuText === 'cpu' || gpuText === 'false') gpu = false;
    else if (gpuText === 'auto' || gpuText === 'cuda' || gpuText === 'vulkan' || gpuText === 'metal') gpu = gpuText;
    else throw new InvalidParameterError('KNOBS_GGUF_GPU', env.KNOBS_GGUF_GPU, 'one of auto, cpu, cuda, vulkan, metal');
  }
  const threads = integer('KNOBS_GGUF_THREADS');
  const contextSize = integer('KNOBS_GGUF_CONTEXT');
  return { ...(threads === undefined ? {} : { threads }), ...(contextSize === undefined ? {} : { contextSize }), ...(gpu === undefined ? {} : { gpu }) };
}

/** Checks that the file exists and starts with the GGUF magic, before node-llama-cpp is loaded. */
function checkGgufFile(path: string, id: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new InvalidParameterError('model', id, 'gguf:PATH with PATH an existing GGUF file (no file at that path)');
  }
  if (!isFile) throw new InvalidParameterError('model', id, 'gguf:PATH with PATH a GGUF file (that path is not a file)');
  const magic = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, magic, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (magic.toString('latin1') !== 'GGUF') throw new InvalidParameterError('model', id, 'gguf:PATH with PATH a GGUF file (it does not start with the bytes "GGUF")');
}

/** A value of node-llama-cpp's parsed metadata by dotted key (it nests `a.b.c` as objects). */
function metadataValue(metadata: unknown, key: string): unknown {
  let value: unknown = metadata;
  for (const part of key.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidParameterError(name, value, `an integer in [${min}, ${max}]`);
  return value;
}

function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  let index = 0;
  while (index < length && a[index] === b[index]) index++;
  return index;
}

/**
 * Opens a GGUF file (Llama, Qwen, Gemma, Mistral, Phi, ... anything llama.cpp runs) as a
 * `LanguageModel`, through node-llama-cpp, an optional peer dependency imported on first use
 * (`GgufUnavailableError` says how to install it when it is missing). Only node-llama-cpp's
 * prebuilt binaries are used: nothing is downloaded or built.
 *
 * - `nextLogits(context)` is the model's raw next-token distribution: llama.cpp evaluates
 *   the context (reusing the KV cache of the longest matching prefix) and reports the
 *   probability of every token of the vocabulary under temperature 1 and no truncation
 *   (`controlledEvaluate` with `generateNext.probabilities`: node-llama-cpp's supported way
 *   to read a full distribution; it exposes no raw logits). They are returned as natural
 *   logs, so our chain does all the sampling. Probabilities are float32: a token below
 *   about 1e-45 reads as -Infinity. BOS is put first when the model wants it and the
 *   context does not start with it. Handing the whole distribution over costs about 50 ms
 *   a token for a 150k vocabulary, on top of the model's own evaluation.
 * - `encode` is the model's own tokenizer, with special-token text (`<|im_start|>`) read as
 *   those tokens and no BOS; `decode` is the text the tokens add after a context, as
 *   llama.cpp prints pieces while generating (SentencePiece's leading space kept, special
 *   tokens left out).
 * - `stopTokens` are the vocabulary's end-of-generation tokens (EOS, EOT, `<|im_end|>`, ...).
 * - `chatPrompt(messages)` renders a conversation with the file's chat template
 *   (`tokenizer.chat_template`, through node-llama-cpp's chat wrappers).
 *
 * @example
 * const model = await openGgufModel('models/qwen2.5-0.5b-instruct-q4_k_m.gguf');
 * const logits = await model.nextLogits(model.encode('The capital of France is'));
 * model.tokenText(logits.indexOf(Math.max(...logits))); // ' Paris'
 */
export async function openGgufModel(path: string, options: GgufModelOptions = {}): Promise<GgufModel> {
  const absolute = resolve(path);
  const id = `gguf:${absolute}`;
  checkGgufFile(absolute, `gguf:${path}`);
  const threads = checkCount('threads', options.threads ?? availableParallelism(), 1, 1024);
  const sequences = checkCount('sequences', options.sequences ?? 1, 1, 64);
  if (options.contextSize !== undefined) checkCount('contextSize', options.contextSize, 1, 1 << 24);
  const runtime = options.runtime ?? (await loadNodeLlamaCpp(id));
  const llama = await loadLlama(runtime, { gpu: options.gpu ?? 'auto', threads });
  let model: LlamaModelHandle;
  try {
    model = await llama.loadModel({ modelPath: absolute });
  } catch (error) {
    throw new GgufLoadError('model', `llama.cpp could not load ${absolute}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    const vocabulary = vocabularyOf(model, absolute);
    const contextSize = options.contextSize ?? Math.min(model.trainContextSize > 0 ? model.trainContextSize : DEFAULT_MAX_CONTEXT, DEFAULT_MAX_CONTEXT);
    const context = await model.createContext({ contextSize, sequences, threads });
    return ggufLanguageModel({ id, path: absolute, runtime, model, context, vocabulary, sequences });
  } catch (error) {
    await model.dispose();
    if (error instanceof KnobsError) throw error;
    throw new GgufLoadError('model', `llama.cpp could not make a context for ${absolute}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * A `GgufModel` over node-llama-cpp objects the caller already has: a `LlamaModel`, and one
 * `LlamaContextSequence` of one of its contexts, on which `nextLogits` evaluates (keeping its
 * KV cache for the longest matching prefix, as the sequences of `openGgufModel` do). `path` is
 * the model's file, for the id (`gguf:PATH`). `close()` frees nothing of the caller's.
 *
 * @example
 * const model = ggufModelOfSequence({ runtime, model: llamaModel, context: sequence.context, sequence, path: llamaModel.filename });
 * await generate(model, 'Once upon a time', 'top_p=0.9', { seed: 1 });
 */
export function ggufModelOfSequence(parts: { runtime: NodeLlamaCpp; model: LlamaModelHandle; context: LlamaContextHandle; sequence: LlamaSequence; path: string }): GgufModel {
  const path = resolve(parts.path);
  const vocabulary = vocabularyOf(parts.model, path);
  return ggufLanguageModel({ id: `gguf:${path}`, path, runtime: parts.runtime, model: parts.model, context: parts.context, vocabulary, sequences: 1, borrowed: parts.sequence });
}

/** The token strings of a model's vocabulary (`tokenizer.ggml.tokens`); a file without one is refused. */
function vocabularyOf(model: LlamaModelHandle, path: string): string[] {
  const tokens = metadataValue(model.fileInfo.metadata, 'tokenizer.ggml.tokens');
  if (!Array.isArray(tokens) || tokens.length === 0) throw new GgufLoadError('model', `${path} has no vocabulary (tokenizer.ggml.tokens): it cannot be used as a language model`);
  return tokens.map(String);
}

interface Parts {
  readonly id: string;
  readonly path: string;
  readonly runtime: NodeLlamaCpp;
  readonly model: LlamaModelHandle;
  readonly context: LlamaContextHandle;
  readonly vocabulary: readonly string[];
  readonly sequences: number;
  /** The caller's sequence, used instead of new ones of `context`; `close` then frees nothing. */
  readonly borrowed?: LlamaSequence;
}

interface Slot {
  readonly sequence: LlamaSequence;
  busy: boolean;
}

function ggufLanguageModel(parts: Parts): GgufModel {
  const { model, context, vocabulary } = parts;
  const vocabSize = vocabulary.length;
  const bos = model.tokens.bos;
  const addsBos = bos !== null && model.tokens.shouldPrependBosToken;
  const architecture = String(metadataValue(model.fileInfo.metadata, 'general.architecture') ?? 'unknown');
  const stopTokens: number[] = [];
  for (let token = 0; token < vocabSize; token++) if (model.isEogToken(token)) stopTokens.push(token);
  const chat: ChatWrapperHandle | null = typeof metadataValue(model.fileInfo.metadata, 'tokenizer.chat_template') === 'string' ? parts.runtime.resolveChatWrapper(model, { warningLogs: false }) : null;
  const slots: Slot[] = [];
  if (parts.borrowed) slots.push({ sequence: parts.borrowed, busy: false });
  else for (let index = 0; index < parts.sequences; index++) slots.push({ sequence: context.getSequence(), busy: false });
  const waiting: (() => void)[] = [];
  const texts: (string | undefined)[] = new Array<string | undefined>(vocabSize);
  let closed = false;
  let last: { context: number[]; logits: Float32Array } | undefined;

  const ensureOpen = (): void => {
    if (closed) throw new KnobsError(`${parts.id} is closed`);
  };
  const checkTokens = (name: string, tokens: readonly number[]): void => {
    tokens.forEach((token, index) => {
      if (!Number.isInteger(token) || token < 0 || token >= vocabSize) throw new InvalidParameterError(`${name}[${index}]`, token, `a token id in [0, ${vocabSize - 1}]`);
    });
  };
  /** The text of tokens after a context: BOS first keeps llama.cpp from dropping a SentencePiece leading space. */
  const pieces = (tokens: readonly number[]): string => {
    if (tokens.length === 0) return '';
    return model.detokenize(bos === null ? tokens : [bos, ...tokens], false);
  };

  /** The idle sequence whose cache shares the longest prefix with `tokens` (waits while all are busy). */
  const acquire = async (tokens: readonly number[]): Promise<Slot> => {
    for (;;) {
      let best: Slot | undefined;
      let bestLength = -1;
      for (const slot of slots) {
        if (slot.busy) continue;
        const length = commonPrefixLength(slot.sequence.contextTokens, tokens);
        if (length > bestLength) {
          best = slot;
          bestLength = length;
        }
      }
      if (best) {
        best.busy = true;
        return best;
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };
  const release = (slot: Slot): void => {
    slot.busy = false;
    waiting.shift()?.();
  };

  /** Evaluates `tokens` on a sequence (keeping its cached prefix) and returns the next-token probabilities. */
  const evaluate = async (sequence: LlamaSequence, tokens: readonly number[]): Promise<Map<number, number>> => {
    const keep = Math.min(commonPrefixLength(sequence.contextTokens, tokens), tokens.length - 1);
    if (sequence.nextTokenIndex > keep) {
      try {
        await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
      } catch {
        // a state that cannot be cut (recurrent models): start over below
      }
      if (sequence.nextTokenIndex > keep) await sequence.clearHistory();
    }
    const start = sequence.nextTokenIndex;
    const input: ControlledInput[] = tokens.slice(start);
    input[input.length - 1] = [tokens[tokens.length - 1] as number, { generateNext: { probabilities: true, options: RAW_DISTRIBUTION } }];
    const results = await sequence.controlledEvaluate(input);
    const probabilities = results[input.length - 1]?.next.probabilities;
    if (!probabilities) throw new GgufLoadError('model', `llama.cpp returned no next-token probabilities for ${parts.id}`);
    return probabilities;
  };

  return {
    id: parts.id,
    path: parts.path,
    architecture,
    vocabSize,
    bos,
    addsBos,
    contextSize: context.contextSize,
    stopTokens,
    chatTemplate: chat?.wrapperName ?? null,
    encode(text: string): number[] {
      ensureOpen();
      return model.tokenize(text, true);
    },
    decode(tokens: readonly number[]): string {
      ensureOpen();
      checkTokens('tokens', tokens);
      return pieces(tokens);
    },
    tokenText(token: number): string {
      ensureOpen();
      checkTokens('token', [token]);
      let text = texts[token];
      if (text === undefined) {
        if (model.isSpecialToken(token)) {
          text = model.detokenize([token], true);
        } else {
          text = pieces([token]);
          if (text.includes('\uFFFD')) {
            const bytes = vocabularyBytes(vocabulary[token] as string, model.vocabularyType);
            if (bytes) text = escapeBytes(bytes);
          }
        }
        texts[token] = text;
      }
      return text;
    },
    async nextLogits(contextTokens: readonly number[], out?: Float32Array): Promise<Float32Array> {
      ensureOpen();
      checkTokens('context', contextTokens);
      if (out !== undefined && out.length !== vocabSize) throw new InvalidParameterError('out.length', out.length, `${vocabSize} (the vocabulary size)`);
      const tokens = addsBos && contextTokens[0] !== bos ? [bos, ...contextTokens] : [...contextTokens];
      if (tokens.length === 0) throw new InvalidInputError(`${parts.id} has no BOS token: give a context of at least one token`);
      if (tokens.length > context.contextSize) {
        throw new InvalidParameterError('context length', tokens.length, `at most ${context.contextSize} tokens (BOS included), the context size of ${parts.id}; open it with a larger contextSize (KNOBS_GGUF_CONTEXT)`);
      }
      const logits = out ?? new Float32Array(vocabSize);
      if (last && last.context.length === tokens.length && commonPrefixLength(last.context, tokens) === tokens.length) {
        logits.set(last.logits);
        return logits;
      }
      const slot = await acquire(tokens);
      let probabilities: Map<number, number>;
      try {
        ensureOpen();
        probabilities = await evaluate(slot.sequence, tokens);
      } finally {
        release(slot);
      }
      logits.fill(-Infinity);
      for (const [token, probability] of probabilities) if (token >= 0 && token < vocabSize) logits[token] = Math.log(probability);
      last = { context: tokens, logits: Float32Array.from(logits) };
      return logits;
    },
    chatPrompt(messages: readonly ChatTurn[]): GgufChatPrompt {
      ensureOpen();
      if (!chat) throw new KnobsError(`${parts.id} has no chat template (tokenizer.chat_template): render the conversation as plain text instead`);
      const history: ChatHistoryItem[] = messages.map((message) =>
        message.role === 'assistant' ? { type: 'model', response: [message.content] } : { type: message.role, text: message.content },
      );
      if (messages[messages.length - 1]?.role !== 'assistant') history.push({ type: 'model', response: [] });
      const state = chat.generateContextState({ chatHistory: history });
      const tokens = state.contextText.tokenize(model.tokenizer);
      const stopTokens = new Set<number>();
      const stop: string[] = [];
      for (const trigger of state.stopGenerationTriggers) {
        if (trigger.values.every((value) => typeof value === 'string')) {
          if (trigger.toString() !== '') stop.push(trigger.toString());
          continue;
        }
        const ids = trigger.tokenize(model.tokenizer);
        const [first] = ids;
        if (ids.length === 1 && first !== undefined && model.isSpecialToken(first)) stopTokens.add(first);
        else if (ids.length > 0) stop.push(model.detokenize(ids, true));
      }
      return { tokens, text: model.detokenize(tokens, true), stopTokens: [...stopTokens], stop };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (parts.borrowed) return;
      await context.dispose();
      await model.dispose();
    },
  };
}
