import { backend } from '../../backend/index.js';
import { zeros } from '../../tensor/creation.js';
import { contiguousStrides, formatShape, inferShape, normalizeDim, numelOf, viewStrides } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { reportedCall } from '../call_trace.js';
import { record } from '../record.js';
import { sumToShape } from './kernels.js';

function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset = t.offset): Tensor {
  return new Tensor(t.data, shape, t.dtype, strides, offset);
}

export function view(t: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, t.numel());
  const strides = t.isContiguous() ? contiguousStrides(target) : viewStrides(t.shape, t.strides, target);
  if (!strides) {
    throw new Error(
      `view size ${formatShape(target)} is not compatible with input tensor's size ${formatShape(t.shape)} and stride ${formatShape(t.strides)}: ` +
        'at least one dimension spans across two contiguous subspaces. Use .reshape(...) instead, or call .contiguous() first.',
    );
  }
  return record('ViewBackward0', viewOf(t, target, strides), [t], (g) => [reshape(g, t.shape)]);
}

export function contiguous(t: Tensor): Tensor {
  if (t.isContiguous()) return t;
  return record('CloneBackward0', new Tensor(t.values(), t.shape, t.dtype), [t], (g) => [g]);
}

export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  return t.isContiguous() ? view(t, shape) : view(contiguous(t), shape);
}

export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeDim(startDim, t.ndim);
  const e = normalizeDim(endDim, t.ndim);
  if (s > e)
    throw new RangeError(`flatten() has invalid args: start_dim (${startDim}) cannot come after end_dim (${endDim})`);
  const shape = [...t.shape.slice(0, s), numelOf(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}

export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1);
  const shape = [...t.shape];
  const strides = [...t.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < t.ndim ? t.strides[d] * t.shape[d] : 1);
  return record('UnsqueezeBackward0', viewOf(t, shape, strides), [t], (g) => [reshape(g, t.shape)]);
}

export function squeeze(t: Tensor, dim?: number): Tensor {
  const d = dim === undefined ? undefined : normalizeDim(dim, t.ndim);
  const keep = t.shape.map((s, i) => !(s === 1 && (d === undefined || d === i)));
  const out = viewOf(
    t,
    t.shape.filter((_, i) => keep[i]),
    t.strides.filter((_, i) => keep[i]),
  );
  return record(d === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1', out, [t], (g) => [reshape(g, t.shape)]);
}

export function permute(t: Tensor, dims: readonly number[]): Tensor {
  return reportedCall('permute', [t, dims], () => {
    if (dims.length !== t.ndim) {
      throw new RangeError(`permute: number of dims (${dims.length}) does not match the tensor's ${t.ndim} dimensions`);
    }
    const order = dims.map((d) => normalizeDim(d, t.ndim));
    if (new Set(order).size !== order.length) throw new RangeError(`permute: repeated dim in ${formatShape(dims)}`);
    const inverse = new Array<number>(order.length);
    order.forEach((d, i) => (inverse[d] = i));
    const out = viewOf(
      t,
      order.map((d) => t.shape[d]),
      order.map((d) => t.strides[d]),
    );
    return record('PermuteBackward0', out, [t], (g) => [permute(g, inverse)]);
  });
}

export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  return reportedCall('transpose', [t, dim0, dim1], () => {
    const a = normalizeDim(dim0, t.ndim);
    const b = normalizeDim(dim1, t.ndim);
    const order = t.shape.map((_, i) => (i === a ? b : i === b ? a : i));
    const out = viewOf(
      t,
      order.map((d) => t.shape[d]),
      order.map((d) => t.strides[d]),
    );
    return record('TransposeBackward0', out, [t], (g) => [transpose(g, a, b)]);
  });
}

/** Broadcasts size-1 (or missing leading) dims to `shape` without copying. */
export function expand(t: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - t.ndim;
  if (lead < 0)
    throw new RangeError(`expand: target ${formatShape(shape)} has fewer dims than the tensor ${formatShape(t.shape)}`);
  const strides = shape.map((s, i) => {
    const src = i - lead;
    if (src < 0) return 0;
    const d = t.shape[src];
    if (d === s || s === -1) return t.strides[src];
    if (d === 1) return 0;
    throw new RangeError(
      `expand: the tensor's size ${d} at dim ${src} cannot be expanded to ${s} (target ${formatShape(shape)})`,
    );
  });
  const target = shape.map((s, i) => (s === -1 ? t.shape[i - lead] : s));
  return record('ExpandBackward0', viewOf(t, target, strides), [t], (g) => [sumToShape(g, t.shape)]);
}

/** Rows [start, start + length) of `dim`, sharing storage. */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, t.ndim);
  const size = t.shape[d];
  if (start < 0) start += size;
  if (start < 0 || length < 0 || start + length > size) {
    throw new RangeError(`narrow: start (${start}) + length (${length}) exceeds dimension ${d} of size ${size}`);
  }
  const shape = t.shape.map((s, i) => (i === d ? length : s));
  const out = viewOf(t, shape, t.strides, t.offset + start * t.strides[d]);
  return record('SliceBackward0', out, [t], (g) => {
    const full = zeros(t.shape, { dtype: g.dtype });
    const outer = numelOf(t.shape.slice(0, d));
    const inner = numelOf(t.shape.slice(d + 1));
    const src = g.values();
    for (let o = 0; o < outer; o++) {
      const at = (o * size + start) * inner;
      backend().copy(
        src.subarray(o * length * inner, (o + 1) * length * inner),
        full.data.subarray(at, at + length * inner),
      );
    }
    return [full];
  });
}

/** Python-style `t[start:end]` along dim 0; negative bounds count from the end, and bounds are clipped. */
export function slice(t: Tensor, start = 0, end?: number): Tensor {
  const n = t.shape[0];
  const clip = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const s = clip(start);
  const e = end === undefined ? n : clip(end);
  return narrow(t, 0, s, Math.max(0, e - s));
}

/** `t[i]`: one entry of dim 0, without that dim. */
export function select(t: Tensor, i: number): Tensor {
  if (t.ndim === 0) throw new RangeError('select() cannot be applied to a 0-dim tensor');
  const n = t.shape[0];
  if (i < -n || i >= n) throw new RangeError(`index ${i} is out of bounds for dimension 0 with size ${n}`);
  return squeeze(narrow(t, 0, i < 0 ? i + n : i, 1), 0);
}

/** Rows of `dim` picked by an integer index tensor (`t[idx]` for dim 0). */
export function indexSelect(t: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  const idx = index instanceof Tensor ? index : new Tensor(Float64Array.from(index), [index.length], 'int64');
  if (idx.ndim > 1)
    throw new RangeError(`indexSelect(): index must be a 1-D tensor, got shape ${formatShape(idx.shape)}`);
  if (idx.dtype !== 'int64' && idx.dtype !== 'uint8')
    throw new TypeError(`indexSelect(): index must be an integer tensor, got ${idx.dtype}`);
  const d = normalizeDim(dim, t.ndim);
  if (d !== 0) return transpose(indexSelect(transpose(t, 0, d), 0, idx), 0, d);
  const rowSize = numelOf(t.shape.slice(1));
  const out = Tensor.empty([idx.numel(), ...t.shape.slice(1)], t.dtype);
  const ix = idx.values();
  backend().indexSelect(t.values(), rowSize, ix, out.data);
  return record('IndexSelectBackward0', out, [t], (g) => {
    const full = zeros(t.shape, { dtype: g.dtype });
    backend().indexAdd(full.data as Float32Array, rowSize, ix, g.values() as Float32Array);
    return [full];
  });
}
