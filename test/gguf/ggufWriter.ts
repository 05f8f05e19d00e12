/**
 * A minimal GGUF writer for tests (format version 3, little-endian), following ggml's
 * docs/gguf.md: the header (magic `GGUF`, version, tensor count, metadata count as u64),
 * the metadata key-value pairs, the tensor infos (name, dimensions innermost first, ggml
 * type, offset from the start of the data section), zero padding to the alignment, then
 * every tensor's data, each starting at a multiple of the alignment. Only F32 tensors.
 */

/** GGUF metadata value types (gguf_type). */
export const GGUF_TYPE = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** A scalar metadata type name. */
export type GgufScalarType = Exclude<keyof typeof GGUF_TYPE, 'array'>;

/** One metadata value: a scalar of a type, or an array of one scalar type. */
export type GgufValue =
  | { readonly type: GgufScalarType; readonly value: number | bigint | boolean | string }
  | { readonly type: 'array'; readonly itemType: GgufScalarType; readonly value: readonly (number | bigint | boolean | string)[] };

/** One F32 tensor: `dims` innermost first (ggml's ne), `data` row-major with dims[0] fastest. */
export interface GgufTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** Metadata helpers, so builders read like the key list of a real file. */
export const gguf = {
  u32: (value: number): GgufValue => ({ type: 'uint32', value }),
  i32: (value: number): GgufValue => ({ type: 'int32', value }),
  f32: (value: number): GgufValue => ({ type: 'float32', value }),
  bool: (value: boolean): GgufValue => ({ type: 'bool', value }),
  str: (value: string): GgufValue => ({ type: 'string', value }),
  strings: (value: readonly string[]): GgufValue => ({ type: 'array', itemType: 'string', value }),
  f32s: (value: readonly number[]): GgufValue => ({ type: 'array', itemType: 'float32', value }),
  i32s: (value: readonly number[]): GgufValue => ({ type: 'array', itemType: 'int32', value }),
};

const GGML_TYPE_F32 = 0;

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }
  u64(value: number | bigint): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }
  string(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const extra = (alignment - (this.length % alignment)) % alignment;
    if (extra > 0) this.push(Buffer.alloc(extra));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeScalar(sink: ByteSink, type: GgufScalarType, value: number | bigint | boolean | string): void {
  const buffer = Buffer.alloc(8);
  switch (type) {
    case 'uint8':
      return sink.push(Buffer.from([Number(value)]));
    case 'int8':
      buffer.writeInt8(Number(value));
      return sink.push(buffer.subarray(0, 1));
    case 'uint16':
      buffer.writeUInt16LE(Number(value));
      return sink.push(buffer.subarray(0, 2));
    case 'int16':
      buffer.writeInt16LE(Number(value));
      return sink.push(buffer.subarray(0, 2));
    case 'uint32':
      buffer.writeUInt32LE(Number(value));
      return sink.push(buffer.subarray(0, 4));
    case 'int32':
      buffer.writeInt32LE(Number(value));
      return sink.push(buffer.subarray(0, 4));
    case 'float32':
      buffer.writeFloatLE(Number(value));
      return sink.push(buffer.subarray(0, 4));
    case 'bool':
      return sink.push(Buffer.from([value ? 1 : 0]));
    case 'string':
      return sink.string(String(value));
    case 'uint64':
      buffer.writeBigUInt64LE(BigInt(value));
      return sink.push(buffer);
    case 'int64':
      buffer.writeBigInt64LE(BigInt(value));
      return sink.push(buffer);
    case 'float64':
      buffer.writeDoubleLE(Number(value));
      return sink.push(buffer);
  }
}

/**
 * Serializes metadata and F32 tensors into the bytes of a GGUF v3 file. `general.alignment`
 * is written when `alignment` is not the default 32.
 *
 * @example
 * const bytes = writeGguf({ 'general.architecture': gguf.str('llama') }, [{ name: 'w', dims: [2], data: new Float32Array([1, 2]) }]);
 * bytes.subarray(0, 4).toString(); // 'GGUF'
 */
export function writeGguf(metadata: Readonly<Record<string, GgufValue>>, tensors: readonly GgufTensor[], alignment = 32): Buffer {
  const entries = Object.entries(metadata);
  if (alignment !== 32) entries.push(['general.alignment', gguf.u32(alignment)]);
  const sink = new ByteSink();
  sink.push(Buffer.from('GGUF', 'ascii'));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(entries.length);
  for (const [key, value] of entries) {
    sink.string(key);
    sink.u32(GGUF_TYPE[value.type]);
    if (value.type === 'array') {
      sink.u32(GGUF_TYPE[value.itemType]);
      sink.u64(value.value.length);
      for (const item of value.value) writeScalar(sink, value.itemType, item);
    } else {
      writeScalar(sink, value.type, value.value);
    }
  }
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) throw new Error(`tensor ${tensor.name}: dims ${tensor.dims.join('x')} hold ${count} values, data has ${tensor.data.length}`);
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offset += Math.ceil((count * 4) / alignment) * alignment;
  }
  sink.pad(alignment);
  for (const tensor of tensors) {
    sink.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    sink.pad(alignment);
  }
  return sink.bytes();
}
