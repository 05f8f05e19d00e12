/**
 * A tiny llama-architecture model with seeded random F32 weights, written as a GGUF file
 * for tests: vocabulary of ~300 tokens (SentencePiece-style `llama` or byte-level BPE `gpt2`),
 * embedding 32, 2 layers, 4 query heads sharing 2 key/value heads, feed-forward 64, and a
 * ChatML chat template. It loads in milliseconds and is small enough to run again in plain
 * JavaScript (`referenceForward.ts`) to check llama.cpp's numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gguf, writeGguf, type GgufTensor, type GgufValue } from './ggufWriter.js';

/** Hyperparameters of the tiny model. */
export interface TinyConfig {
  readonly vocabSize: number;
  readonly embedding: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly feedForward: number;
  readonly contextLength: number;
  readonly rmsEpsilon: number;
  readonly ropeBase: number;
}

/** The weights of one block, as ggml stores them (row-major, dims[0] = input size). */
export interface TinyBlock {
  readonly attnNorm: Float32Array;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly o: Float32Array;
  readonly ffnNorm: Float32Array;
  readonly gate: Float32Array;
  readonly up: Float32Array;
  readonly down: Float32Array;
}

/** A built tiny model: the file's bytes and everything needed to check it. */
export interface TinyLlama {
  readonly bytes: Buffer;
  readonly config: TinyConfig;
  readonly tokenizer: 'spm' | 'bpe';
  /** Token strings as stored in the file. */
  readonly tokens: readonly string[];
  readonly bos: number;
  readonly eos: number;
  readonly imStart: number;
  readonly imEnd: number;
  readonly weights: { readonly embed: Float32Array; readonly outputNorm: Float32Array; readonly output: Float32Array; readonly blocks: readonly TinyBlock[] };
}

/** Options of `buildTinyLlama`. */
export interface TinyOptions {
  readonly tokenizer?: 'spm' | 'bpe';
  readonly seed?: number;
  readonly chatTemplate?: boolean;
}

/** ChatML, the jinja template many GGUF files carry in `tokenizer.chat_template`. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** Mulberry32 with Box-Muller normals: the same weights for the same seed everywhere. */
function normals(seed: number): (scale: number) => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (scale) => {
    const u = Math.max(uniform(), 1e-12);
    return scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** Merged pieces (SentencePiece `▁` = space), in priority order. */
const PIECES = ['▁t', 'he', '▁the', '▁c', 'at', '▁cat', '▁a', 'in', 'is', '▁is', '▁s', 'on', '▁on', 'er', 'an', '▁m', '▁mat', 'ed', 'or', 'en'];

/** GPT-2's bytes_to_unicode: every byte as a printable character. */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  return table;
}

function spmVocabulary(): { metadata: Record<string, GgufValue>; tokens: string[]; ids: { bos: number; eos: number; imStart: number; imEnd: number } } {
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores: number[] = [0, 0, 0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.byte);
    scores.push(0);
  }
  const singles = ['▁', ...'abcdefghijklmnopqrstuvwxyz', '.', ','];
  for (const piece of singles) {
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
    scores.push(-1000);
  }
  PIECES.forEach((piece, rank) => {
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
    scores.push(-rank);
  });
  return {
    tokens,
    ids: { bos: 1, eos: 2, imStart: 3, imEnd: 4 },
    metadata: {
      'tokenizer.ggml.model': gguf.str('llama'),
      'tokenizer.ggml.tokens': gguf.strings(tokens),
      'tokenizer.ggml.scores': gguf.f32s(scores),
      'tokenizer.ggml.token_type': gguf.i32s(types),
      'tokenizer.ggml.unknown_token_id': gguf.u32(0),
      'tokenizer.ggml.bos_token_id': gguf.u32(1),
      'tokenizer.ggml.eos_token_id': gguf.u32(2),
      'tokenizer.ggml.add_bos_token': gguf.bool(true),
      'tokenizer.ggml.add_eos_token': gguf.bool(false),
    },
  };
}

function bpeVocabulary(): { metadata: Record<string, GgufValue>; tokens: string[]; ids: { bos: number; eos: number; imStart: number; imEnd: number } } {
  const bytes = byteToUnicode();
  const tokens = [...bytes];
  const types: number[] = tokens.map(() => TOKEN_TYPE.normal);
  const merges: string[] = [];
  const known = new Set(tokens);
  for (const piece of PIECES.map((p) => p.replaceAll('▁', bytes[32] as string))) {
    // split the piece into two known halves (longest known left part), as a merge list needs
    const chars = [...piece];
    for (let cut = chars.length - 1; cut >= 1; cut--) {
      const left = chars.slice(0, cut).join('');
      const right = chars.slice(cut).join('');
      if (known.has(left) && known.has(right)) {
        merges.push(`${left} ${right}`);
        tokens.push(piece);
        types.push(TOKEN_TYPE.normal);
        known.add(piece);
        break;
      }
    }
  }
  const bos = tokens.length;
  for (const special of ['<|begin_of_text|>', '<|end_of_text|>', '<|im_start|>', '<|im_end|>']) {
    tokens.push(special);
    types.push(TOKEN_TYPE.control);
  }
  return {
    tokens,
    ids: { bos, eos: bos + 1, imStart: bos + 2, imEnd: bos + 3 },
    metadata: {
      'tokenizer.ggml.model': gguf.str('gpt2'),
      'tokenizer.ggml.pre': gguf.str('gpt-2'),
      'tokenizer.ggml.tokens': gguf.strings(tokens),
      'tokenizer.ggml.token_type': gguf.i32s(types),
      'tokenizer.ggml.merges': gguf.strings(merges),
      'tokenizer.ggml.bos_token_id': gguf.u32(bos),
      'tokenizer.ggml.eos_token_id': gguf.u32(bos + 1),
      'tokenizer.ggml.add_bos_token': gguf.bool(true),
    },
  };
}

/**
 * Builds the tiny model (same seed, same bytes).
 *
 * @example
 * const tiny = buildTinyLlama({ tokenizer: 'spm', seed: 1 });
 * tiny.config.vocabSize; // 309
 */
export function buildTinyLlama(options: TinyOptions = {}): TinyLlama {
  const tokenizer = options.tokenizer ?? 'spm';
  const vocabulary = tokenizer === 'spm' ? spmVocabulary() : bpeVocabulary();
  const config: TinyConfig = {
    vocabSize: vocabulary.tokens.length,
    embedding: 32,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    feedForward: 64,
    contextLength: 256,
    rmsEpsilon: 1e-5,
    ropeBase: 10000,
  };
  const random = normals(options.seed ?? 20261126);
  const matrix = (inputs: number, outputs: number, scale: number): Float32Array => Float32Array.from({ length: inputs * outputs }, () => random(scale));
  const norm = (size: number): Float32Array => Float32Array.from({ length: size }, () => 1 + random(0.1));
  const n = config.embedding;
  const headDim = n / config.heads;
  const kvSize = headDim * config.kvHeads;
  const embed = matrix(n, config.vocabSize, 1);
  const blocks: TinyBlock[] = [];
  for (let layer = 0; layer < config.layers; layer++) {
    blocks.push({
      attnNorm: norm(n),
      q: matrix(n, n, 0.4),
      k: matrix(n, kvSize, 0.4),
      v: matrix(n, kvSize, 0.4),
      o: matrix(n, n, 0.2),
      ffnNorm: norm(n),
      gate: matrix(n, config.feedForward, 0.3),
      up: matrix(n, config.feedForward, 0.3),
      down: matrix(config.feedForward, n, 0.2),
    });
  }
  const outputNorm = norm(n);
  const output = matrix(n, config.vocabSize, 0.5);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [n, config.vocabSize], data: embed },
    { name: 'output_norm.weight', dims: [n], data: outputNorm },
    { name: 'output.weight', dims: [n, config.vocabSize], data: output },
  ];
  blocks.forEach((block, layer) => {
    const prefix = `blk.${layer}`;
    tensors.push(
      { name: `${prefix}.attn_norm.weight`, dims: [n], data: block.attnNorm },
      { name: `${prefix}.attn_q.weight`, dims: [n, n], data: block.q },
      { name: `${prefix}.attn_k.weight`, dims: [n, kvSize], data: block.k },
      { name: `${prefix}.attn_v.weight`, dims: [n, kvSize], data: block.v },
      { name: `${prefix}.attn_output.weight`, dims: [n, n], data: block.o },
      { name: `${prefix}.ffn_norm.weight`, dims: [n], data: block.ffnNorm },
      { name: `${prefix}.ffn_gate.weight`, dims: [n, config.feedForward], data: block.gate },
      { name: `${prefix}.ffn_up.weight`, dims: [n, config.feedForward], data: block.up },
      { name: `${prefix}.ffn_down.weight`, dims: [config.feedForward, n], data: block.down },
    );
  });
  const metadata: Record<string, GgufValue> = {
    'general.architecture': gguf.str('llama'),
    'general.name': gguf.str(`tiny-llama-${tokenizer}`),
    'general.file_type': gguf.u32(0),
    'llama.context_length': gguf.u32(config.contextLength),
    'llama.embedding_length': gguf.u32(n),
    'llama.block_count': gguf.u32(config.layers),
    'llama.feed_forward_length': gguf.u32(config.feedForward),
    'llama.attention.head_count': gguf.u32(config.heads),
    'llama.attention.head_count_kv': gguf.u32(config.kvHeads),
    'llama.rope.dimension_count': gguf.u32(headDim),
    'llama.rope.freq_base': gguf.f32(config.ropeBase),
    'llama.attention.layer_norm_rms_epsilon': gguf.f32(config.rmsEpsilon),
    'llama.vocab_size': gguf.u32(config.vocabSize),
    ...vocabulary.metadata,
    ...(options.chatTemplate === false ? {} : { 'tokenizer.chat_template': gguf.str(CHATML_TEMPLATE) }),
  };
  return {
    bytes: writeGguf(metadata, tensors),
    config,
    tokenizer,
    tokens: vocabulary.tokens,
    ...vocabulary.ids,
    weights: { embed, outputNorm, output, blocks },
  };
}

/**
 * Writes the tiny model into `directory` and returns its path.
 *
 * @example
 * const path = writeTinyLlama(mkdtempSync(join(tmpdir(), 'gguf-')), buildTinyLlama());
 */
export function writeTinyLlama(directory: string, model: TinyLlama, name = `tiny-${model.tokenizer}.gguf`): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, name);
  writeFileSync(path, model.bytes);
  return path;
}
