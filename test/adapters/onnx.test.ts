import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { bfloat16ToNumber, decodeFloat16, float16ToNumber } from '../../src/adapters/float16.js';
import { logitsRow, sampleLogitsTensor, type LogitsTensor } from '../../src/adapters/onnx.js';
import { InvalidInputError, InvalidParameterError } from '../../src/core/errors.js';
import { createSampler } from '../../src/samplers/chain.js';
import type { ChainSpec } from '../../src/samplers/spec.js';
import { INSTALL, peer, type Peer } from './peers.js';
import { cacheValue, encodeWords, float16Bits, referenceTokens, tableRow, VOCAB_SIZE, writeTinyDecoder } from './tinyDecoder.js';

/** What the tests use of onnxruntime-node (described here, so that type-checking needs no peer installed). */
interface OrtTensor extends LogitsTensor {
  readonly data: Float32Array | Uint16Array | BigInt64Array;
}
interface Session {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  InferenceSession: { create(path: string): Promise<Session> };
  Tensor: new (type: string, data: Float32Array | Uint16Array | BigInt64Array, dims: number[]) => OrtTensor;
}

const directory = mkdtempSync(join(tmpdir(), 'knobs-onnx-'));
let ort: Peer<Ort>;
let modelPath: string;

beforeAll(async () => {
  ort = await peer<Ort>('onnxruntime-node', INSTALL.onnxruntime);
  modelPath = writeTinyDecoder(directory, 'tiny-bigram');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function needs(context: TestContext): Ort {
  if (!ort.ok) context.skip(ort.reason);
  return (ort as { module: Ort }).module;
}

/**
 * The generation loop of an ONNX Runtime decoder with a KV cache, as people write it over a
 * session: the prompt first, then one token per step, the cache carried from `present.*`
 * to `past_key_values.*`; the token drawn by `sampleLogitsTensor` and accepted.
 */
async function generateWithSession(runtime: Ort, session: Session, precision: 'float32' | 'float16', prompt: number[], chain: ChainSpec, seed: number, steps: number): Promise<{ tokens: number[]; logits: OrtTensor[] }> {
  const sampler = createSampler(chain, { seed, prompt });
  const empty = () => new runtime.Tensor(precision, precision === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, 1, 0, 1]);
  let past = { key: empty(), value: empty() };
  let input = prompt;
  let length = 0;
  const tokens: number[] = [];
  const logits: OrtTensor[] = [];
  for (let step = 0; step < steps; step++) {
    length += input.length;
    const outputs = await session.run({
      input_ids: new runtime.Tensor('int64', BigInt64Array.from(input, (id) => BigInt(id)), [1, input.length]),
      attention_mask: new runtime.Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
      'past_key_values.0.key': past.key,
      'past_key_values.0.value': past.value,
    });
    const output = outputs.logits as OrtTensor;
    logits.push(output);
    const token = sampleLogitsTensor(sampler, output);
    sampler.accept(token);
    tokens.push(token);
    past = { key: outputs['present.0.key'] as OrtTensor, value: outputs['present.0.value'] as OrtTensor };
    input = [token];
  }
  return { tokens, logits };
}

const CHAIN: ChainSpec = [{ penalties: { repeat: 1.2, presence: 0.3 } }, { top_k: 6 }, { min_p: 0.1 }, { temperature: 0.8 }];

describe('float16 and bfloat16 decoding', () => {
  it('decodes bit patterns by hand: ones, signs, powers of two, subnormals, infinities, NaN', () => {
    // binary16: sign | 5-bit exponent (bias 15) | 10-bit fraction
    expect(float16ToNumber(0x3c00)).toBe(1); // 0 01111 0000000000
    expect(float16ToNumber(0xbc00)).toBe(-1);
    expect(float16ToNumber(0x4000)).toBe(2);
    expect(float16ToNumber(0xc200)).toBe(-3); // 1 10000 1000000000 = -(1 + 1/2) x 2
    expect(float16ToNumber(0x3555)).toBe(0.333251953125); // 0 01101 0101010101 = (1 + 341/1024) / 4
    expect(float16ToNumber(0x7bff)).toBe(65504); // the largest finite
    expect(float16ToNumber(0x0400)).toBe(2 ** -14); // the smallest normal
    expect(float16ToNumber(0x03ff)).toBe(1023 * 2 ** -24); // the largest subnormal
    expect(float16ToNumber(0x0001)).toBe(2 ** -24); // the smallest subnormal
    expect(Object.is(float16ToNumber(0x8000), -0)).toBe(true);
    expect(float16ToNumber(0x7c00)).toBe(Infinity);
    expect(float16ToNumber(0xfc00)).toBe(-Infinity);
    expect(float16ToNumber(0x7e00)).toBeNaN();
    // bfloat16 is the top half of a float32
    expect(bfloat16ToNumber(0x3f80)).toBe(1);
    expect(bfloat16ToNumber(0xc040)).toBe(-3);
    expect(bfloat16ToNumber(0xff80)).toBe(-Infinity);
  });

  it('round-trips every finite binary16 value through the test encoder', () => {
    let checked = 0;
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 || bits === 0x8000) continue; // infinities, NaNs, -0
      if (float16Bits(float16ToNumber(bits)) !== bits) wrong.push(bits);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(63487);
    const out = new Float32Array(3);
    expect(Array.from(decodeFloat16(Uint16Array.of(0, 0x3c00, 0xc000, 0x4400), 1, 3, out))).toEqual([1, -2, 4]);
  });
});

describe('logitsRow and sampleLogitsTensor on tensors', () => {
  const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
  const tensor: LogitsTensor = { type: 'float32', dims: [2, 3, 4], data };

  it('reads the last position of row 0 by default, any row and position when asked', () => {
    expect(Array.from(logitsRow(tensor))).toEqual([8, 9, 10, 11]);
    expect(Array.from(logitsRow(tensor, { row: 1, position: 0 }))).toEqual([12, 13, 14, 15]);
    expect(Array.from(logitsRow(tensor, { row: 1, position: -2 }))).toEqual([16, 17, 18, 19]);
    expect(Array.from(logitsRow({ type: 'float32', dims: [2, 4], data: data.subarray(0, 8) }, { row: 1 }))).toEqual([4, 5, 6, 7]);
    const single = Float32Array.of(1, 2, 3);
    expect(logitsRow({ type: 'float32', dims: [1, 1, 3], data: single })).toBe(single); // no copy
    const halves = Uint16Array.from([0.5, -1, 2, -3, 0, 0.25], float16Bits);
    expect(Array.from(logitsRow({ type: 'float16', dims: [2, 3], data: halves }, { row: 1 }))).toEqual([-3, 0, 0.25]);
  });

  it('refuses rows, positions, types and shapes outside the tensor, naming the range', () => {
    expect(() => logitsRow(tensor, { row: 2 })).toThrow(InvalidParameterError);
    expect(() => logitsRow(tensor, { row: 2 })).toThrow('row = 2 is out of range: expected an integer in [0, 1]');
    expect(() => logitsRow(tensor, { position: 3 })).toThrow('position = 3 is out of range: expected an integer in [-3, 2]');
    expect(() => logitsRow({ type: 'int64', dims: [1, 2], data: BigInt64Array.of(1n, 2n) })).toThrow(InvalidInputError);
    expect(() => logitsRow({ type: 'float32', dims: [1, 1, 1, 4], data })).toThrow(/expected \[batch, sequence, vocab\]/);
  });

  it('samples a float16 row exactly as its float32 values, allocating one buffer per sampler', () => {
    const values = tableRow(3);
    const half: LogitsTensor = { type: 'float16', dims: [1, 1, VOCAB_SIZE], data: Uint16Array.from(values, float16Bits) };
    const full: LogitsTensor = { type: 'float32', dims: [1, 1, VOCAB_SIZE], data: Float32Array.from(values) };
    const a = createSampler(CHAIN, { seed: 9 });
    const b = createSampler(CHAIN, { seed: 9 });
    for (let i = 0; i < 50; i++) expect(sampleLogitsTensor(a, half)).toBe(sampleLogitsTensor(b, full));
  });
});

describe('creativity-knobs/onnx over an onnxruntime-node session', () => {
  for (const precision of ['float32', 'float16'] as const) {
    it(`${precision}: the session's logits are the table, and the loop draws exactly our sampler's tokens`, async (context) => {
      const runtime = needs(context);
      const session = await runtime.InferenceSession.create(join(modelPath, 'onnx', precision === 'float32' ? 'model.onnx' : 'model_fp16.onnx'));
      expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'past_key_values.0.key', 'past_key_values.0.value']);
      const prompt = encodeWords('the big red dog');
      for (const seed of [1, 2, 3]) {
        const { tokens, logits } = await generateWithSession(runtime, session, precision, prompt, CHAIN, seed, 16);
        expect(tokens).toEqual(referenceTokens(CHAIN, { seed, prompt, steps: 16 }));
        // float16 logits arrive as bit patterns in a Uint16Array; decoded they are the table
        const first = logits[0] as OrtTensor;
        expect(first.type).toBe(precision);
        expect(first.dims).toEqual([1, prompt.length, VOCAB_SIZE]);
        expect(first.data).toBeInstanceOf(precision === 'float16' ? Uint16Array : Float32Array);
        expect(Array.from(logitsRow(first, { position: 0 }))).toEqual(tableRow(prompt[0] as number));
        expect(Array.from(logitsRow(logits[5] as OrtTensor))).toEqual(tableRow(tokens[4] as number));
      }
    });
  }

  it('the cache carried through the loop holds one entry per token, in float16 as in float32', async (context) => {
    const runtime = needs(context);
    const session = await runtime.InferenceSession.create(join(modelPath, 'onnx', 'model_fp16.onnx'));
    const outputs = await session.run({
      input_ids: new runtime.Tensor('int64', BigInt64Array.of(1n, 2n, 3n), [1, 3]),
      attention_mask: new runtime.Tensor('int64', BigInt64Array.of(1n, 1n, 1n), [1, 3]),
      'past_key_values.0.key': new runtime.Tensor('float16', new Uint16Array(0), [1, 1, 0, 1]),
      'past_key_values.0.value': new runtime.Tensor('float16', new Uint16Array(0), [1, 1, 0, 1]),
    });
    const key = outputs['present.0.key'] as OrtTensor;
    expect(key.dims).toEqual([1, 1, 3, 1]);
    expect(Array.from(key.data as Uint16Array, float16ToNumber)).toEqual([1, 2, 3].map(cacheValue));
  });
});
