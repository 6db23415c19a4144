// ONNX export: the forward runs once on the example input (traceForward), and each reported
// nn.functional call and autograd op it made becomes ONNX nodes. Parameters and buffers become
// initializers under their state-dict names; tensors that do not come from the input, constants.
import type { Module } from '../../nn/module.js';
import { Tensor } from '../../tensor/tensor.js';
import { className } from '../../util/class_name.js';
import { checkOptions } from '../../util/options.js';
import { describeModule, leafCalls, traceForward, type ForwardTrace } from '../export/trace.js';
import { emitFunction, emitOp, type EmitContext } from './emit_calls.js';
import { foldBatchNorms } from './fold_batchnorm.js';
import { OnnxGraph } from './graph.js';
import { modelProto } from './model_proto.js';

/** `exportOnnx`'s options. */
export interface OnnxExportOptions {
  /** The operator set, 13 to 17 (default 17). */
  opset?: number;
  /** The batch dimension named `batch` rather than fixed to the example's (default true). */
  dynamicBatch?: boolean;
  /** Fold each BatchNormalization that follows a convolution into its weights (default false). */
  foldBatchNorm?: boolean;
  /** The class names, kept in the model's metadata as JSON (`classes`). */
  classNames?: string[];
  /** The normalisation the model was trained with, kept in the metadata as JSON (`normalize`). */
  normalize?: { mean: number[]; std: number[] };
}

function buildGraph(model: Module, trace: ForwardTrace, ctx: EmitContext): OnnxGraph {
  const g = new OnnxGraph(trace.stateNames);
  g.values.set(trace.input, 'input');
  for (const c of leafCalls(trace.root.calls)) {
    if (c.kind === 'inPlace') {
      if (g.computed(c.target))
        throw ctx.unsupported(
          c.path,
          `the in-place ${c.op} on a tensor computed from the input; use the out-of-place form`,
        );
      continue;
    }
    const inputs = c.kind === 'op' ? c.inputs : c.args.filter((a): a is Tensor => a instanceof Tensor);
    // A call on weights and constants alone computes a constant: it becomes an initializer where it is read.
    if (!inputs.some((t) => g.computed(t))) continue;
    const out = c.kind === 'op' ? emitOp(g, c, ctx) : emitFunction(g, c, ctx);
    if (out !== null) g.values.set(c.output, out);
    else if (c.kind === 'op') g.values.set(c.output, g.value(c.inputs[0]));
  }
  return g;
}

/**
 * The model as ONNX bytes (a `model.onnx`), traced on `exampleInput` in eval mode: input `input`,
 * output `output`, the batch dimension named `batch` unless `dynamicBatch: false`, weights under
 * their state-dict names, the class names and normalisation in the metadata. A call that ONNX
 * cannot express throws `not supported`, naming it and the module that made it.
 */
export function onnxBytes(model: Module, exampleInput: Tensor, opts: OnnxExportOptions = {}): Uint8Array {
  checkOptions('exportOnnx', opts, ['opset', 'dynamicBatch', 'foldBatchNorm', 'classNames', 'normalize']);
  const opset = opts.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 17)
    throw new RangeError(`exportOnnx: opset must be 13 to 17, got ${opset}`);
  const dynamicBatch = opts.dynamicBatch ?? true;
  const trace = traceForward(model, exampleInput, 'exportOnnx');
  const ctx: EmitContext = {
    opset,
    dynamicBatch,
    batch: exampleInput.shape[0],
    unsupported: (path, what) => new Error(`exportOnnx: not supported: ${describeModule(model, path)}: ${what}`),
  };
  const g = buildGraph(model, trace, ctx);
  const last = g.values.get(trace.output);
  if (last === undefined)
    throw new Error(
      `exportOnnx: not supported: ${className(model)}.forward returns a tensor that does not depend on its input`,
    );
  if (opts.foldBatchNorm) foldBatchNorms(g);
  // The graph's output is `output`: the last node renamed (or an Identity where the input passes through).
  const producer = g.nodes.find((n) => n.outputs[0] === last);
  if (producer && last !== 'input') {
    producer.outputs = ['output'];
    for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === last ? 'output' : i));
  } else g.nodes.push({ op: 'Identity', name: 'output', inputs: [last], outputs: ['output'] });
  const batch = dynamicBatch ? 'batch' : exampleInput.shape[0];
  return modelProto({
    graphName: className(model),
    nodes: g.nodes,
    initializers: [...g.initializers.values()].filter((t) => g.nodes.some((n) => n.inputs.includes(t.name))),
    inputs: [{ name: 'input', shape: [batch, ...exampleInput.shape.slice(1)] }],
    outputs: [{ name: 'output', shape: [batch, ...trace.output.shape.slice(1)] }],
    opset,
    producerVersion: '0.1.0',
    metadata: {
      model: className(model),
      ...(opts.classNames && { classes: JSON.stringify(opts.classNames) }),
      ...(opts.normalize && { normalize: JSON.stringify(opts.normalize) }),
    },
  });
}
