// ONNX export of a model whose forward is a composition of modules (nn.Sequential and models
// built from them): the forward runs once on the example input in eval mode with every module's
// forward watched, and each leaf module's call becomes ONNX nodes. A tensor a module receives that
// no module (and not the input) produced came from a functional call: named, and refused.
import type { Module } from '../../nn/module.js';
import { Conv2d, Dropout, Dropout1d, Dropout2d, Flatten, Identity, Linear, MaxPool2d, ReLU } from '../../nn/layers.js';
import { AdaptiveAvgPool2d, AvgPool2d } from '../../nn/pool_layers.js';
import { BatchNorm } from '../../nn/batchnorm.js';
import { LeakyReLU, LogSoftmax, Sigmoid, Softmax, Tanh } from '../../nn/activation_layers.js';
import { noGrad } from '../../autograd/grad_mode.js';
import type { Tensor } from '../../tensor/tensor.js';
import { className } from '../../util/class_name.js';
import { checkOptions } from '../../util/options.js';
import { modelProto, type AttributeValue, type OnnxNode, type OnnxTensor } from './model_proto.js';

/** `exportOnnx`'s options. */
export interface OnnxExportOptions {
  /** The operator set, 13 to 17 (default 17). */
  opset?: number;
  /** The batch dimension named `batch` rather than fixed to the example's (default true). */
  dynamicBatch?: boolean;
  /** The class names, kept in the model's metadata as JSON (`classes`). */
  classNames?: string[];
  /** The normalisation the model was trained with, kept in the metadata as JSON (`normalize`). */
  normalize?: { mean: number[]; std: number[] };
}

const ints = (v: readonly number[]): AttributeValue => ({ ints: v });
const int = (v: number): AttributeValue => ({ int: v });
const pair = (v: number | readonly number[]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

/** What a leaf module's call becomes: nodes, and the constants they read. */
interface Emitted {
  nodes: Omit<OnnxNode, 'name'>[];
  constants: OnnxTensor[];
}

function floats(name: string, t: Tensor): OnnxTensor {
  return { name, dims: t.shape, floats: Float32Array.from(t.toArray()) };
}

function unsupported(path: string, m: Module, why: string): Error {
  return new Error(`exportOnnx: not supported: ${path || 'the model'} (${className(m)}): ${why}`);
}

/** The ONNX nodes of one leaf module's call from `x` (named `input`) to `output`. */
function emit(path: string, m: Module, x: Tensor, input: string, output: string): Emitted | null {
  const one = (op: string, attributes?: Record<string, AttributeValue>, inputs = [input]): Emitted => ({
    nodes: [{ op, inputs, outputs: [output], ...(attributes && { attributes }) }],
    constants: [],
  });
  const p = (name: string) => (path ? `${path}.${name}` : name);
  if (m instanceof Conv2d) {
    const [kh, kw] = m.kernelSize;
    let pads: number[];
    if (m.padding === 'valid') pads = [0, 0, 0, 0];
    else if (m.padding === 'same') {
      const [th, tw] = [m.dilation[0] * (kh - 1), m.dilation[1] * (kw - 1)];
      pads = [th >> 1, tw >> 1, th - (th >> 1), tw - (tw >> 1)];
    } else pads = [m.padding[0], m.padding[1], m.padding[0], m.padding[1]];
    const e = one(
      'Conv',
      {
        kernel_shape: ints([kh, kw]),
        strides: ints(m.stride),
        pads: ints(pads),
        dilations: ints(m.dilation),
        group: int(m.groups),
      },
      [input, p('weight'), ...(m.bias ? [p('bias')] : [])],
    );
    e.constants.push(floats(p('weight'), m.weight), ...(m.bias ? [floats(p('bias'), m.bias)] : []));
    return e;
  }
  if (m instanceof Linear) {
    if (x.ndim !== 2) throw unsupported(path, m, `input of ${x.ndim} dims (Gemm takes [batch, features])`);
    const e = one('Gemm', { transB: int(1) }, [input, p('weight'), ...(m.bias ? [p('bias')] : [])]);
    e.constants.push(floats(p('weight'), m.weight), ...(m.bias ? [floats(p('bias'), m.bias)] : []));
    return e;
  }
  if (m instanceof ReLU) return one('Relu');
  if (m instanceof Sigmoid) return one('Sigmoid');
  if (m instanceof Tanh) return one('Tanh');
  if (m instanceof LeakyReLU) return one('LeakyRelu', { alpha: { float: m.negativeSlope } });
  if (m instanceof MaxPool2d) {
    const [ph, pw] = pair(m.padding);
    return one('MaxPool', {
      kernel_shape: ints(pair(m.kernelSize)),
      strides: ints(pair(m.stride)),
      pads: ints([ph, pw, ph, pw]),
      ceil_mode: int(m.ceilMode ? 1 : 0),
    });
  }
  if (m instanceof AvgPool2d) {
    if (m.options.divisorOverride !== undefined) throw unsupported(path, m, 'divisorOverride has no ONNX equivalent');
    const [ph, pw] = pair(m.options.padding ?? 0);
    return one('AveragePool', {
      kernel_shape: ints(pair(m.kernelSize)),
      strides: ints(pair(m.stride)),
      pads: ints([ph, pw, ph, pw]),
      count_include_pad: int(m.options.countIncludePad === false ? 0 : 1),
    });
  }
  if (m instanceof AdaptiveAvgPool2d) {
    const [oh, ow] = pair(m.outputSize);
    if (oh !== 1 || ow !== 1) throw unsupported(path, m, `output size ${oh} x ${ow} (only 1, global pooling)`);
    return one('GlobalAveragePool');
  }
  if (m instanceof Flatten) {
    const end = m.endDim < 0 ? m.endDim + x.ndim : m.endDim;
    if (m.startDim !== 1 || end !== x.ndim - 1)
      throw unsupported(path, m, 'only Flatten(1, -1) (ONNX Flatten at axis 1)');
    return one('Flatten', { axis: int(1) });
  }
  if (m instanceof BatchNorm) {
    if (!m.running_mean || !m.running_var)
      throw unsupported(path, m, 'trackRunningStats false (eval mode normalises by the batch)');
    const c = m.numFeatures;
    const weight = m.weight
      ? floats(p('weight'), m.weight)
      : { name: p('weight'), dims: [c], floats: new Float32Array(c).fill(1) };
    const bias = m.bias ? floats(p('bias'), m.bias) : { name: p('bias'), dims: [c], floats: new Float32Array(c) };
    const e = one('BatchNormalization', { epsilon: { float: m.eps } }, [
      input,
      p('weight'),
      p('bias'),
      p('running_mean'),
      p('running_var'),
    ]);
    e.constants.push(weight, bias, floats(p('running_mean'), m.running_mean), floats(p('running_var'), m.running_var));
    return e;
  }
  if (m instanceof LogSoftmax) return one('LogSoftmax', { axis: int(m.dim) });
  if (m instanceof Softmax) return one('Softmax', { axis: int(m.dim) });
  if (m instanceof Dropout || m instanceof Dropout1d || m instanceof Dropout2d || m instanceof Identity) return null;
  throw unsupported(path, m, 'no ONNX export for this module yet');
}

/**
 * The model as ONNX bytes (a `model.onnx`), traced on `exampleInput` in eval mode: input `input`,
 * output `output`, the batch dimension named `batch` unless `dynamicBatch: false`, weights under
 * their state-dict names, the class names and normalisation in the metadata.
 */
export function onnxBytes(model: Module, exampleInput: Tensor, opts: OnnxExportOptions = {}): Uint8Array {
  checkOptions('exportOnnx', opts, ['opset', 'dynamicBatch', 'classNames', 'normalize']);
  const opset = opts.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 17)
    throw new RangeError(`exportOnnx: opset must be 13 to 17, got ${opset}`);
  const names = new Map<Tensor, string>([[exampleInput, 'input']]);
  const nodes: OnnxNode[] = [];
  const constants = new Map<string, OnnxTensor>();
  /** The first failure inside a watched forward (thrown after the forward, so that it always finishes). */
  const failed: { error?: Error } = {};
  const watched: Module[] = [];
  const modules = [...model.namedModules()];
  const containers = new Set(modules.filter(([, m]) => [...m.children()].length > 0).map(([, m]) => m));
  for (const [path, m] of modules) {
    if (containers.has(m)) continue;
    const forward: (x: Tensor) => Tensor = m.forward.bind(m);
    watched.push(m);
    (m as { forward: (x: Tensor) => Tensor }).forward = (x: Tensor) => {
      const y = forward(x);
      if (failed.error) return y;
      try {
        const input = names.get(x);
        if (input === undefined)
          throw new Error(
            `exportOnnx: not supported: ${path} (${className(m)}) takes a tensor no module produced: the forward that calls it ` +
              'computes it with a functional call or a tensor op (F.relu, x.view, a + b, ...); exportOnnx exports forwards made of modules for now',
          );
        const output = `${path}:${nodes.length}`;
        const e = emit(path, m, x, input, output);
        if (!e) names.set(y, input);
        else {
          e.nodes.forEach((n, i) => nodes.push({ ...n, name: `${path}${e.nodes.length > 1 ? `:${i}` : ''}` }));
          for (const c of e.constants) constants.set(c.name, c);
          names.set(y, output);
        }
      } catch (err) {
        failed.error = err as Error;
      }
      return y;
    };
  }
  const wasTraining = model.training;
  model.eval();
  let out: Tensor;
  try {
    out = noGrad(() => model.forward(exampleInput));
  } finally {
    for (const m of watched) delete (m as { forward?: unknown }).forward;
    model.train(wasTraining);
  }
  if (failed.error) throw failed.error;
  const last = names.get(out);
  if (last === undefined)
    throw new Error(
      `exportOnnx: not supported: ${className(model)}.forward returns a tensor no module produced (a functional call or tensor op after its last module); exportOnnx exports forwards made of modules for now`,
    );
  // The graph's output is `output`: the last node renamed (or an Identity where the input passes through).
  const producer = nodes.find((n) => n.outputs[0] === last);
  if (producer) {
    producer.outputs = ['output'];
    for (const n of nodes) n.inputs = n.inputs.map((i) => (i === last ? 'output' : i));
  } else nodes.push({ op: 'Identity', name: 'output', inputs: [last], outputs: ['output'] });
  const batch = (opts.dynamicBatch ?? true) ? 'batch' : exampleInput.shape[0];
  return modelProto({
    graphName: className(model),
    nodes,
    initializers: [...constants.values()],
    inputs: [{ name: 'input', shape: [batch, ...exampleInput.shape.slice(1)] }],
    outputs: [{ name: 'output', shape: [batch, ...out.shape.slice(1)] }],
    opset,
    producerVersion: '0.1.0',
    metadata: {
      model: className(model),
      ...(opts.classNames && { classes: JSON.stringify(opts.classNames) }),
      ...(opts.normalize && { normalize: JSON.stringify(opts.normalize) }),
    },
  });
}
