import {
  decodeElements,
  DTYPE_BYTES,
  HOST_LITTLE_ENDIAN,
  elementCount,
  type DtypeName,
  type WeightTensor,
} from './weight-tensor';

/** What a safetensors file holds: its tensors by name and its free-form `__metadata__`. */
export interface SafetensorsContent {
  tensors: Map<string, WeightTensor>;
  metadata: Record<string, string>;
}

/** Headers are JSON; the reference implementation refuses anything over 100 MB. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const MAX_RANK = 8;

interface HeaderEntry {
  name: string;
  dtype: DtypeName;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Reads a safetensors file (8-byte little-endian header length, a JSON header of
 * `{name: {dtype, shape, data_offsets: [begin, end]}}`, then the little-endian data). Every size
 * and offset is checked: a truncated file, a tensor whose byte range does not match its shape,
 * overlapping ranges or bytes no tensor claims are refused with the reason.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'the file'): SafetensorsContent {
  const fail = (why: string) => new Error(`${source} is not a valid safetensors file: ${why}`);
  if (bytes.length < 8) throw fail(`it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerBytes > BigInt(MAX_HEADER_BYTES)) throw fail(`its header claims ${headerBytes} bytes (more than 100 MB)`);
  const dataStart = 8 + Number(headerBytes);
  if (dataStart > bytes.length)
    throw fail(`the header needs ${headerBytes} bytes but only ${bytes.length - 8} follow (truncated?)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (err) {
    throw fail(`its header is not JSON (${(err as Error).message})`);
  }
  if (!isRecord(header)) throw fail('its header is not a JSON object');
  const entries: HeaderEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = readMetadata(value, fail);
    else entries.push(readEntry(name, value, fail));
  }
  const dataLength = bytes.length - dataStart;
  checkRanges(entries, dataLength, fail);
  const tensors = new Map<string, WeightTensor>();
  for (const e of entries) {
    const data = decodeElements(bytes, dataStart + e.begin, elementCount(e.shape), e.dtype, true);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}

function readEntry(name: string, value: unknown, fail: (why: string) => Error): HeaderEntry {
  if (!isRecord(value)) throw fail(`entry "${name}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw fail(`tensor "${name}" has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(DTYPE_BYTES).join(', ')}`);
  }
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every(isCount)) {
    throw fail(`tensor "${name}" has shape ${JSON.stringify(shape)}, not a list of at most ${MAX_RANK} non-negative integers`);
  }
  const [begin, end] =
    Array.isArray(offsets) && offsets.length === 2 && offsets.every(isCount) ? (offsets as [number, number]) : [1, 0];
  if (begin > end) {
    throw fail(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, not [begin, end] with begin ≤ end`);
  }
  const expected = elementCount(shape as number[]) * DTYPE_BYTES[dtype as DtypeName];
  if (end - begin !== expected) {
    throw fail(`tensor "${name}" (${dtype} ${JSON.stringify(shape)}) needs ${expected} bytes but its range holds ${end - begin}`);
  }
  return { name, dtype: dtype as DtypeName, shape: shape as number[], begin, end };
}

/** Ranges must lie inside the data, must not overlap, and must cover it without holes (as the format requires). */
function checkRanges(entries: HeaderEntry[], dataLength: number, fail: (why: string) => Error): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | null = null;
  for (const e of sorted) {
    if (e.end > dataLength) {
      throw fail(`tensor "${e.name}" ends at data byte ${e.end} but the file has ${dataLength} data bytes (truncated?)`);
    }
    if (previous && e.begin < previous.end) throw fail(`tensors "${previous.name}" and "${e.name}" overlap`);
    if (e.begin > covered) throw fail(`data bytes ${covered}–${e.begin} belong to no tensor`);
    covered = Math.max(covered, e.end);
    previous = e;
  }
  if (covered < dataLength) throw fail(`${dataLength - covered} bytes at the end belong to no tensor`);
}

function readMetadata(value: unknown, fail: (why: string) => Error): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw fail('__metadata__ must map strings to strings');
  }
  return value as Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A tensor to write: float32 values in row-major order with PyTorch's shape. */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array;
}

/**
 * Writes float32 tensors as a safetensors file (names sorted, header padded with spaces to a
 * multiple of 8 as the reference writer does, so the data is aligned).
 */
export function writeSafetensors(tensors: ReadonlyMap<string, TensorToWrite>, metadata: Record<string, string> = {}): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    if (t.data.length !== elementCount(t.shape))
      throw new Error(`tensor "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const data = tensors.get(name)!.data;
    if (HOST_LITTLE_ENDIAN) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    else for (let i = 0; i < data.length; i++) view.setFloat32(at + i * 4, data[i]!, true);
    at += data.length * 4;
  }
  return out;
}
