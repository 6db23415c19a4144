import { backend } from '../../backend/index.js';
import { scalar } from '../../tensor/creation.js';
import { isFloating } from '../../tensor/dtype.js';
import { normalizeDim, numelOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { reportedCall } from '../call_trace.js';
import { record } from '../record.js';
import { binaryKernel, reducedShape, reduceKernel } from './kernels.js';
import { expand, reshape } from './shape.js';

function gradBack(g: Tensor, input: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const kept =
    keepdim || dim === undefined ? g : reshape(g, reducedShape(input.shape, normalizeDim(dim, input.ndim), true));
  return expand(
    dim === undefined
      ? reshape(
          kept,
          input.shape.map(() => 1),
        )
      : kept,
    input.shape,
  );
}

export function sum(a: Tensor, dim?: number, keepdim = false): Tensor {
  return reportedCall('sum', [a, dim, keepdim], () => {
    const name = dim === undefined ? 'SumBackward0' : 'SumBackward1';
    return record(name, reduceKernel('sum', a, dim, keepdim), [a], (g) => [gradBack(g, a, dim, keepdim)]);
  });
}

export function mean(a: Tensor, dim?: number, keepdim = false): Tensor {
  return reportedCall('mean', [a, dim, keepdim], () => {
    if (!isFloating(a.dtype))
      throw new TypeError(`mean() needs a floating point tensor, got ${a.dtype}; call .float() first`);
    const n = dim === undefined ? a.numel() : a.ndim === 0 ? 1 : a.shape[normalizeDim(dim, a.ndim)];
    const out = binaryKernel('div', reduceKernel('sum', a, dim, keepdim), scalar(n, a.dtype));
    const name = dim === undefined ? 'MeanBackward0' : 'MeanBackward1';
    return record(name, out, [a], (g) => [binaryKernel('div', gradBack(g, a, dim, keepdim), scalar(n, g.dtype))]);
  });
}

function extremeAll(op: 'max' | 'min', a: Tensor): Tensor {
  const out = reduceKernel(op, a, undefined, false);
  return record(op === 'max' ? 'MaxBackward1' : 'MinBackward1', out, [a], (g) => {
    // Ties share the gradient evenly, as PyTorch does for a full reduction; a NaN result's
    // gradient goes to the NaNs.
    const nanResult = binaryKernel('mul', binaryKernel('ne', a, a, a.dtype), binaryKernel('ne', out, out, a.dtype));
    const mask = binaryKernel('add', binaryKernel('eq', a, out, a.dtype), nanResult);
    const count = reduceKernel('sum', mask, undefined, false);
    return [binaryKernel('mul', mask, binaryKernel('div', g, count))];
  });
}

function extremeDim(op: 'max' | 'min', a: Tensor, dim: number, keepdim: boolean): [Tensor, Tensor] {
  const d = normalizeDim(dim, a.ndim);
  if (a.ndim === 0) {
    const value = reduceKernel(op, a, undefined, false);
    return [record(op === 'max' ? 'MaxBackward0' : 'MinBackward0', value, [a], (g) => [g]), scalar(0, 'int64')];
  }
  const indices = reduceKernel(op === 'max' ? 'argmax' : 'argmin', a, d, keepdim);
  const values = reduceKernel(op, a, d, keepdim);
  record(op === 'max' ? 'MaxBackward0' : 'MinBackward0', values, [a], (g) => {
    const kept = keepdim ? g : reshape(g, reducedShape(a.shape, d, true));
    const idx = keepdim ? indices : reshape(indices, reducedShape(a.shape, d, true));
    const ga = Tensor.empty(a.shape, g.dtype);
    scatterAlong(ga, kept, idx, d);
    return [ga];
  });
  return [values, indices];
}

/** out[..., idx[...], ...] = src along `dim`, zero elsewhere; idx and src have size 1 at `dim`. */
function scatterAlong(out: Tensor, src: Tensor, idx: Tensor, dim: number): void {
  const outer = numelOf(out.shape.slice(0, dim));
  backend().scatterDim(src.values(), idx.values(), out.data, outer, out.shape[dim], numelOf(out.shape.slice(dim + 1)));
}

export function max(a: Tensor): Tensor;
export function max(a: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function max(a: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return dim === undefined ? extremeAll('max', a) : extremeDim('max', a, dim, keepdim);
}

export function min(a: Tensor): Tensor;
export function min(a: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function min(a: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return dim === undefined ? extremeAll('min', a) : extremeDim('min', a, dim, keepdim);
}

export function argmax(a: Tensor, dim?: number, keepdim = false): Tensor {
  return reduceKernel('argmax', a, dim, keepdim);
}

export function argmin(a: Tensor, dim?: number, keepdim = false): Tensor {
  return reduceKernel('argmin', a, dim, keepdim);
}
