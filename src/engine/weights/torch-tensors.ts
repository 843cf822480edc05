import type { PickleValue } from './pickle';
import { TensorRef } from './torch-pickle';
import { decodeElements, DTYPE_BYTES, elementCount, type WeightTensor } from './weight-tensor';

/** Where the raw bytes of each storage key are, and their byte order. */
export interface StorageBytes {
  /** The bytes of storage `key` (all of its elements). */
  bytesOf(key: string): Uint8Array;
  littleEndian: boolean;
}

/** Nesting beyond this is no state_dict (and could only come from a hostile file). */
const MAX_DEPTH = 32;

/**
 * Replaces every TensorRef in an unpickled checkpoint by a WeightTensor read from its storage:
 * offsets, strides (non-contiguous views) and byte order are honoured, and every index is checked
 * against the storage's size first. Storages are decoded once even when tensors share them.
 */
export function materializeTensors(root: PickleValue, storages: StorageBytes): PickleValue {
  const decoded = new Map<string, Float32Array>();
  const storageValues = (ref: TensorRef) => {
    const s = ref.storage;
    let values = decoded.get(s.key);
    if (!values) {
      const bytes = storages.bytesOf(s.key);
      const available = Math.floor(bytes.length / DTYPE_BYTES[s.dtype]);
      if (s.base + s.numel > available) {
        throw new Error(
          `storage ${s.key} should hold ${s.base + s.numel} ${s.dtype} values but its data has ${available} (truncated?)`,
        );
      }
      values = decodeElements(bytes, 0, available, s.dtype, storages.littleEndian);
      decoded.set(s.key, values);
    }
    return values;
  };
  const seen = new Set<unknown>();
  const walk = (value: PickleValue, depth: number): PickleValue => {
    if (value instanceof TensorRef) return readTensor(value, storageValues);
    if (depth > MAX_DEPTH) throw new Error(`the checkpoint nests deeper than ${MAX_DEPTH} levels`);
    if (value instanceof Map || Array.isArray(value)) {
      if (seen.has(value)) throw new Error('the checkpoint refers to itself (a cycle)');
      seen.add(value);
      const out =
        value instanceof Map
          ? new Map([...value].map(([k, v]) => [k, walk(v, depth + 1)]))
          : value.map((v) => walk(v, depth + 1));
      seen.delete(value);
      return out;
    }
    return value;
  };
  return walk(root, 0);
}

function readTensor(ref: TensorRef, storageValues: (ref: TensorRef) => Float32Array): WeightTensor {
  const count = elementCount(ref.shape);
  const dtype = ref.storage.dtype;
  if (count === 0) return { dtype, shape: [...ref.shape], data: new Float32Array(0) };
  const last = ref.offset + ref.shape.reduce((s, d, i) => s + (d - 1) * ref.stride[i]!, 0);
  if (last >= ref.storage.numel) {
    throw new Error(
      `a tensor of shape [${ref.shape.join(', ')}] at offset ${ref.offset} with strides [${ref.stride.join(', ')}] ` +
        `reaches element ${last} of storage ${ref.storage.key}, which has ${ref.storage.numel}`,
    );
  }
  const values = storageValues(ref);
  const start = ref.storage.base + ref.offset;
  if (isContiguous(ref.shape, ref.stride)) {
    // A view, not a copy: nothing writes into weights read from a file.
    return { dtype, shape: [...ref.shape], data: values.subarray(start, start + count) };
  }
  return { dtype, shape: [...ref.shape], data: gather(values, start, ref.shape, ref.stride, count) };
}

/** True when the strides are row-major for the shape (dimensions of size 1 may have any stride). */
function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/** Copies a strided view into row-major order. */
function gather(
  values: Float32Array,
  start: number,
  shape: readonly number[],
  stride: readonly number[],
  count: number,
): Float32Array {
  const out = new Float32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  let source = start;
  for (let i = 0; i < count; i++) {
    out[i] = values[source]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]!++;
      source += stride[d]!;
      if (index[d]! < shape[d]!) break;
      source -= stride[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}
