/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/**
 * Writes one protobuf message field by field. Large payloads (tensor bytes, nested messages)
 * are kept as chunks and copied once, by `finish`, so a 100 MB model is not copied per level.
 */
export class ProtoWriter {
  readonly #chunks: Uint8Array[] = [];
  #pending: number[] = [];
  #length = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.#length + this.#pending.length;
  }

  /** An int32/int64/enum/bool field; negative values take ten bytes, as protobuf's int64 does. */
  varint(field: number, value: number | bigint): this {
    this.#tag(field, VARINT);
    this.#varint(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, LENGTH_DELIMITED);
    this.#varint(value.byteLength);
    this.#append(value);
    return this;
  }

  /** A float field (fixed32, little-endian IEEE 754). */
  float(field: number, value: number): this {
    this.#tag(field, FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.#pending.push(...bytes);
    return this;
  }

  /** A packed repeated varint field (repeated int64 with packing). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.#varint(v);
    return this.#nested(field, inner);
  }

  /** An embedded message. */
  message(field: number, message: ProtoWriter): this {
    return this.#nested(field, message);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.#flush();
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }

  #nested(field: number, message: ProtoWriter): this {
    this.#tag(field, LENGTH_DELIMITED);
    this.#varint(message.length);
    message.#flush();
    for (const chunk of message.#chunks) this.#append(chunk);
    return this;
  }

  #tag(field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1) throw new RangeError(`Invalid protobuf field number ${field}`);
    this.#varint(field * 8 + wireType);
  }

  #varint(value: number | bigint): void {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new RangeError(`Not an integer a varint can hold: ${value}`);
      if (value < 0) return this.#varint(BigInt(value));
      while (value >= 0x80) {
        this.#pending.push((value % 0x80) | 0x80);
        value = Math.floor(value / 0x80);
      }
      this.#pending.push(value);
      return;
    }
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.#pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#pending.push(Number(v));
  }

  #append(chunk: Uint8Array): void {
    if (chunk.byteLength < 64) {
      for (const b of chunk) this.#pending.push(b);
      return;
    }
    this.#flush();
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  #flush(): void {
    if (!this.#pending.length) return;
    this.#chunks.push(Uint8Array.from(this.#pending));
    this.#length += this.#pending.length;
    this.#pending = [];
  }
}
