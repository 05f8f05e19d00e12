import { basename, dirname, resolve } from 'node:path';
import { KnobsError } from '../../core/errors.js';
import { importRuntime } from '../../adapters/peer.js';
import { targetKind } from '../targetKinds.js';
import type { AuditPrompt, AuditTarget, TargetAnswer, TargetRequest } from '../types.js';

/** What the audit uses of transformers.js 4 (described here, so that nothing needs the peer to type-check). */
interface Tensor {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
  tolist(): unknown[];
}
interface CausalModel {
  generate(options: Record<string, unknown>): Promise<Tensor>;
  readonly config: { readonly vocab_size?: number };
}
interface Tokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: readonly number[], options?: { skip_special_tokens?: boolean }): string;
}
interface TransformersModule {
  env: { allowRemoteModels: boolean; localModelPath: string };
  AutoModelForCausalLM: { from_pretrained(id: string, options: Record<string, unknown>): Promise<CausalModel> };
  AutoTokenizer: { from_pretrained(id: string, options: Record<string, unknown>): Promise<Tokenizer> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => Tensor;
  LogitsProcessor: new () => { _call(input_ids: bigint[][], logits: Tensor): Tensor };
  random: { seed(seed: number): void };
}

/** The request fields that are `GenerationConfig` fields of transformers.js 4 (sent as they are; whether it applies them is what the audit measures). */
const GENERATION_FIELDS = new Set(['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'repetition_penalty', 'no_repeat_ngram_size', 'epsilon_cutoff', 'eta_cutoff']);

/** Options of `transformersTarget`. */
export interface TransformersTargetOptions {
  /** Weights to load (default `fp32`). */
  readonly dtype?: string;
}

/**
 * A transformers.js model directory (`--model transformers:DIR`) sampled by transformers.js's
 * own `generate()`, as an audit target: each request seeds its global generator
 * (`random.seed(seed)`) and calls `generate({ do_sample: true, max_new_tokens, ...fields })`
 * with the request's knobs as `GenerationConfig` fields, one request at a time. The neutral
 * distribution is read by a pass-through `LogitsProcessor` in a greedy `generate()`. Files
 * are read from the directory only (`allowRemoteModels` off): nothing is downloaded. A field
 * that is no `GenerationConfig` field (`logit_bias`, the additive penalties) is refused by
 * the client.
 *
 * @example
 * const target = await transformersTarget('models/tiny-bigram');
 * const result = await auditTarget(target, { knobs: ['temperature', 'top_k', 'top_p'] });
 */
export async function transformersTarget(directory: string, options: TransformersTargetOptions = {}): Promise<AuditTarget> {
  const absolute = resolve(directory);
  const tf = await importRuntime<TransformersModule>('knobs audit --model transformers:DIR', '@huggingface/transformers', 'npm install @huggingface/transformers@4');
  const saved = { allowRemoteModels: tf.env.allowRemoteModels, localModelPath: tf.env.localModelPath };
  tf.env.allowRemoteModels = false;
  tf.env.localModelPath = dirname(absolute);
  let model: CausalModel;
  let tokenizer: Tokenizer;
  try {
    model = await tf.AutoModelForCausalLM.from_pretrained(basename(absolute), { local_files_only: true, dtype: options.dtype ?? 'fp32', device: 'cpu' });
    tokenizer = await tf.AutoTokenizer.from_pretrained(basename(absolute), { local_files_only: true });
  } catch (error) {
    throw new KnobsError(`transformers.js could not load ${absolute}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    tf.env.allowRemoteModels = saved.allowRemoteModels;
    tf.env.localModelPath = saved.localModelPath;
  }
  const kind = targetKind('transformers.js');
  const encode = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false });
  const inputs = (prompt: AuditPrompt): Record<string, Tensor> => {
    const ids = prompt.tokens ?? encode(prompt.text ?? '');
    const data = BigInt64Array.from(ids, (id) => BigInt(id));
    return { input_ids: new tf.Tensor('int64', data, [1, ids.length]), attention_mask: new tf.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]) };
  };
  let captured: Float32Array | undefined;
  class Capture extends tf.LogitsProcessor {
    override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
      captured = Float32Array.from(logits.data);
      return logits;
    }
  }
  const eos = new Set<number>();
  const configured = (model as unknown as { generation_config?: { eos_token_id?: number | number[] } }).generation_config?.eos_token_id;
  for (const id of Array.isArray(configured) ? configured : configured === undefined ? [] : [configured]) eos.add(id);

  return {
    kind: 'transformers.js',
    label: `transformers.js ${absolute}`,
    description: { runtime: 'transformers.js', sampler: 'generate', model: absolute },
    profiles: kind.profiles,
    ...(kind.profileNote ? { profileNote: kind.profileNote } : {}),
    knobs: kind.knobs,
    knobsSource: kind.source,
    baseline: kind.baseline,
    logprobs: 'full',
    maxTopLogprobs: 0,
    tokenIds: true,
    rawLogits: 'exact',
    seeds: true,
    paid: false,
    limits: { concurrency: 1 },
    ...(model.config.vocab_size !== undefined ? { vocabSize: model.config.vocab_size } : {}),
    encode,
    tokenText: (id) => tokenizer.decode([id]),
    async distribution(prompt) {
      captured = undefined;
      await model.generate({ ...inputs(prompt), max_new_tokens: 1, do_sample: false, repetition_penalty: 1, logits_processor: [new Capture()] });
      if (!captured) throw new KnobsError(`transformers.js gave no logits for ${absolute}`);
      return captured;
    },
    async send(request: TargetRequest): Promise<TargetAnswer> {
      const unknown = Object.keys(request.fields).filter((field) => !GENERATION_FIELDS.has(field));
      if (unknown.length > 0) return { status: 'refused', reason: `transformers.js's GenerationConfig has no ${unknown.join(', ')}`, byServer: false };
      const prompt = inputs(request.prompt);
      const length = (prompt.input_ids as Tensor).dims[1] as number;
      tf.random.seed(request.seed);
      const output = await model.generate({ ...prompt, ...request.fields, do_sample: true, max_new_tokens: request.maxTokens });
      const row = ((output.tolist() as bigint[][])[0] ?? []).slice(length).map(Number);
      const kept = row.filter((id) => !eos.has(id));
      return {
        status: 'ok',
        text: kept.length > 0 ? tokenizer.decode(kept) : '',
        tokens: row.map((id) => ({ key: `id:${id}`, text: tokenizer.decode([id]), id })),
      };
    },
  };
}
