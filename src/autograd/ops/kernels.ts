// The ops without a graph: each runs one kernel into a new tensor. The differentiable ops in
// elementwise.ts, reduce.ts and shape.ts build on these, and their backward passes use them too.
import { backend, type BinaryOp, type ReduceOp, type UnaryOp } from '../../backend/index.js';
import { type DType, isFloating, promote } from '../../tensor/dtype.js';
import { broadcastShapes, normalizeDim, numelOf, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

const FLOAT_RESULT = new Set<UnaryOp>([
  'exp',
  'log',
  'sqrt',
  'sigmoid',
  'tanh',
  'log1p',
  'elu',
  'hardsigmoid',
  'hardswish',
  'sin',
  'cos',
  'reciprocal',
  'rsqrt',
  'erf',
  'erfinv',
]);
const BOOL_UNARY = new Set<UnaryOp>(['isnan', 'isinf', 'isfinite', 'logicalNot']);
const COMPARISONS = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

/**
 * PyTorch's result type of two tensors: among tensors with dims, or among 0-d ones, the promoted
 * dtype; a 0-d tensor only raises a tensor with dims to its own category (bool < integer < float),
 * so float32 + a float64 0-d tensor stays float32 and uint8 + an int64 0-d tensor stays uint8.
 */
export function resultType(a: Tensor, b: Tensor): DType {
  if ((a.ndim === 0) === (b.ndim === 0)) return promote(a.dtype, b.dtype);
  const [dims, zero] = a.ndim === 0 ? [b.dtype, a.dtype] : [a.dtype, b.dtype];
  if (isFloating(dims)) return dims;
  return dims === 'bool' || isFloating(zero) ? promote(dims, zero) : dims;
}

function resultDtype(op: BinaryOp, a: Tensor, b: Tensor): DType {
  if (COMPARISONS.has(op)) return 'bool';
  const t = resultType(a, b);
  return op === 'div' && !isFloating(t) ? 'float32' : t;
}

const ZERO = Float64Array.of(0);

/** Runs a binary kernel with broadcasting, no graph recorded. Bool results are 0 or 1 (add is or, mul is and). */
export function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor, dtype = resultDtype(op, a, b)): Tensor {
  if (op === 'sub' && a.dtype === 'bool' && b.dtype === 'bool')
    throw new TypeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.',
    );
  const out = Tensor.empty(broadcastShapes(a.shape, b.shape), dtype);
  backend().binary(op, a.values(), a.shape, b.values(), b.shape, out.data, out.shape);
  if (dtype === 'bool' && !COMPARISONS.has(op))
    backend().binary('ne', out.data, out.shape, ZERO, [], out.data, out.shape);
  return out;
}

export function unaryKernel(op: UnaryOp, a: Tensor, p?: number, q?: number): Tensor {
  if (op === 'neg' && a.dtype === 'bool')
    throw new TypeError(
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
  const dtype = BOOL_UNARY.has(op) ? 'bool' : isFloating(a.dtype) || !FLOAT_RESULT.has(op) ? a.dtype : 'float32';
  const out = Tensor.empty(a.shape, dtype);
  backend().unary(op, a.values(), out.data, p, q);
  return out;
}

/** Shape of `t` reduced over `dim` (all dims when undefined), keeping size-1 axes if asked. */
export function reducedShape(shape: readonly number[], dim: number | undefined, keepdim: boolean): number[] {
  if (dim === undefined) return keepdim ? shape.map(() => 1) : [];
  return keepdim ? shape.map((d, i) => (i === dim ? 1 : d)) : shape.filter((_, i) => i !== dim);
}

export function reduceKernel(op: ReduceOp, a: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const shape = a.shape;
  const d = dim === undefined ? undefined : normalizeDim(dim, a.ndim);
  const outer = d === undefined ? 1 : numelOf(shape.slice(0, d));
  const size = d === undefined ? a.numel() : a.ndim === 0 ? 1 : shape[d];
  const inner = d === undefined ? 1 : numelOf(shape.slice(d + 1));
  const isIndex = op === 'argmax' || op === 'argmin';
  const dtype = isIndex ? 'int64' : op === 'sum' && !isFloating(a.dtype) ? 'int64' : a.dtype;
  const out = Tensor.empty(reducedShape(shape, d, keepdim), dtype);
  backend().reduce(op, a.values(), outer, size, inner, out.data);
  return out;
}

/** Sums a broadcast gradient back down to `shape`. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  let r = g;
  while (r.ndim > shape.length) r = reduceKernel('sum', r, 0, false);
  for (let i = 0; i < shape.length; i++) if (shape[i] === 1 && r.shape[i] !== 1) r = reduceKernel('sum', r, i, true);
  return r;
}
