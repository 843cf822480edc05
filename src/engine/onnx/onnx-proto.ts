import { ProtoWriter } from './protobuf-writer';

/**
 * The few ONNX messages the exporter writes, with the field numbers of onnx/onnx.proto
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
 * TensorShapeProto, OperatorSetIdProto, StringStringEntryProto).
 */

/** TensorProto.DataType values used here. */
export const FLOAT = 1;
export const INT64 = 7;

/** ONNX IR version 8 and the default-domain opset 17: what ONNX Runtime ≥ 1.14 and PyTorch 1.13's exporter read. */
export const IR_VERSION = 8;
export const OPSET = 17;

/** A constant tensor (graph initializer): float32 or int64 values in row-major order. */
export interface TensorSpec {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array;
}

export type AttributeValue = number | string | readonly number[] | { float: number };

/** One node: an operator of the default domain with its inputs, outputs and attributes. */
export interface NodeSpec {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A graph input or output: a float32 tensor whose dims are sizes or symbolic names. */
export interface ValueSpec {
  name: string;
  dims: readonly (number | string)[];
}

export interface ModelSpec {
  graphName: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  producer: { name: string; version: string };
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
}

/** Serialises a model as ONNX protobuf bytes. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const graph = new ProtoWriter();
  for (const node of spec.nodes) graph.message(1, encodeNode(node));
  graph.string(2, spec.graphName);
  for (const tensor of spec.initializers) graph.message(5, encodeTensor(tensor));
  for (const input of spec.inputs) graph.message(11, encodeValueInfo(input));
  for (const output of spec.outputs) graph.message(12, encodeValueInfo(output));

  const model = new ProtoWriter().varint(1, IR_VERSION).string(2, spec.producer.name).string(3, spec.producer.version);
  if (spec.docString) model.string(6, spec.docString);
  model.message(7, graph);
  model.message(8, new ProtoWriter().string(1, '').varint(2, OPSET));
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    model.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return model.finish();
}

function encodeNode(node: NodeSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.message(5, encodeAttribute(name, value));
  return w;
}

/** AttributeProto.AttributeType values. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function encodeAttribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`Attribute ${name}: give floats as { float: ${value} }`);
    return w.varint(20, ATTR_INT).varint(3, value);
  }
  if (typeof value === 'string') return w.varint(20, ATTR_STRING).string(4, value);
  if ('float' in value) return w.varint(20, ATTR_FLOAT).float(2, value.float);
  w.varint(20, ATTR_INTS);
  for (const v of value) w.varint(8, v);
  return w;
}

function encodeTensor(tensor: TensorSpec): ProtoWriter {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) {
    throw new RangeError(
      `Tensor ${tensor.name}: dims [${tensor.dims.join(', ')}] hold ${count} values, data has ${tensor.data.length}`,
    );
  }
  const w = new ProtoWriter();
  for (const d of tensor.dims) w.varint(1, d);
  w.varint(2, tensor.data instanceof Float32Array ? FLOAT : INT64);
  w.string(8, tensor.name);
  return w.bytes(9, littleEndianBytes(tensor.data));
}

/** raw_data must be little-endian: typed arrays are in the platform's order, so swap on a big-endian one. */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) swapped[i + j] = bytes[i + size - 1 - j]!;
  return swapped;
}

function encodeValueInfo(value: ValueSpec): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of value.dims) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, value.name).message(2, new ProtoWriter().message(1, tensorType));
}
