/**
 * node-llama-cpp, the optional peer dependency that runs GGUF models: loaded on demand with a
 * dynamic `import()`, so that nothing else needs it, and described here by the few types we
 * use (its own types are not imported, so the package builds and type-checks without it).
 */
import { KnobsError } from '../core/errors.js';

/** The node-llama-cpp version these types and the tests were written against. */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';

/** The command that installs it (its prebuilt llama.cpp binaries come as npm packages). */
export const NODE_LLAMA_CPP_INSTALL = `npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`;

/**
 * `gguf:PATH` was asked for but node-llama-cpp is not installed.
 *
 * @example
 * throw new GgufUnavailableError('gguf:/models/qwen.gguf');
 * // message: "gguf:/models/qwen.gguf needs node-llama-cpp, ... run: npm install node-llama-cpp@3.21.1 ..."
 */
export class GgufUnavailableError extends KnobsError {
  override name = 'GgufUnavailableError';
  constructor(
    readonly modelId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${modelId} needs node-llama-cpp, an optional peer dependency of creativity-knobs that is not installed. ` +
        `Install it next to creativity-knobs: run \`${NODE_LLAMA_CPP_INSTALL}\` in your project ` +
        `(or \`npm install -g node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\` for a global knobs; in a clone of this repository: ` +
        `\`npm install --no-save node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\`). Its prebuilt llama.cpp binaries come with it as npm packages.`,
      options,
    );
  }
}

/**
 * node-llama-cpp is there but could not run: its llama.cpp binary does not load on this
 * machine (`stage: 'binary'`), or llama.cpp rejected the file (`stage: 'model'`).
 */
export class GgufLoadError extends KnobsError {
  override name = 'GgufLoadError';
  constructor(
    readonly stage: 'binary' | 'model',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One entry of the input of `controlledEvaluate`: a token, or a token whose next-token distribution is wanted. */
export type ControlledInput = number | [number, { generateNext: { probabilities: true; options: SamplingOptions } }];

/** The sampling options node-llama-cpp applies before it reports probabilities. */
export interface SamplingOptions {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  seed: number;
}

/** `LlamaContextSequence`: one stream of tokens with its KV cache. */
export interface LlamaSequence {
  readonly contextSize: number;
  readonly nextTokenIndex: number;
  readonly contextTokens: number[];
  eraseContextTokenRanges(ranges: { start: number; end: number }[]): Promise<void>;
  clearHistory(): Promise<void>;
  controlledEvaluate(input: ControlledInput[]): Promise<({ next: { probabilities?: Map<number, number> } } | undefined)[]>;
}

/** `LlamaContext`. */
export interface LlamaContextHandle {
  readonly contextSize: number;
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}

/** node-llama-cpp's `Tokenizer`, passed back to it as it is. */
export type LlamaTokenizer = object;

/** `LlamaModel`. */
export interface LlamaModelHandle {
  readonly tokens: { readonly bos: number | null; readonly eos: number | null; readonly eot: number | null; readonly shouldPrependBosToken: boolean };
  readonly fileInfo: { readonly metadata: unknown };
  readonly vocabularyType: string;
  readonly trainContextSize: number;
  readonly tokenizer: LlamaTokenizer;
  tokenize(text: string, specialTokens?: boolean): number[];
  detokenize(tokens: readonly number[], specialTokens?: boolean): string;
  isEogToken(token: number): boolean;
  isSpecialToken(token: number): boolean;
  createContext(options: { contextSize: number; sequences: number; threads: number; flashAttention?: boolean }): Promise<LlamaContextHandle>;
  dispose(): Promise<void>;
}

/** `Llama`: the loaded llama.cpp binary. */
export interface LlamaHandle {
  readonly gpu: string | false;
  loadModel(options: { modelPath: string; gpuLayers?: 'auto' | number }): Promise<LlamaModelHandle>;
}

/** `LlamaText`: text with special tokens, as chat wrappers render a conversation. */
export interface LlamaTextHandle {
  readonly values: readonly unknown[];
  toString(): string;
  tokenize(tokenizer: LlamaTokenizer): number[];
}

/** node-llama-cpp's chat history items. */
export type ChatHistoryItem = { type: 'system'; text: string } | { type: 'user'; text: string } | { type: 'model'; response: string[] };

/** A chat wrapper (a model's chat template). */
export interface ChatWrapperHandle {
  readonly wrapperName: string;
  generateContextState(options: { chatHistory: ChatHistoryItem[] }): { contextText: LlamaTextHandle; stopGenerationTriggers: LlamaTextHandle[] };
}

/** What we use of the node-llama-cpp module. */
export interface NodeLlamaCpp {
  getLlama(options: { build: 'never'; skipDownload: true; gpu: GgufGpu; maxThreads: number; logLevel: string; progressLogs: false }): Promise<LlamaHandle>;
  resolveChatWrapper(model: LlamaModelHandle, options?: { warningLogs?: boolean }): ChatWrapperHandle | null;
}

/** Where llama.cpp computes: `'auto'` (a GPU when there is one, else the CPU), `false` (CPU only) or one backend. */
export type GgufGpu = 'auto' | false | 'cuda' | 'vulkan' | 'metal';

/**
 * Imports node-llama-cpp (`specifier`, for tests) on first use. Throws `GgufUnavailableError`
 * when it is not installed.
 *
 * @example
 * const runtime = await loadNodeLlamaCpp('gguf:/models/qwen.gguf');
 */
export async function loadNodeLlamaCpp(modelId: string, specifier = 'node-llama-cpp'): Promise<NodeLlamaCpp> {
  try {
    return (await import(specifier)) as NodeLlamaCpp;
  } catch (error) {
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners (Vite: 'Could not resolve') say it in words
    const code = (error as { code?: unknown }).code;
    const message = String((error as Error | undefined)?.message);
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /could not resolve|cannot find (module|package)|failed to resolve/i.test(message);
    if (notFound && message.includes(specifier)) throw new GgufUnavailableError(modelId, { cause: error });
    throw error;
  }
}

const llamas = new WeakMap<NodeLlamaCpp, Map<string, Promise<LlamaHandle>>>();

/**
 * The llama.cpp binary of node-llama-cpp for these settings, loaded once per process: only
 * prebuilt binaries (never a download or a build from source). Throws `GgufLoadError` with
 * `stage: 'binary'` when none loads on this machine.
 *
 * @example
 * const llama = await loadLlama(await loadNodeLlamaCpp('gguf:m.gguf'), { gpu: false, threads: 1 });
 */
export function loadLlama(runtime: NodeLlamaCpp, settings: { gpu: GgufGpu; threads: number }): Promise<LlamaHandle> {
  const key = `${String(settings.gpu)}/${settings.threads}`;
  let loaded = llamas.get(runtime);
  if (!loaded) llamas.set(runtime, (loaded = new Map()));
  const cache = loaded;
  let llama = cache.get(key);
  if (!llama) {
    llama = runtime
      .getLlama({ build: 'never', skipDownload: true, gpu: settings.gpu, maxThreads: settings.threads, logLevel: 'error', progressLogs: false })
      .catch((error: unknown) => {
        cache.delete(key);
        throw new GgufLoadError(
          'binary',
          `node-llama-cpp is installed, but no prebuilt llama.cpp binary of it loads on this machine (${process.platform}-${process.arch}, gpu ${String(settings.gpu)}): ` +
            `${error instanceof Error ? error.message : String(error)}. Reinstall it (${NODE_LLAMA_CPP_INSTALL}) so that npm installs the @node-llama-cpp/* binary package of this platform.`,
          { cause: error },
        );
      });
    cache.set(key, llama);
  }
  return llama;
}
