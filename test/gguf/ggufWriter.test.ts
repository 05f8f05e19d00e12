import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ggufEnvironment } from './ggufEnvironment.js';
import { gguf, writeGguf } from './ggufWriter.js';
import { buildTinyLlama, writeTinyLlama } from './tinyLlama.js';

/** Reads back what `writeGguf` wrote: a small independent reader of the same layout. */
function readGguf(bytes: Buffer): { version: number; metadata: Map<string, unknown>; tensors: { name: string; dims: number[]; type: number; offset: number }[]; dataStart: number } {
  let at = 0;
  const u32 = (): number => {
    const value = bytes.readUInt32LE(at);
    at += 4;
    return value;
  };
  const u64 = (): number => {
    const value = Number(bytes.readBigUInt64LE(at));
    at += 8;
    return value;
  };
  const string = (): string => {
    const length = u64();
    const text = bytes.toString('utf8', at, at + length);
    at += length;
    return text;
  };
  const scalar = (type: number): unknown => {
    switch (type) {
      case 4:
        return u32();
      case 5: {
        const value = bytes.readInt32LE(at);
        at += 4;
        return value;
      }
      case 6: {
        const value = bytes.readFloatLE(at);
        at += 4;
        return value;
      }
      case 7:
        return bytes[at++] === 1;
      case 8:
        return string();
      default:
        throw new Error(`type ${type} not read here`);
    }
  };
  expect(bytes.toString('latin1', 0, 4)).toBe('GGUF');
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, unknown>();
  for (let index = 0; index < kvCount; index++) {
    const key = string();
    const type = u32();
    if (type === 9) {
      const itemType = u32();
      const length = u64();
      metadata.set(key, Array.from({ length }, () => scalar(itemType)));
    } else {
      metadata.set(key, scalar(type));
    }
  }
  const tensors = [];
  for (let index = 0; index < tensorCount; index++) {
    const name = string();
    const dims = Array.from({ length: u32() }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const alignment = Number(metadata.get('general.alignment') ?? 32);
  return { version, metadata, tensors, dataStart: Math.ceil(at / alignment) * alignment };
}

const directory = mkdtempSync(join(tmpdir(), 'knobs-gguf-writer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('writeGguf', () => {
  it('writes the v3 header, typed metadata and F32 tensors at 32-byte aligned offsets', () => {
    const a = Float32Array.from({ length: 5 }, (_, i) => i + 0.5);
    const b = Float32Array.from({ length: 6 }, (_, i) => -i);
    const bytes = writeGguf({ 'general.architecture': gguf.str('llama'), 'x.count': gguf.u32(7), 'x.eps': gguf.f32(0.25), 'x.flag': gguf.bool(true), 'x.names': gguf.strings(['a', 'β']), 'x.ids': gguf.i32s([-1, 2]) }, [
      { name: 'a', dims: [5], data: a },
      { name: 'b', dims: [3, 2], data: b },
    ]);
    const file = readGguf(bytes);
    expect(file.version).toBe(3);
    expect(Object.fromEntries(file.metadata)).toEqual({ 'general.architecture': 'llama', 'x.count': 7, 'x.eps': 0.25, 'x.flag': true, 'x.names': ['a', 'β'], 'x.ids': [-1, 2] });
    expect(file.tensors).toEqual([
      { name: 'a', dims: [5], type: 0, offset: 0 },
      { name: 'b', dims: [3, 2], type: 0, offset: 32 },
    ]);
    expect(file.dataStart % 32).toBe(0);
    for (const [tensor, data] of [
      [file.tensors[0], a],
      [file.tensors[1], b],
    ] as const) {
      const start = file.dataStart + (tensor?.offset ?? 0);
      expect(new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + data.byteLength))).toEqual(data);
    }
    expect(bytes.length % 32).toBe(0);
  });

  it('records a non-default alignment in general.alignment', () => {
    const file = readGguf(writeGguf({}, [{ name: 'w', dims: [3], data: new Float32Array(3) }, { name: 'v', dims: [1], data: new Float32Array(1) }], 64));
    expect(file.metadata.get('general.alignment')).toBe(64);
    expect(file.tensors[1]?.offset).toBe(64);
    expect(file.dataStart % 64).toBe(0);
  });

  it('refuses a tensor whose data does not fill its dimensions', () => {
    expect(() => writeGguf({}, [{ name: 'w', dims: [2, 2], data: new Float32Array(3) }])).toThrow(/2x2 hold 4 values/);
  });
});

describe('the tiny llama model', () => {
  it('is a small llama-architecture file with every tensor and hyperparameter llama.cpp needs', () => {
    for (const tokenizer of ['spm', 'bpe'] as const) {
      const tiny = buildTinyLlama({ tokenizer });
      const file = readGguf(tiny.bytes);
      expect(tiny.config.vocabSize).toBeGreaterThan(250);
      expect(tiny.config.vocabSize).toBeLessThan(320);
      expect(tiny.bytes.length).toBeLessThan(200_000);
      expect(file.metadata.get('general.architecture')).toBe('llama');
      for (const key of ['context_length', 'embedding_length', 'block_count', 'feed_forward_length', 'attention.head_count', 'attention.head_count_kv', 'rope.dimension_count', 'attention.layer_norm_rms_epsilon']) {
        expect(file.metadata.has(`llama.${key}`), key).toBe(true);
      }
      expect(file.metadata.get('tokenizer.ggml.model')).toBe(tokenizer === 'spm' ? 'llama' : 'gpt2');
      expect((file.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBe(tiny.config.vocabSize);
      const names = file.tensors.map((tensor) => tensor.name);
      expect(names).toEqual(expect.arrayContaining(['token_embd.weight', 'output_norm.weight', 'output.weight', 'blk.1.attn_q.weight', 'blk.1.ffn_down.weight']));
      expect(names).toHaveLength(3 + 9 * tiny.config.layers);
      expect(file.tensors.find((tensor) => tensor.name === 'blk.0.attn_k.weight')?.dims).toEqual([32, 16]);
    }
  });

  it('is the same file for the same seed, and another for another seed', () => {
    expect(buildTinyLlama({ seed: 5 }).bytes.equals(buildTinyLlama({ seed: 5 }).bytes)).toBe(true);
    expect(buildTinyLlama({ seed: 5 }).bytes.equals(buildTinyLlama({ seed: 6 }).bytes)).toBe(false);
  });

  it("reads back with node-llama-cpp's own GGUF parser", async ({ skip }) => {
    const environment = await ggufEnvironment();
    if (!environment.ok && environment.reason.includes('not installed')) skip(environment.reason);
    const { readGgufFileInfo } = (await import('node-llama-cpp' as string)) as { readGgufFileInfo: (path: string) => Promise<{ version: number; tensorInfo?: { name: string }[]; metadata: { general: { architecture: string }; llama: { block_count: number } } }> };
    const tiny = buildTinyLlama();
    const info = await readGgufFileInfo(writeTinyLlama(directory, tiny));
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe('llama');
    expect(info.metadata.llama.block_count).toBe(2);
    expect(info.tensorInfo?.map((tensor) => tensor.name)).toContain('blk.1.ffn_gate.weight');
  });
});
