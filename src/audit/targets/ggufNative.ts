import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { InvalidParameterError, KnobsError } from '../../core/errors.js';
import { ggufModelOfSequence, type GgufModel } from '../../models/ggufModel.js';
import { loadLlama, loadNodeLlamaCpp, NODE_LLAMA_CPP_VERSION, type GgufGpu, type LlamaContextHandle, type LlamaModelHandle, type LlamaSequence, type NodeLlamaCpp } from '../../models/ggufRuntime.js';
import { targetKind } from '../targetKinds.js';
import type { AuditPrompt, AuditTarget, Fields, TargetAnswer, TargetRequest } from '../types.js';

/** node-llama-cpp's own sampling options for one evaluation (3.21.1's `generateNext.options`). */
interface NativeOptions {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  seed: number;
  xtc?: { probability: number; threshold: number };
  tokenBias?: object;
}

/** The part of `controlledEvaluate` that draws a token with node-llama-cpp's sampler. */
type DrawInput = number | [number, { generateNext: { token: true; options: NativeOptions } }];
interface DrawingSequence {
  readonly nextTokenIndex: number;
  readonly contextTokens: number[];
  eraseContextTokenRanges(ranges: { start: number; end: number }[]): Promise<void>;
  clearHistory(): Promise<void>;
  controlledEvaluate(input: DrawInput[]): Promise<({ next: { token?: number | null } } | undefined)[]>;
}

/** node-llama-cpp's `TokenBias` (3.21.1): `set(token, { logit })` adds to a token's logit. */
interface TokenBiasClass {
  new (tokenizer: object): { set(input: number, bias: { logit: number }): unknown };
}

/** Options of `ggufNativeTarget`. */
export interface GgufNativeOptions {
  /** CPU threads (default: every core). */
  readonly threads?: number;
  readonly gpu?: GgufGpu;
  /** Context size (default 512: the audit's prompts are short). */
  readonly contextSize?: number;
  /** The node-llama-cpp module (default: imported on first use). */
  readonly runtime?: NodeLlamaCpp;
}

const FIELDS = new Set(['temperature', 'top_k', 'top_p', 'min_p', 'xtc_probability', 'xtc_threshold', 'logit_bias']);

function numberField(fields: Fields, name: string, fallback: number): number {
  const value = fields[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(name, value, 'a finite number');
  return value;
}

/**
 * A GGUF model sampled by node-llama-cpp's own sampler (`--model gguf:PATH --sampler
 * native`), as an audit target: each request evaluates the prompt (keeping the KV cache of
 * its longest matching prefix) and lets node-llama-cpp draw with
 * `controlledEvaluate(..., { generateNext: { token: true, options } })` — its options
 * temperature, topK, topP, minP, xtc, tokenBias (a `TokenBias` with `{ logit }` values) and
 * seed, applied by llama.cpp's samplers in node-llama-cpp's fixed order. Our samplers take
 * no part in it; the neutral distribution is read from the same model at temperature 1 with
 * every cut off (`GgufModel.nextLogits`). A field node-llama-cpp has no option for is
 * answered as refused by the client (nothing to send it to).
 *
 * @example
 * const target = await ggufNativeTarget('models/qwen2.5-0.5b-instruct-q4_k_m.gguf');
 * const result = await auditTarget(target, { knobs: ['temperature', 'top_k', 'top_p', 'min_p'] });
 */
export async function ggufNativeTarget(path: string, options: GgufNativeOptions = {}): Promise<AuditTarget> {
  const absolute = resolve(path);
  const id = `gguf:${absolute}`;
  const runtime = options.runtime ?? (await loadNodeLlamaCpp(id));
  const llama = await loadLlama(runtime, { gpu: options.gpu ?? 'auto', threads: options.threads ?? availableParallelism() });
  let model: LlamaModelHandle;
  try {
    model = await llama.loadModel({ modelPath: absolute });
  } catch (error) {
    throw new KnobsError(`llama.cpp could not load ${absolute}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const context: LlamaContextHandle = await model.createContext({ contextSize: options.contextSize ?? 512, sequences: 1, threads: options.threads ?? availableParallelism() });
  const sequence: LlamaSequence = context.getSequence();
  const languageModel: GgufModel = ggufModelOfSequence({ runtime, model, context, sequence, path: absolute });
  const drawing = sequence as unknown as DrawingSequence;
  const TokenBias = (runtime as unknown as { TokenBias?: TokenBiasClass }).TokenBias;
  const kind = targetKind('gguf-native');

  const contextOf = (prompt: AuditPrompt): number[] => {
    const tokens = prompt.tokens ? [...prompt.tokens] : languageModel.encode(prompt.text ?? '');
    return languageModel.addsBos && tokens[0] !== languageModel.bos ? [languageModel.bos as number, ...tokens] : tokens;
  };

  /** One token drawn by node-llama-cpp after `tokens`, with its options. */
  const draw = async (tokens: readonly number[], native: NativeOptions): Promise<number> => {
    let keep = 0;
    const cached = drawing.contextTokens;
    while (keep < Math.min(cached.length, tokens.length - 1) && cached[keep] === tokens[keep]) keep++;
    if (drawing.nextTokenIndex > keep) {
      try {
        await drawing.eraseContextTokenRanges([{ start: keep, end: drawing.nextTokenIndex }]);
      } catch {
        // a state that cannot be cut: start over below
      }
      if (drawing.nextTokenIndex > keep) await drawing.clearHistory();
    }
    const input: DrawInput[] = tokens.slice(drawing.nextTokenIndex);
    input[input.length - 1] = [tokens[tokens.length - 1] as number, { generateNext: { token: true, options: native } }];
    const results = await drawing.controlledEvaluate(input);
    const token = results[input.length - 1]?.next.token;
    if (typeof token !== 'number') throw new KnobsError(`node-llama-cpp drew no token for ${id}`);
    return token;
  };

  const nativeOptions = (fields: Fields, seed: number): NativeOptions | string => {
    const unknown = Object.keys(fields).filter((field) => !FIELDS.has(field));
    if (unknown.length > 0) return `node-llama-cpp has no sampling option for ${unknown.join(', ')}`;
    const native: NativeOptions = {
      temperature: numberField(fields, 'temperature', 0),
      topK: numberField(fields, 'top_k', 40),
      topP: numberField(fields, 'top_p', 0.95),
      minP: numberField(fields, 'min_p', 0),
      seed,
    };
    if (fields.xtc_probability !== undefined) native.xtc = { probability: numberField(fields, 'xtc_probability', 0), threshold: numberField(fields, 'xtc_threshold', 0.1) };
    const bias = fields.logit_bias as Record<string, number> | undefined;
    if (bias !== undefined && bias !== null && Object.keys(bias).length > 0) {
      if (!TokenBias) return 'this node-llama-cpp has no TokenBias';
      const tokenBias = new TokenBias(model.tokenizer);
      for (const [token, value] of Object.entries(bias)) tokenBias.set(Number(token), { logit: value });
      native.tokenBias = tokenBias;
    }
    return native;
  };

  return {
    kind: 'gguf-native',
    label: `node-llama-cpp (native sampler) ${absolute}`,
    description: { runtime: `node-llama-cpp ${NODE_LLAMA_CPP_VERSION}`, sampler: 'native', model: id },
    profiles: kind.profiles,
    ...(kind.profileNote ? { profileNote: kind.profileNote } : {}),
    knobs: kind.knobs,
    knobsSource: kind.source,
    baseline: kind.baseline,
    logprobs: 'full',
    maxTopLogprobs: 0,
    tokenIds: true,
    rawLogits: 'unknown',
    seeds: true,
    paid: false,
    limits: { concurrency: 1 },
    vocabSize: languageModel.vocabSize,
    encode: (text) => languageModel.encode(text),
    tokenText: (token) => languageModel.tokenText(token),
    distribution: async (prompt) => languageModel.nextLogits(contextOf(prompt).slice(languageModel.addsBos ? 1 : 0)),
    async send(request: TargetRequest): Promise<TargetAnswer> {
      const native = nativeOptions(request.fields, request.seed);
      if (typeof native === 'string') return { status: 'refused', reason: native, byServer: false };
      const tokens = contextOf(request.prompt);
      const drawn: number[] = [];
      for (let step = 0; step < request.maxTokens; step++) {
        const token = await draw([...tokens, ...drawn], native);
        drawn.push(token);
        if (languageModel.stopTokens.includes(token)) break;
      }
      return {
        status: 'ok',
        text: languageModel.decode(drawn.filter((token) => !languageModel.stopTokens.includes(token))),
        tokens: drawn.map((token) => ({ key: `id:${token}`, text: languageModel.tokenText(token), id: token })),
      };
    },
    async close() {
      await context.dispose();
      await model.dispose();
    },
  };
}
