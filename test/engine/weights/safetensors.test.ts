import { describe, expect, it } from 'vitest';
import { parseSafetensors, writeSafetensors } from '../../../src/engine/weights/safetensors';
import { asFloat32, EXPECTED, plain, weightsFixture } from './fixtures';

/** A safetensors file from a header object and a data length (zeros). */
function craft(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('parseSafetensors', () => {
  it('reads F32, F16, BF16, F64 and I64 tensors as PyTorch wrote them', () => {
    const { tensors, metadata } = parseSafetensors(weightsFixture('mixed.safetensors'));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('half')!.dtype).toBe('F16');
    expect(tensors.get('bfloat')!.dtype).toBe('BF16');
    for (const [name, want] of Object.entries(EXPECTED)) {
      if (name === 'empty') continue;
      expect(plain(tensors.get(name)), name).toEqual({ shape: want.shape, values: asFloat32(want.values) });
    }
  });

  it('round-trips what writeSafetensors writes, with the data 8-byte aligned', () => {
    const tensors = new Map([
      ['b.weight', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -7]) }],
      ['a.bias', { shape: [1], data: Float32Array.from([42]) }],
    ]);
    const bytes = writeSafetensors(tensors, { note: 'x' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual({ note: 'x' });
    expect([...back.tensors.keys()]).toEqual(['a.bias', 'b.weight']);
    expect(plain(back.tensors.get('b.weight'))).toEqual({ shape: [2, 3], values: Array.from(tensors.get('b.weight')!.data) });
  });

  it('reads aligned float32 data as a view of the file (no copy of 100 MB) and unaligned data through a copy, to the same values', () => {
    const tensors = new Map([['w', { shape: [3], data: Float32Array.from([1.5, -2, 3]) }]]);
    const bytes = writeSafetensors(tensors);
    const aligned = parseSafetensors(bytes).tensors.get('w')!;
    expect(aligned.data.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const unaligned = parseSafetensors(shifted.subarray(1)).tensors.get('w')!;
    expect(unaligned.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(unaligned.data)).toEqual([1.5, -2, 3]);
    expect(Array.from(aligned.data)).toEqual([1.5, -2, 3]);
  });

  it('refuses the file truncated at every length with a message that names the file', () => {
    const bytes = weightsFixture('mixed.safetensors');
    for (let length = 0; length < bytes.length; length++) {
      expect(() => parseSafetensors(bytes.subarray(0, length), 'w.safetensors'), `length ${length}`).toThrow(
        /^w\.safetensors is not a valid safetensors file: /,
      );
    }
  });

  it('refuses overlapping ranges, holes, ranges past the end and sizes that do not match the shape', () => {
    const entry = (begin: number, end: number, shape = [2]) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
    expect(() => parseSafetensors(craft({ a: entry(0, 8), b: entry(4, 12) }, 12))).toThrow(/"a" and "b" overlap/);
    expect(() => parseSafetensors(craft({ a: entry(0, 8), b: entry(12, 20) }, 20))).toThrow(
      /data bytes 8–12 belong to no tensor/,
    );
    expect(() => parseSafetensors(craft({ a: entry(0, 8) }, 12))).toThrow(/4 bytes at the end belong to no tensor/);
    expect(() => parseSafetensors(craft({ a: entry(0, 8) }, 4))).toThrow(/ends at data byte 8 but the file has 4 data bytes/);
    expect(() => parseSafetensors(craft({ a: entry(0, 8, [3]) }, 8))).toThrow(/needs 12 bytes but its range holds 8/);
    expect(() => parseSafetensors(craft({ a: entry(8, 0) }, 8))).toThrow(/begin ≤ end/);
  });

  it('refuses unknown dtypes, bad shapes, a header that is not JSON and an absurd header length', () => {
    expect(() => parseSafetensors(craft({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1))).toThrow(
      /dtype "F8_E4M3"; supported: F64, F32/,
    );
    expect(() => parseSafetensors(craft({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4))).toThrow(/shape \[-1\]/);
    expect(() => parseSafetensors(craft({ __metadata__: { n: 1 } }, 0))).toThrow(/__metadata__ must map strings to strings/);
    const notJson = craft({}, 0);
    notJson[8] = 0x5b;
    expect(() => parseSafetensors(notJson)).toThrow(/header is not JSON|not a JSON object/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => parseSafetensors(huge)).toThrow(/more than 100 MB/);
  });
});
