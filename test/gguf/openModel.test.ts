import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidParameterError, KnobsError } from '../../src/core/errors.js';
import { ggufOptionsFromEnv, openGgufModel } from '../../src/models/ggufModel.js';
import { GgufLoadError, GgufUnavailableError, loadNodeLlamaCpp, NODE_LLAMA_CPP_INSTALL, type NodeLlamaCpp } from '../../src/models/ggufRuntime.js';
import { escapeBytes, vocabularyBytes } from '../../src/models/ggufTokenText.js';
import { isModelId, MODEL_ID_FORMS, MODEL_IDS, openModel } from '../../src/models/localModels.js';
import { buildTinyLlama, byteToUnicode, writeTinyLlama } from './tinyLlama.js';

// None of these needs node-llama-cpp's binary: they run on every machine.

const directory = mkdtempSync(join(tmpdir(), 'knobs-gguf-open-'));
const path = writeTinyLlama(directory, buildTinyLlama());
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('gguf:PATH model ids', () => {
  it('isModelId takes the embedded ids and gguf:PATH, and nothing else', () => {
    for (const id of [...MODEL_IDS, 'gguf:model.gguf', 'gguf:/abs/path with spaces.gguf']) expect(isModelId(id), id).toBe(true);
    for (const id of ['gguf:', 'gpt-4o', 'embedded:brown-kn5', 'GGUF:x.gguf']) expect(isModelId(id), id).toBe(false);
    expect(MODEL_ID_FORMS).toContain('gguf:PATH');
  });

  it('a missing file is a bad --model value, before node-llama-cpp is loaded', async () => {
    const missing = join(directory, 'nope.gguf');
    await expect(openModel(`gguf:${missing}`)).rejects.toThrow(InvalidParameterError);
    await expect(openModel(`gguf:${missing}`)).rejects.toThrow(`model = ${JSON.stringify(`gguf:${missing}`)} is out of range: expected gguf:PATH with PATH an existing GGUF file`);
    await expect(openModel(`gguf:${directory}`)).rejects.toThrow(/not a file/);
  });

  it('a file that is no GGUF is refused by its first bytes', async () => {
    const text = join(directory, 'model.txt');
    writeFileSync(text, 'not a model');
    await expect(openModel(`gguf:${text}`)).rejects.toThrow(/does not start with the bytes "GGUF"/);
  });

  it('an unknown id lists every form', async () => {
    await expect(openModel('llama3')).rejects.toThrow(/expected one of embedded, .*, gguf:PATH/);
  });
});

describe('without node-llama-cpp', () => {
  it('says exactly how to install it', async () => {
    const error = await loadNodeLlamaCpp('gguf:/m/qwen.gguf', 'node-llama-cpp-is-not-installed-here').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GgufUnavailableError);
    expect(error).toBeInstanceOf(KnobsError);
    const message = (error as Error).message;
    expect(message).toContain('gguf:/m/qwen.gguf needs node-llama-cpp');
    expect(message).toContain(NODE_LLAMA_CPP_INSTALL);
    expect(NODE_LLAMA_CPP_INSTALL).toBe('npm install node-llama-cpp@3.21.1');
  });

  it('a llama.cpp binary that does not load is a GgufLoadError of stage "binary"', async () => {
    const runtime: NodeLlamaCpp = {
      getLlama: () => Promise.reject(new Error('NoBinaryFoundError: no binary for this platform')),
      resolveChatWrapper: () => null,
    };
    const error = await openGgufModel(path, { runtime, gpu: false, threads: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GgufLoadError);
    expect((error as GgufLoadError).stage).toBe('binary');
    expect((error as Error).message).toMatch(/no prebuilt llama.cpp binary of it loads on this machine .*no binary for this platform/);
  });

  it('the rest of the package never imports it: no code outside src/models/gguf*.ts names it (doc examples may)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../../src/', import.meta.url);
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
    const code = (file: string): string[] => readFileSync(new URL(file, root), 'utf8').split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line));
    // The module as a specifier (an import, a require, a default specifier); the engine profile
    // of the same name (`node-llama-cpp` in a list of profiles) is not an import.
    const specifier = /(?:from\s*|import\(\s*|require\(\s*|=\s*)'node-llama-cpp'/;
    const naming = files.filter((file) => code(file).some((line) => specifier.test(line)));
    expect(naming).toEqual(['models/ggufRuntime.ts']);
  });
});

describe('ggufOptionsFromEnv', () => {
  it('reads threads, context size and GPU from KNOBS_GGUF_*', () => {
    expect(ggufOptionsFromEnv({})).toEqual({});
    expect(ggufOptionsFromEnv({ KNOBS_GGUF_THREADS: '2', KNOBS_GGUF_CONTEXT: '1024', KNOBS_GGUF_GPU: 'cpu' })).toEqual({ threads: 2, contextSize: 1024, gpu: false });
    expect(ggufOptionsFromEnv({ KNOBS_GGUF_GPU: 'Vulkan' })).toEqual({ gpu: 'vulkan' });
  });

  it('names the bad variable and the allowed values', () => {
    expect(() => ggufOptionsFromEnv({ KNOBS_GGUF_THREADS: '0' })).toThrow('KNOBS_GGUF_THREADS = "0" is out of range: expected an integer >= 1');
    expect(() => ggufOptionsFromEnv({ KNOBS_GGUF_GPU: 'tpu' })).toThrow(/KNOBS_GGUF_GPU = "tpu" .* one of auto, cpu, cuda, vulkan, metal/);
  });
});

describe('token texts of GGUF vocabularies', () => {
  it('SentencePiece byte tokens and ▁, byte-level BPE characters', () => {
    expect(vocabularyBytes('<0xE2>', 'spm')).toEqual(Uint8Array.of(0xe2));
    expect(new TextDecoder().decode(vocabularyBytes('▁the', 'spm'))).toBe(' the');
    const alphabet = byteToUnicode();
    expect(vocabularyBytes(`${alphabet[32]}cat`, 'bpe')).toEqual(Uint8Array.of(32, 99, 97, 116));
    expect(vocabularyBytes(alphabet.join(''), 'bpe')).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i));
    expect(vocabularyBytes('☃', 'bpe')).toBeUndefined();
    expect(vocabularyBytes('x', 'wpm')).toBeUndefined();
  });

  it('escapes bytes that are not valid UTF-8 on their own', () => {
    expect(escapeBytes(Uint8Array.of(0x20, 0xe2, 0x80))).toBe(' \\xE2\\x80');
    expect(escapeBytes(new TextEncoder().encode(' ✓'))).toBe(' ✓');
  });
});
