// ONNX's ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto as
// protobuf bytes, by the field numbers of onnx.proto (IR version 8, the one of opsets 13 to 17).
import { ProtoWriter } from './protobuf.js';

export const IR_VERSION = 8;
const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** An attribute value: an integer, a float, a string, or a list of integers. */
export type AttributeValue = { int: number } | { float: number } | { string: string } | { ints: readonly number[] };

/** One operator of the graph. */
export interface OnnxNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

/** A float32 or int64 constant (a weight, a shape). */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  floats?: Float32Array;
  ints?: readonly number[];
}

/** A graph input or output: its name and shape (a string for a dimension named, not fixed). */
export interface OnnxValue {
  name: string;
  shape: readonly (number | string)[];
}

function attribute(name: string, v: AttributeValue): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if ('int' in v) return a.int(3, v.int).int(20, ATTRIBUTE.INT);
  if ('float' in v) return a.float(2, v.float).int(20, ATTRIBUTE.FLOAT);
  if ('string' in v) return a.string(4, v.string).int(20, ATTRIBUTE.STRING);
  return a.packedInts(8, v.ints).int(20, ATTRIBUTE.INTS);
}

function node(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, attribute(k, v));
  return w;
}

function tensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, t.dims);
  if (t.floats) {
    const raw = new Uint8Array(t.floats.length * 4);
    const view = new DataView(raw.buffer);
    t.floats.forEach((v, i) => view.setFloat32(4 * i, v, true));
    return w.int(2, FLOAT).string(8, t.name).bytes(9, raw);
  }
  return w
    .int(2, INT64)
    .packedInts(7, t.ints ?? [])
    .string(8, t.name);
}

function valueInfo(v: OnnxValue): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** The model file's bytes. */
export function modelProto(m: {
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  opset: number;
  metadata: Record<string, string>;
  producerVersion: string;
}): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of m.nodes) graph.message(1, node(n));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, tensor(t));
  for (const v of m.inputs) graph.message(11, valueInfo(v));
  for (const v of m.outputs) graph.message(12, valueInfo(v));
  const model = new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'torchlit')
    .string(3, m.producerVersion)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, m.opset));
  for (const [key, value] of Object.entries(m.metadata))
    model.message(14, new ProtoWriter().string(1, key).string(2, value));
  return model.finish();
}
