/**
 * A tiny decoder-only language model for transformers.js and ONNX Runtime, written by the
 * tests themselves: a bigram model whose next-token logits are row `last token` of a fixed
 * [V, V] table (an ONNX `Gather`), with a one-layer key/value cache that a `Concat` grows by
 * one position per token, exactly as a real decoder's `past_key_values` do. Because the
 * table is known, the logits of every step are known without running anything: the
 * tests' reference.
 *
 * Files, as transformers.js expects them for `model_type: "gpt2"`: `config.json`,
 * `generation_config.json`, `tokenizer.json` (a WordPiece vocabulary of whole words), `tokenizer_config.json`,
 * `onnx/model.onnx` (float32) and `onnx/model_fp16.onnx` (float16 tables, cache and logits).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProtoModule from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { createSampler } from '../../src/samplers/chain.js';
import type { ChainSpec } from '../../src/samplers/spec.js';

const { onnx } = onnxProtoModule as unknown as { onnx: typeof OnnxTypes };

/** The vocabulary: token id = index. 0 is end-of-text, 15 the unknown word. */
export const WORDS = ['<|endoftext|>', 'the', 'cat', 'dog', 'sat', 'on', 'mat', 'a', 'ran', 'to', 'park', 'and', 'slept', 'big', 'red', '[UNK]'] as const;
export const VOCAB_SIZE = WORDS.length;
export const EOS = 0;

/**
 * The bigram table: logit of `next` after `previous`. Every value is a multiple of 1/4 in
 * [-3, 1.5], so float16 holds it exactly (the float16 model gives the same logits).
 */
export function tableLogit(previous: number, next: number): number {
  if (next === EOS || next === VOCAB_SIZE - 1) return -3;
  return ((previous * 3 + next) % 11) / 4 - 1;
}

/** Row `previous` of the table as float64 numbers (the reference logits after that token). */
export function tableRow(previous: number): number[] {
  return Array.from({ length: VOCAB_SIZE }, (_, next) => tableLogit(previous, next));
}

/** The float64 softmax of row `previous` (probabilities of the next token). */
export function tableProbabilities(previous: number): number[] {
  const row = tableRow(previous);
  const max = Math.max(...row);
  const weights = row.map((logit) => Math.exp(logit - max));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => weight / total);
}

/**
 * What our sampler draws when it is run by hand on the table: `steps` tokens after `prompt`,
 * each drawn with `createSampler(chain, { seed, engine, prompt })` from the row of the last
 * token and accepted. The reference the adapters must reproduce.
 */
export function referenceTokens(chain: ChainSpec | string, options: { seed: number; prompt: readonly number[]; steps: number; engine?: string }): number[] {
  const sampler = createSampler(chain, { seed: options.seed, engine: options.engine ?? 'knobs', prompt: options.prompt });
  const tokens: number[] = [];
  let last = options.prompt[options.prompt.length - 1] as number;
  for (let step = 0; step < options.steps; step++) {
    last = sampler.sample(Float32Array.from(tableRow(last)));
    sampler.accept(last);
    tokens.push(last);
  }
  return tokens;
}

/** The cache entry a token adds (one head, head size 1): token / 16, exact in float16. */
export const cacheValue = (token: number): number => token / 16;

/** Token ids of space-separated words of the vocabulary. */
export function encodeWords(text: string): number[] {
  return text.split(/\s+/).filter(Boolean).map((word) => {
    const id = (WORDS as readonly string[]).indexOf(word);
    if (id < 0) throw new Error(`${word} is not a word of the tiny vocabulary`);
    return id;
  });
}

/** IEEE 754 binary16 bits of a number that binary16 holds exactly (checked). */
export function float16Bits(value: number): number {
  if (value === 0) return Object.is(value, -0) ? 0x8000 : 0;
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  let biased = 0;
  let fraction = magnitude / 2 ** -24; // subnormal: fraction x 2^-24
  if (magnitude >= 2 ** -14) {
    const exponent = Math.floor(Math.log2(magnitude));
    biased = exponent + 15;
    fraction = (magnitude / 2 ** exponent - 1) * 1024;
  }
  if (!Number.isInteger(fraction) || fraction >= 1024 || biased > 30) throw new Error(`${value} is not exactly representable in float16`);
  return sign | (biased << 10) | fraction;
}

type Precision = 'float32' | 'float16';

function tensor(name: string, dims: number[], values: number[], precision: Precision): OnnxTypes.ITensorProto {
  if (precision === 'float32') return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) };
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT16, rawData: new Uint8Array(Uint16Array.from(values, float16Bits).buffer) };
}

function valueInfo(name: string, elemType: number, shape: (number | string)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } } },
  };
}

/**
 * The decoder as an ONNX model (serialized ModelProto, opset 17):
 * `logits = Gather(table, input_ids)` ([batch_size, sequence_length, V]) and, for the one
 * layer, `present.0.key = Concat(past_key_values.0.key, Transpose(Gather(cache, input_ids)))`
 * along the sequence axis (the same for `value`): [batch_size, 1, total_sequence_length, 1].
 * `attention_mask` is an input, as in exported decoders, and left unused.
 */
export function decoderOnnx(precision: Precision): Uint8Array {
  const float = precision === 'float32' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.FLOAT16;
  const int64 = onnx.TensorProto.DataType.INT64;
  const table: number[] = [];
  for (let previous = 0; previous < VOCAB_SIZE; previous++) table.push(...tableRow(previous));
  const cache = Array.from({ length: VOCAB_SIZE }, (_, token) => cacheValue(token));
  const nodes: OnnxTypes.INodeProto[] = [
    { opType: 'Gather', input: ['table', 'input_ids'], output: ['logits'], name: 'bigram', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
    { opType: 'Gather', input: ['cache_table', 'input_ids'], output: ['new_kv'], name: 'cache_rows', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
    { opType: 'Transpose', input: ['new_kv'], output: ['new_kv_t'], name: 'heads_first', attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 1, 3] }] },
  ];
  for (const part of ['key', 'value']) {
    nodes.push({
      opType: 'Concat',
      input: [`past_key_values.0.${part}`, 'new_kv_t'],
      output: [`present.0.${part}`],
      name: `grow_${part}`,
      attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 2 }],
    });
  }
  const model: OnnxTypes.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'creativity-knobs tests',
    graph: {
      name: 'tiny_bigram_decoder',
      node: nodes,
      initializer: [tensor('table', [VOCAB_SIZE, VOCAB_SIZE], table, precision), tensor('cache_table', [VOCAB_SIZE, 1, 1], cache, precision)],
      input: [
        valueInfo('input_ids', int64, ['batch_size', 'sequence_length']),
        valueInfo('attention_mask', int64, ['batch_size', 'total_sequence_length']),
        valueInfo('past_key_values.0.key', float, ['batch_size', 1, 'past_sequence_length', 1]),
        valueInfo('past_key_values.0.value', float, ['batch_size', 1, 'past_sequence_length', 1]),
      ],
      output: [
        valueInfo('logits', float, ['batch_size', 'sequence_length', VOCAB_SIZE]),
        valueInfo('present.0.key', float, ['batch_size', 1, 'total_sequence_length', 1]),
        valueInfo('present.0.value', float, ['batch_size', 1, 'total_sequence_length', 1]),
      ],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** transformers.js's files for the model: a WordPiece tokenizer of whole words (split on whitespace). */
function tokenizerFiles(): { tokenizer: unknown; tokenizerConfig: unknown } {
  const special = (id: number): unknown => ({ id, content: WORDS[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(EOS), special(VOCAB_SIZE - 1)],
      normalizer: null,
      pre_tokenizer: { type: 'WhitespaceSplit' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab: Object.fromEntries(WORDS.map((word, id) => [word, id])),
      },
    },
    tokenizerConfig: { tokenizer_class: 'GPT2Tokenizer', bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '[UNK]', model_max_length: 1024, clean_up_tokenization_spaces: true },
  };
}

/**
 * Writes the model directory `directory/name` and returns its path.
 *
 * @example
 * const path = writeTinyDecoder(tmp, 'tiny-bigram');
 * // AutoModelForCausalLM.from_pretrained('tiny-bigram', { local_files_only: true }) with env.localModelPath = tmp
 */
export function writeTinyDecoder(directory: string, name = 'tiny-bigram'): string {
  const root = join(directory, name);
  mkdirSync(join(root, 'onnx'), { recursive: true });
  const config = {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: VOCAB_SIZE,
    n_layer: 1,
    n_head: 1,
    n_embd: 1,
    n_positions: 1024,
    bos_token_id: EOS,
    eos_token_id: EOS,
  };
  const { tokenizer, tokenizerConfig } = tokenizerFiles();
  writeFileSync(join(root, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(root, 'generation_config.json'), JSON.stringify({ bos_token_id: EOS, eos_token_id: EOS }, null, 2));
  writeFileSync(join(root, 'tokenizer.json'), JSON.stringify(tokenizer, null, 2));
  writeFileSync(join(root, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2));
  writeFileSync(join(root, 'onnx', 'model.onnx'), decoderOnnx('float32'));
  writeFileSync(join(root, 'onnx', 'model_fp16.onnx'), decoderOnnx('float16'));
  return root;
}
