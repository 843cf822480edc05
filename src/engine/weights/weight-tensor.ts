/** A tensor read from a weights file, always decoded to float32 (the engine computes in float32). */
export interface WeightTensor {
  /** The dtype stored in the file (`F32`, `F16`, `BF16`, `I64`, …), for messages and provenance. */
  dtype: DtypeName;
  /** PyTorch's shape (NCHW / OIHW order for convolutions). */
  shape: number[];
  /** Row-major (C-contiguous) values. */
  data: Float32Array;
}

/** The dtypes weights files hold, by their safetensors names. */
export type DtypeName = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Record<DtypeName, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** True on little-endian hosts (every platform Node ships for today). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `count` elements of `dtype` starting at `bytes[offset]` into float32. `littleEndian`
 * is the file's byte order (safetensors: always little; torch archives say so in `byteorder`).
 * Native-order float32 at an aligned address comes back as a view of `bytes`, not a copy (a
 * ResNet-50 file is 100 MB): treat the result as read-only.
 */
export function decodeElements(
  bytes: Uint8Array,
  offset: number,
  count: number,
  dtype: DtypeName,
  littleEndian = true,
): Float32Array {
  const size = DTYPE_BYTES[dtype];
  if (offset < 0 || offset + count * size > bytes.length) {
    throw new Error(`${count} ${dtype} values at byte ${offset} run past the end of the data (${bytes.length} bytes)`);
  }
  if (dtype === 'F32' && littleEndian === HOST_LITTLE_ENDIAN) {
    const at = bytes.byteOffset + offset;
    if (at % 4 === 0) return new Float32Array(bytes.buffer, at, count);
    // Unaligned (a Float32Array cannot start there): one copy through an aligned buffer.
    const copy = new Uint8Array(count * 4);
    copy.set(bytes.subarray(offset, offset + count * 4));
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * size);
  const out = new Float32Array(count);
  const read = READERS[dtype];
  for (let i = 0; i < count; i++) out[i] = read(view, i * size, littleEndian);
  return out;
}

type Reader = (view: DataView, at: number, little: boolean) => number;

const READERS: Record<DtypeName, Reader> = {
  F64: (v, at, le) => v.getFloat64(at, le),
  F32: (v, at, le) => v.getFloat32(at, le),
  F16: (v, at, le) => halfToFloat(v.getUint16(at, le)),
  BF16: (v, at, le) => bfloat16ToFloat(v.getUint16(at, le)),
  I64: (v, at, le) => Number(v.getBigInt64(at, le)),
  I32: (v, at, le) => v.getInt32(at, le),
  I16: (v, at, le) => v.getInt16(at, le),
  I8: (v, at) => v.getInt8(at),
  U8: (v, at) => v.getUint8(at),
  BOOL: (v, at) => (v.getUint8(at) ? 1 : 0),
};

const BF16_SCRATCH = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary16 bits → number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 bits (the top half of a float32) → number. */
export function bfloat16ToFloat(bits: number): number {
  BF16_SCRATCH.setUint32(0, bits << 16);
  return BF16_SCRATCH.getFloat32(0);
}
