import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../../src/engine/onnx/protobuf-writer';

const hex = (w: ProtoWriter) => Buffer.from(w.finish()).toString('hex');

describe('ProtoWriter', () => {
  it('writes the encoding guide examples: varint 150, a string, an embedded message', () => {
    expect(hex(new ProtoWriter().varint(1, 150))).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing'))).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)))).toBe('1a03089601');
  });

  it('writes negative int64 as ten bytes and large values past 32 bits exactly', () => {
    expect(hex(new ProtoWriter().varint(1, -1))).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtoWriter().varint(1, 2 ** 35))).toBe('08808080808001');
    expect(hex(new ProtoWriter().varint(1, 2 ** 35 + 1))).toBe('08818080808001');
  });

  it('writes packed varints, little-endian floats, and large byte chunks without losing order', () => {
    expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]))).toBe('2206038e029ea705');
    expect(hex(new ProtoWriter().float(2, 1))).toBe('150000803f');
    const big = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    const bytes = new ProtoWriter().varint(1, 1).bytes(9, big).varint(2, 7).finish();
    expect(Array.from(bytes.subarray(0, 5))).toEqual([0x08, 0x01, 0x4a, 0xac, 0x02]);
    expect(bytes.subarray(5, 305)).toEqual(big);
    expect(Array.from(bytes.subarray(305))).toEqual([0x10, 0x07]);
  });

  it('refuses numbers a varint cannot hold', () => {
    expect(() => new ProtoWriter().varint(1, 1.5)).toThrow(RangeError);
    expect(() => new ProtoWriter().varint(0, 1)).toThrow(RangeError);
  });
});
