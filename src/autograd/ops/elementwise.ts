import type { BinaryOp } from '../../backend/index.js';
import { scalar } from '../../tensor/creation.js';
import { type DType, isFloating } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';
import { binaryKernel, sumToShape, unaryKernel } from './kernels.js';

/** The other operand of an elementwise op: a tensor, or a number taken as a scalar tensor. */
export type Operand = Tensor | number;

/**
 * A number as PyTorch wraps it: of the tensor's dtype when that is floating, or when both are
 * integers (so uint8 + 300 wraps as PyTorch's does); int64 beside bool; float32 for a fraction.
 */
export function toTensor(x: Operand, other: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  const integer = Number.isInteger(x);
  const dtype: DType = isFloating(other.dtype)
    ? other.dtype
    : integer
      ? other.dtype === 'bool'
        ? 'int64'
        : other.dtype
      : 'float32';
  return scalar(x, dtype);
}

export function add(a: Tensor, b: Operand): Tensor {
  const bt = toTensor(b, a);
  return record('AddBackward0', binaryKernel('add', a, bt), [a, bt], (g) => [
    sumToShape(g, a.shape),
    sumToShape(g, bt.shape),
  ]);
}

export function sub(a: Tensor, b: Operand): Tensor {
  const bt = toTensor(b, a);
  return record('SubBackward0', binaryKernel('sub', a, bt), [a, bt], (g) => [
    sumToShape(g, a.shape),
    sumToShape(unaryKernel('neg', g), bt.shape),
  ]);
}

export function mul(a: Tensor, b: Operand): Tensor {
  const bt = toTensor(b, a);
  return record('MulBackward0', binaryKernel('mul', a, bt), [a, bt], (g) => [
    a.requiresGrad ? sumToShape(binaryKernel('mul', g, bt, g.dtype), a.shape) : null,
    bt.requiresGrad ? sumToShape(binaryKernel('mul', g, a, g.dtype), bt.shape) : null,
  ]);
}

export function div(a: Tensor, b: Operand): Tensor {
  const bt = toTensor(b, a);
  return record('DivBackward0', binaryKernel('div', a, bt), [a, bt], (g) => {
    const ga = binaryKernel('div', g, bt, g.dtype);
    return [
      sumToShape(ga, a.shape),
      bt.requiresGrad
        ? sumToShape(binaryKernel('mul', unaryKernel('neg', ga), binaryKernel('div', a, bt, g.dtype)), bt.shape)
        : null,
    ];
  });
}

export function pow(a: Tensor, b: Operand): Tensor {
  const bt = toTensor(b, a);
  const out = binaryKernel('pow', a, bt);
  const name = b instanceof Tensor ? 'PowBackward1' : 'PowBackward0';
  return record(name, out, [a, bt], (g) => {
    const ga = a.requiresGrad ? binaryKernel('mul', g, binaryKernel('powGradBase', a, bt, g.dtype), g.dtype) : null;
    const gb = bt.requiresGrad
      ? binaryKernel('mul', g, binaryKernel('powGradExponent', a, bt, g.dtype), g.dtype)
      : null;
    return [ga && sumToShape(ga, a.shape), gb && sumToShape(gb, bt.shape)];
  });
}

export function compare(op: BinaryOp, a: Tensor, b: Operand): Tensor {
  return binaryKernel(op, a, toTensor(b, a));
}

export function neg(a: Tensor): Tensor {
  return record('NegBackward0', unaryKernel('neg', a), [a], (g) => [unaryKernel('neg', g)]);
}

/**
 * e^x, elementwise.
 * @pytorch `torch.exp`
 */
export function exp(a: Tensor): Tensor {
  const out = unaryKernel('exp', a);
  return record('ExpBackward0', out, [a], (g) => [binaryKernel('mul', g, out)]);
}

/**
 * The natural logarithm, elementwise.
 * @pytorch `torch.log`
 */
export function log(a: Tensor): Tensor {
  return record('LogBackward0', unaryKernel('log', a), [a], (g) => [binaryKernel('div', g, a, g.dtype)]);
}

/**
 * The square root, elementwise.
 * @pytorch `torch.sqrt`
 */
export function sqrt(a: Tensor): Tensor {
  const out = unaryKernel('sqrt', a);
  return record('SqrtBackward0', out, [a], (g) => [
    binaryKernel('div', g, binaryKernel('mul', out, scalar(2, out.dtype))),
  ]);
}

/**
 * The absolute value, elementwise.
 * @pytorch `torch.abs`
 */
export function abs(a: Tensor): Tensor {
  return record('AbsBackward0', unaryKernel('abs', a), [a], (g) => [binaryKernel('signMul', g, a, g.dtype)]);
}

export function relu(a: Tensor): Tensor {
  const out = unaryKernel('relu', a);
  return record('ReluBackward0', out, [a], (g) => [binaryKernel('reluGrad', g, out, g.dtype)]);
}

export function clamp(a: Tensor, min = -Infinity, max = Infinity): Tensor {
  if (min > max) throw new RangeError(`clamp: min (${min}) must not exceed max (${max})`);
  return record('ClampBackward1', unaryKernel('clamp', a, min, max), [a], (g) => [
    binaryKernel('mul', g, unaryKernel('clampMask', a, min, max), g.dtype),
  ]);
}

/**
 * 1 / (1 + e^-x), elementwise.
 * @pytorch `torch.sigmoid`
 */
export function sigmoid(x: Tensor): Tensor {
  const y = unaryKernel('sigmoid', x);
  return record('SigmoidBackward0', y, [x], (g) => [
    binaryKernel('mul', g, binaryKernel('mul', y, binaryKernel('sub', scalar(1, y.dtype), y)), g.dtype),
  ]);
}

/**
 * The hyperbolic tangent, elementwise.
 * @pytorch `torch.tanh`
 */
export function tanh(x: Tensor): Tensor {
  const y = unaryKernel('tanh', x);
  return record('TanhBackward0', y, [x], (g) => [
    binaryKernel('mul', g, binaryKernel('sub', scalar(1, y.dtype), binaryKernel('mul', y, y)), g.dtype),
  ]);
}

/** log(1 + x), accurate near 0. */
export function log1p(x: Tensor): Tensor {
  return record('Log1PBackward0', unaryKernel('log1p', x), [x], (g) => [
    binaryKernel('div', g, binaryKernel('add', x, scalar(1, x.dtype)), g.dtype),
  ]);
}
