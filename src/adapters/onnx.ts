/**
 * creativity-knobs/onnx: our samplers over the logits of an ONNX Runtime session
 * (`onnxruntime-node`, `onnxruntime-web`, or anything that returns tensors as
 * `{ data, dims, type }`). ONNX Runtime has no sampling: `session.run` returns the logits,
 * and the loop around it chooses the token. This module imports no runtime: it reads the
 * tensor it is given.
 *
 * @module creativity-knobs/onnx
 */
import { InvalidInputError, InvalidParameterError } from '../core/errors.js';
import type { KnobsSampler } from '../samplers/chain.js';
import { decodeBfloat16, decodeFloat16 } from './float16.js';

/**
 * The parts of an ONNX Runtime `Tensor` that are read: `type` `'float32'`, `'float16'` (bit
 * patterns in a `Uint16Array`, or numbers in a `Float16Array` where the engine has one),
 * `'bfloat16'` (bit patterns) or `'float64'`; `dims` `[batch, sequence, vocab]`,
 * `[batch, vocab]` or `[vocab]`; `data` on the CPU (a tensor left on the GPU must be
 * downloaded first with `getData()`).
 */
export interface LogitsTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayLike<number> | ArrayLike<bigint> | readonly string[];
}

/** Which row of a logits tensor to read. */
export interface TensorRowOptions {
  /** Batch row (default 0). */
  readonly row?: number;
  /** Sequence position of a `[batch, sequence, vocab]` tensor; negative counts from the end (default -1, the last). */
  readonly position?: number;
}

const TYPES = ['float32', 'float16', 'bfloat16', 'float64'];
const DEFAULT_ROW: TensorRowOptions = Object.freeze({});

/** Working rows by sampler, so that a decoding loop allocates nothing per token. */
const rows = new WeakMap<object, Float32Array>();

function buffer(owner: object, size: number): Float32Array {
  let row = rows.get(owner);
  if (!row || row.length !== size) rows.set(owner, (row = new Float32Array(size)));
  return row;
}

/**
 * The float32 logits of one row (and position) of a logits tensor: the tensor's own data
 * when it is float32 and holds exactly that row, else the row copied (float16 and bfloat16
 * decoded exactly) into `out`, or into a buffer kept for `owner` and reused by later calls.
 * Throws `InvalidInputError` for a tensor that is not floating point or not 1 to 3
 * dimensional, `InvalidParameterError` for a row or position outside it.
 *
 * @example
 * const { logits } = await session.run(feeds);
 * logitsRow(logits, { row: 0 }); // Float32Array(vocab): the last position of row 0
 */
export function logitsRow(tensor: LogitsTensor, options: TensorRowOptions = DEFAULT_ROW, out?: Float32Array, owner: object = tensor): Float32Array {
  const { type, dims, data } = tensor;
  if (!TYPES.includes(type)) throw new InvalidInputError(`logits tensor of type ${JSON.stringify(type)}: expected one of ${TYPES.join(', ')}`);
  if (dims.length < 1 || dims.length > 3) throw new InvalidInputError(`logits tensor of dims [${dims.join(', ')}]: expected [batch, sequence, vocab], [batch, vocab] or [vocab]`);
  const vocab = dims[dims.length - 1] as number;
  const batch = dims.length === 1 ? 1 : (dims[0] as number);
  const sequence = dims.length === 3 ? (dims[1] as number) : 1;
  if (vocab < 1 || sequence < 1) throw new InvalidInputError(`logits tensor of dims [${dims.join(', ')}] holds no logits`);
  const row = options.row ?? 0;
  if (!Number.isInteger(row) || row < 0 || row >= batch) throw new InvalidParameterError('row', row, `an integer in [0, ${batch - 1}] (the tensor's batch rows)`);
  const position = options.position ?? -1;
  if (!Number.isInteger(position) || position < -sequence || position >= sequence) {
    throw new InvalidParameterError('position', position, `an integer in [${-sequence}, ${sequence - 1}] (the tensor's sequence positions; negative counts from the end)`);
  }
  const start = (row * sequence + (position < 0 ? sequence + position : position)) * vocab;
  if (data.length < start + vocab) throw new InvalidInputError(`logits tensor of dims [${dims.join(', ')}] has only ${data.length} values`);
  if (type === 'float32' && data instanceof Float32Array && out === undefined && start === 0 && data.length === vocab) return data;
  const target = out ?? buffer(owner, vocab);
  if (target.length !== vocab) throw new InvalidParameterError('out.length', target.length, `${vocab} (the tensor's vocabulary)`);
  const bits = data instanceof Uint16Array;
  if (type === 'float16' && bits) decodeFloat16(data, start, vocab, target);
  else if (type === 'bfloat16' && bits) decodeBfloat16(data, start, vocab, target);
  else if (type === 'bfloat16') throw new InvalidInputError('bfloat16 logits tensor whose data is not a Uint16Array of bit patterns');
  else for (let i = 0; i < vocab; i++) target[i] = Number((data as ArrayLike<number>)[start + i]);
  return target;
}

/**
 * Draws the next token with a chain (`createSampler`) from a logits tensor of an ONNX
 * Runtime session: by default the last position of batch row 0 of a
 * `[batch, sequence, vocab]` output, float32 or float16 (bfloat16 and float64 too).
 * The row is read without allocating (a float16 row is decoded into a buffer kept for the
 * sampler). Like `sampler.sample`, it does not accept the token: call `sampler.accept(token)`
 * before the next step so that penalties and other history-reading samplers see it.
 *
 * @example
 * import { createSampler } from 'creativity-knobs';
 * import { sampleLogitsTensor } from 'creativity-knobs/onnx';
 * const sampler = createSampler([{ min_p: 0.05 }, { temperature: 0.8 }], { seed: 1, prompt: ids });
 * const { logits } = await session.run(feeds); // [1, sequence, vocab], float16 or float32
 * const token = sampleLogitsTensor(sampler, logits);
 * sampler.accept(token);
 */
export function sampleLogitsTensor(sampler: KnobsSampler, tensor: LogitsTensor, options: TensorRowOptions = DEFAULT_ROW): number {
  return sampler.sample(logitsRow(tensor, options, undefined, sampler));
}
