// What each traced call becomes in ONNX: nn.functional's calls by their arguments, autograd ops
// by their node's name. Each returns the graph value of the call's result.
import type { Tensor } from '../../tensor/tensor.js';
import { catDim, opName, RESHAPE_OPS, reshapeTarget } from '../export/op_shapes.js';
import type { FunctionCall, OpCall } from '../export/trace.js';
import type { OnnxGraph } from './graph.js';
import type { AttributeValue } from './model_proto.js';

/** Where the calls are being translated. */
export interface EmitContext {
  opset: number;
  dynamicBatch: boolean;
  /** The example input's batch size. */
  batch: number;
  /** An error naming the module at `path` and what it cannot export. */
  unsupported(path: string, what: string): Error;
}

type Pair = number | readonly number[];
const ints = (v: readonly number[]): AttributeValue => ({ ints: v });
const int = (v: number): AttributeValue => ({ int: v });
const float = (v: number): AttributeValue => ({ float: v });
const pairOf = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]]);

function convPads(padding: unknown, kernel: readonly number[], dilation: readonly number[]): number[] {
  if (padding === 'valid') return kernel.flatMap(() => [0, 0]);
  if (padding === 'same') {
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    return [...total.map((t) => t >> 1), ...total.map((t) => t - (t >> 1))];
  }
  const p = typeof padding === 'number' ? kernel.map(() => padding) : [...(padding as number[])];
  return [...p, ...p];
}

interface ConvOpts {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  outputPadding?: Pair;
}

function conv(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor, transposed: boolean): string {
  const [, weight, bias, opts = {}] = c.args as [Tensor, Tensor, Tensor | null, ConvOpts | undefined];
  const spatial = weight.ndim - 2;
  if (x.ndim !== spatial + 2) throw ctx.unsupported(c.path, `${c.fn} of an unbatched ${x.ndim}-d input`);
  const list = (v: Pair | undefined, d: number) =>
    v === undefined
      ? new Array<number>(spatial).fill(d)
      : typeof v === 'number'
        ? new Array<number>(spatial).fill(v)
        : [...v];
  const kernel = weight.shape.slice(2);
  const dilations = list(opts.dilation, 1);
  const attributes: Record<string, AttributeValue> = {
    kernel_shape: ints(kernel),
    strides: ints(list(opts.stride, 1)),
    pads: ints(convPads(opts.padding ?? 0, kernel, dilations)),
    dilations: ints(dilations),
    group: int(opts.groups ?? 1),
  };
  if (transposed) attributes.output_padding = ints(list(opts.outputPadding, 0));
  const inputs = [g.value(x), g.value(weight), ...(bias ? [g.value(bias)] : [])];
  return g.node(transposed ? 'ConvTranspose' : 'Conv', inputs, c.path, attributes);
}

function linear(g: OnnxGraph, c: FunctionCall, x: Tensor): string {
  const [, weight, bias] = c.args as [Tensor, Tensor, Tensor | null];
  if (x.ndim === 2)
    return g.node('Gemm', [g.value(x), g.value(weight), ...(bias ? [g.value(bias)] : [])], c.path, { transB: int(1) });
  const [outF, inF] = weight.shape;
  const w = weight.toArray();
  const wt = new Float32Array(inF * outF);
  for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) wt[i * outF + o] = w[o * inF + i];
  const name = `${g.value(weight)}.T`;
  g.floats(name, [inF, outF], wt);
  const y = g.node('MatMul', [g.value(x), name], c.path);
  return bias ? g.node('Add', [y, g.value(bias)], c.path) : y;
}

function pool(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor): string {
  if (x.ndim !== 4) throw ctx.unsupported(c.path, `${c.fn} of a ${x.ndim}-d input (ONNX pools [N, C, H, W])`);
  const kernel = pairOf(c.args[1] as Pair);
  if (c.fn === 'maxPool2d') {
    const raw = c.args[2] ?? {};
    const o = (typeof raw === 'number' || Array.isArray(raw) ? { stride: raw } : raw) as {
      stride?: Pair;
      padding?: Pair;
      ceilMode?: boolean;
    };
    const [ph, pw] = pairOf(o.padding ?? 0);
    return g.node('MaxPool', [g.value(x)], c.path, {
      kernel_shape: ints(kernel),
      strides: ints(pairOf(o.stride ?? kernel)),
      pads: ints([ph, pw, ph, pw]),
      ceil_mode: int(o.ceilMode ? 1 : 0),
    });
  }
  const o = (c.args[2] ?? {}) as {
    stride?: Pair | null;
    padding?: Pair;
    countIncludePad?: boolean;
    divisorOverride?: number | null;
  };
  if (o.divisorOverride !== undefined && o.divisorOverride !== null)
    throw ctx.unsupported(c.path, 'avgPool2d divisorOverride (no ONNX equivalent)');
  const [ph, pw] = pairOf(o.padding ?? 0);
  return g.node('AveragePool', [g.value(x)], c.path, {
    kernel_shape: ints(kernel),
    strides: ints(pairOf(o.stride ?? kernel)),
    pads: ints([ph, pw, ph, pw]),
    count_include_pad: int(o.countIncludePad === false ? 0 : 1),
  });
}

function adaptivePool(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor): string {
  if (x.ndim !== 4) throw ctx.unsupported(c.path, `${c.fn} of a ${x.ndim}-d input`);
  const max = c.fn === 'adaptiveMaxPool2d';
  const [h, w] = x.shape.slice(2);
  const size = c.args[1] as number | readonly (number | null)[];
  const [oh, ow] = typeof size === 'number' ? [size, size] : [size[0] ?? h, size[1] ?? size[0] ?? w];
  if (oh === 1 && ow === 1) return g.node(max ? 'GlobalMaxPool' : 'GlobalAveragePool', [g.value(x)], c.path);
  if (h % oh !== 0 || w % ow !== 0)
    throw ctx.unsupported(
      c.path,
      `${c.fn} from ${h} x ${w} to ${oh} x ${ow} (ONNX pools only where the output divides the input)`,
    );
  const kernel = [h / oh, w / ow];
  return g.node(max ? 'MaxPool' : 'AveragePool', [g.value(x)], c.path, {
    kernel_shape: ints(kernel),
    strides: ints(kernel),
  });
}

function scalarConst(g: OnnxGraph, v: number): string {
  return g.floats(g.fresh('scalar'), [], [v]);
}

function softplus(g: OnnxGraph, c: FunctionCall, x: Tensor): string {
  const [, beta, threshold] = c.args as [Tensor, number, number];
  const xv = g.value(x);
  const bx = beta === 1 ? xv : g.node('Mul', [xv, scalarConst(g, beta)], c.path);
  let soft = g.node('Softplus', [bx], c.path);
  if (beta !== 1) soft = g.node('Div', [soft, scalarConst(g, beta)], c.path);
  const linear = g.node('Greater', [bx, scalarConst(g, threshold)], c.path);
  return g.node('Where', [linear, xv, soft], c.path);
}

function gelu(g: OnnxGraph, c: FunctionCall, x: Tensor): string {
  const xv = g.value(x);
  const half = g.node('Mul', [xv, scalarConst(g, 0.5)], c.path);
  if (c.args[1] === 'tanh') {
    const cube = g.node('Mul', [g.node('Mul', [xv, xv], c.path), xv], c.path);
    const inner = g.node('Add', [xv, g.node('Mul', [cube, scalarConst(g, 0.044715)], c.path)], c.path);
    const t = g.node('Tanh', [g.node('Mul', [inner, scalarConst(g, Math.sqrt(2 / Math.PI))], c.path)], c.path);
    return g.node('Mul', [half, g.node('Add', [t, scalarConst(g, 1)], c.path)], c.path);
  }
  const erf = g.node('Erf', [g.node('Mul', [xv, scalarConst(g, Math.SQRT1_2)], c.path)], c.path);
  return g.node('Mul', [half, g.node('Add', [erf, scalarConst(g, 1)], c.path)], c.path);
}

function pad(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor): string {
  const [, padding, opts = {}] = c.args as [Tensor, readonly number[], { mode?: string; value?: number }];
  const mode = opts.mode ?? 'constant';
  const onnxMode = { constant: 'constant', reflect: 'reflect', replicate: 'edge' }[mode];
  if (!onnxMode) throw ctx.unsupported(c.path, `pad mode '${mode}' (ONNX wraps around only from opset 19)`);
  const before = new Array<number>(x.ndim).fill(0);
  const after = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    before[x.ndim - 1 - i] = padding[2 * i];
    after[x.ndim - 1 - i] = padding[2 * i + 1];
  }
  const inputs = [g.value(x), g.ints('pads', [...before, ...after])];
  if (mode === 'constant') inputs.push(scalarConst(g, opts.value ?? 0));
  return g.node('Pad', inputs, c.path, { mode: { string: onnxMode } });
}

function resize(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor, y: Tensor): string {
  const o = (c.args[1] ?? {}) as { scaleFactor?: number | readonly number[]; mode?: string; alignCorners?: boolean };
  if (o.mode !== undefined && o.mode !== 'nearest' && o.mode !== 'bilinear')
    throw ctx.unsupported(c.path, `interpolate mode '${o.mode}'`);
  const attributes: Record<string, AttributeValue> =
    o.mode === 'bilinear'
      ? {
          mode: { string: 'linear' },
          coordinate_transformation_mode: { string: o.alignCorners ? 'align_corners' : 'pytorch_half_pixel' },
        }
      : {
          mode: { string: 'nearest' },
          coordinate_transformation_mode: { string: 'asymmetric' },
          nearest_mode: { string: 'floor' },
        };
  const xv = g.value(x);
  // A scale factor maps coordinates by 1 / factor, as PyTorch does; a size, by in / out: Resize's sizes,
  // [N, C] taken from the input's shape so that the batch stays free.
  if (o.scaleFactor !== undefined) {
    const f =
      typeof o.scaleFactor === 'number' ? new Array<number>(x.ndim - 2).fill(o.scaleFactor) : [...o.scaleFactor];
    return g.node('Resize', [xv, '', g.floats(g.fresh('scales'), [x.ndim], [1, 1, ...f])], c.path, attributes);
  }
  const batchAndChannels =
    ctx.opset >= 15
      ? g.node('Shape', [xv], c.path, { start: int(0), end: int(2) })
      : g.node('Slice', [g.node('Shape', [xv], c.path), g.ints('starts', [0]), g.ints('ends', [2])], c.path);
  const sizes = g.node('Concat', [batchAndChannels, g.ints('sizes', y.shape.slice(2))], c.path, { axis: int(0) });
  return g.node('Resize', [xv, '', '', sizes], c.path, attributes);
}

function batchNorm(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor): string {
  const [, mean, variance, o = {}] = c.args as [
    Tensor,
    Tensor | null,
    Tensor | null,
    { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; eps?: number },
  ];
  if (o.training || !mean || !variance)
    throw ctx.unsupported(c.path, 'batch norm by the batch statistics in eval mode (trackRunningStats false)');
  const ch = x.shape[1];
  const scale = o.weight ? g.value(o.weight) : g.floats(g.fresh('ones'), [ch], new Float32Array(ch).fill(1));
  const shift = o.bias ? g.value(o.bias) : g.floats(g.fresh('zeros'), [ch], new Float32Array(ch));
  return g.node('BatchNormalization', [g.value(x), scale, shift, g.value(mean), g.value(variance)], c.path, {
    epsilon: float(o.eps ?? 1e-5),
  });
}

function layerNorm(g: OnnxGraph, c: FunctionCall, ctx: EmitContext, x: Tensor): string {
  const [, shape, weight, bias, eps] = c.args as [Tensor, readonly number[], Tensor | null, Tensor | null, number];
  if (ctx.opset < 17) throw ctx.unsupported(c.path, `layerNorm needs opset 17 (LayerNormalization), not ${ctx.opset}`);
  const n = shape.reduce((a, b) => a * b, 1);
  const scale = weight ? g.value(weight) : g.floats(g.fresh('ones'), shape, new Float32Array(n).fill(1));
  const inputs = [g.value(x), scale, ...(bias ? [g.value(bias)] : [])];
  return g.node('LayerNormalization', inputs, c.path, { axis: int(-shape.length), epsilon: float(eps) });
}

/** sum and mean over one dim (keepdim or not) or over all. */
function reduce(g: OnnxGraph, c: FunctionCall, x: Tensor): string {
  const [, dim, keepdim] = c.args as [Tensor, number | undefined, boolean];
  const axes = dim === undefined ? x.shape.map((_, i) => i) : [(dim + x.ndim) % x.ndim];
  const keepdims = int(keepdim && dim !== undefined ? 1 : 0);
  // ReduceSum takes its axes as an input from opset 13, ReduceMean only from opset 18.
  if (c.fn === 'sum') return g.node('ReduceSum', [g.value(x), g.ints('axes', axes)], c.path, { keepdims });
  return g.node('ReduceMean', [g.value(x)], c.path, { axes: ints(axes), keepdims });
}

/** GroupNorm from opset 13's InstanceNormalization over [N, G, rest], then the per-channel affine. */
function groupNorm(g: OnnxGraph, c: FunctionCall, x: Tensor): string {
  const [, groups, weight, bias, eps] = c.args as [Tensor, number, Tensor | null, Tensor | null, number];
  const xv = g.value(x);
  const grouped = g.node('Reshape', [xv, g.ints('shape', [0, groups, -1])], c.path);
  const ones = g.floats(g.fresh('ones'), [groups], new Float32Array(groups).fill(1));
  const zeros = g.floats(g.fresh('zeros'), [groups], new Float32Array(groups));
  const normed = g.node('InstanceNormalization', [grouped, ones, zeros], c.path, { epsilon: float(eps) });
  let y = g.node('Reshape', [normed, g.node('Shape', [xv], c.path)], c.path);
  const perChannel = [x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)];
  if (weight) y = g.node('Mul', [y, g.floats(`${g.value(weight)}.per_channel`, perChannel, weight.toArray())], c.path);
  if (bias) y = g.node('Add', [y, g.floats(`${g.value(bias)}.per_channel`, perChannel, bias.toArray())], c.path);
  return y;
}

/** The graph value of a reported nn.functional call's result. */
export function emitFunction(g: OnnxGraph, c: FunctionCall, ctx: EmitContext): string {
  const x = c.args[0] as Tensor;
  const xv = () => g.value(x);
  switch (c.fn) {
    case 'conv2d':
    case 'conv1d':
      return conv(g, c, ctx, x, false);
    case 'convTranspose2d':
      return conv(g, c, ctx, x, true);
    case 'linear':
      return linear(g, c, x);
    case 'maxPool2d':
    case 'avgPool2d':
      return pool(g, c, ctx, x);
    case 'adaptiveAvgPool2d':
    case 'adaptiveMaxPool2d':
      return adaptivePool(g, c, ctx, x);
    case 'softmax':
      return g.node('Softmax', [xv()], c.path, { axis: int(c.args[1] as number) });
    case 'logSoftmax':
      return g.node('LogSoftmax', [xv()], c.path, { axis: int(c.args[1] as number) });
    case 'leakyRelu':
      return g.node('LeakyRelu', [xv()], c.path, { alpha: float(c.args[1] as number) });
    case 'elu':
      return g.node('Elu', [xv()], c.path, { alpha: float(c.args[1] as number) });
    case 'silu':
      return g.node('Mul', [xv(), g.node('Sigmoid', [xv()], c.path)], c.path);
    case 'softplus':
      return softplus(g, c, x);
    case 'hardtanh':
      return g.node('Clip', [xv(), scalarConst(g, c.args[1] as number), scalarConst(g, c.args[2] as number)], c.path);
    case 'hardsigmoid':
      return g.node('HardSigmoid', [xv()], c.path, { alpha: float(1 / 6), beta: float(0.5) });
    case 'hardswish':
      if (ctx.opset >= 14) return g.node('HardSwish', [xv()], c.path);
      return g.node(
        'Mul',
        [xv(), g.node('HardSigmoid', [xv()], c.path, { alpha: float(1 / 6), beta: float(0.5) })],
        c.path,
      );
    case 'gelu':
      return gelu(g, c, x);
    case 'prelu': {
      const weight = c.args[1] as Tensor;
      const dims =
        weight.numel() === 1 || x.ndim < 3 ? weight.shape : [weight.numel(), ...new Array<number>(x.ndim - 2).fill(1)];
      const name = g.floats(`${g.value(weight)}.slope`, dims, weight.toArray());
      return g.node('PRelu', [xv(), name], c.path);
    }
    case 'pad':
      return pad(g, c, ctx, x);
    case 'interpolate':
      return resize(g, c, ctx, x, c.output);
    case 'batchNorm':
      return batchNorm(g, c, ctx, x);
    case 'layerNorm':
      return layerNorm(g, c, ctx, x);
    case 'groupNorm':
      return groupNorm(g, c, x);
    case 'dropout':
    case 'dropout1d':
    case 'dropout2d':
      return xv();
    case 'permute':
      return g.node('Transpose', [xv()], c.path, {
        perm: ints((c.args[1] as number[]).map((d) => (d + x.ndim) % x.ndim)),
      });
    case 'transpose': {
      const [a, b] = [c.args[1] as number, c.args[2] as number].map((d) => (d + x.ndim) % x.ndim);
      const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
      return g.node('Transpose', [xv()], c.path, { perm: ints(perm) });
    }
    case 'sum':
    case 'mean':
      return reduce(g, c, x);
    default:
      throw ctx.unsupported(c.path, `F.${c.fn} has no ONNX export yet`);
  }
}

const UNARY: Record<string, string> = {
  ReluBackward0: 'Relu',
  SigmoidBackward0: 'Sigmoid',
  TanhBackward0: 'Tanh',
  ExpBackward0: 'Exp',
  LogBackward0: 'Log',
  SqrtBackward0: 'Sqrt',
  AbsBackward0: 'Abs',
  NegBackward0: 'Neg',
  ErfBackward0: 'Erf',
  SinBackward0: 'Sin',
  CosBackward0: 'Cos',
  ReciprocalBackward0: 'Reciprocal',
};
const BINARY: Record<string, string> = {
  AddBackward0: 'Add',
  SubBackward0: 'Sub',
  MulBackward0: 'Mul',
  DivBackward0: 'Div',
  MmBackward0: 'MatMul',
  BmmBackward0: 'MatMul',
};
/** The graph value of an autograd op's result (`null`: the op passes its input through). */
export function emitOp(g: OnnxGraph, c: OpCall, ctx: EmitContext): string | null {
  const [a, b] = c.inputs;
  if (UNARY[c.op]) return g.node(UNARY[c.op], [g.value(a)], c.path);
  if (BINARY[c.op] && c.inputs.length === 2) return g.node(BINARY[c.op], [g.value(a), g.value(b)], c.path);
  if (c.op === 'CloneBackward0') return null;
  if (c.op === 'Log1PBackward0') return g.node('Log', [g.node('Add', [g.value(a), scalarConst(g, 1)], c.path)], c.path);
  if (RESHAPE_OPS.has(c.op)) {
    const shape = reshapeTarget(c, ctx.dynamicBatch ? ctx.batch : null);
    return g.node('Reshape', [g.value(a), g.ints('shape', shape)], c.path);
  }
  if (c.op === 'CatBackward0') {
    const axis = catDim(c);
    if (axis < 0) throw ctx.unsupported(c.path, 'cat of inputs of different ranks');
    return g.node(
      'Concat',
      c.inputs.map((t) => g.value(t)),
      c.path,
      { axis: int(axis) },
    );
  }
  throw ctx.unsupported(c.path, `${opName(c.op)} (${c.op}) has no ONNX export yet`);
}
