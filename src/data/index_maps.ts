// Flips, crops and padding move whole rows and columns, so each is a map per axis from an output
// index to an input index (-1: the fill value). Transforms compose their maps, one gather applies
// them, and a loader can apply a whole random pipeline to a batch in one pass.
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Where each output pixel of a geometric transform comes from: a source row per output row, a source column per output column. */
export interface AxisMaps {
  /** Source row of each output row; -1 takes `fill`. */
  rows: Int32Array;
  /** Source column of each output column; -1 takes `fill`. */
  cols: Int32Array;
  /** The value of padded pixels, where any row or column is -1. */
  fill: number;
}

/** A transform that only moves rows and columns: flips, crops, padding. */
export interface GeometricTransform {
  readonly pointwise: false;
  /** The value padded pixels take, or null where the transform never pads. */
  readonly padValue: number | null;
  /** Draws this call's random numbers, exactly as `apply` would, and maps an h x w input to the output. */
  indexMaps(h: number, w: number): AxisMaps;
  /** The transformed image: its own maps, gathered. */
  apply(img: Tensor): Tensor;
}

/** Whether `t` moves rows and columns only. */
export function isGeometric(t: unknown): t is GeometricTransform {
  return typeof (t as GeometricTransform)?.indexMaps === 'function';
}

/** The identity map of an n-long axis. */
export function identityAxis(n: number): Int32Array {
  return cropAxis(0, n);
}

/** Maps of `size` outputs starting at `offset`. */
export function cropAxis(offset: number, size: number): Int32Array {
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = offset + i;
  return out;
}

/** The axis reversed. */
export function flipAxis(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = n - 1 - i;
  return out;
}

/** The padding modes of torchvision's Pad, as axis maps. */
export type AxisPadMode = 'constant' | 'edge' | 'reflect';

/** An n-long axis padded by `before` and `after`: -1 (fill), the edge repeated, or reflected without the edge. */
export function padAxis(n: number, before: number, after: number, mode: AxisPadMode): Int32Array {
  const out = new Int32Array(n + before + after);
  for (let i = 0; i < out.length; i++) {
    let j = i - before;
    if (j < 0 || j >= n) {
      if (mode === 'constant') j = -1;
      else if (mode === 'edge') j = Math.min(n - 1, Math.max(0, j));
      else j = j < 0 ? -j : 2 * (n - 1) - j;
    }
    out[i] = j;
  }
  return out;
}

/** `outer` applied after `inner`: indices of outer point into inner's output. */
export function composeMaps(inner: AxisMaps, outer: AxisMaps): AxisMaps | null {
  const through = (a: Int32Array, b: Int32Array) => {
    const out = new Int32Array(b.length);
    for (let k = 0; k < b.length; k++) out[k] = b[k] < 0 ? -1 : a[b[k]];
    return out;
  };
  const innerFills = inner.rows.includes(-1) || inner.cols.includes(-1);
  const outerFills = outer.rows.includes(-1) || outer.cols.includes(-1);
  // Two pads with different fills cannot share one fill value.
  if (innerFills && outerFills && inner.fill !== outer.fill) return null;
  return {
    rows: through(inner.rows, outer.rows),
    cols: through(inner.cols, outer.cols),
    fill: innerFills ? inner.fill : outer.fill,
  };
}

/** `img` [..., H, W] gathered through `maps`, in its own dtype. */
export function gatherAxes(img: Tensor, maps: AxisMaps): Tensor {
  if (img.ndim < 2) throw new RangeError(`expected a [..., H, W] image, got ${img.ndim} dims`);
  const [h, w] = img.shape.slice(-2);
  const { rows, cols, fill } = maps;
  const planes = img.numel() / (h * w);
  const src = img.values();
  const out = allocate(img.dtype, planes * rows.length * cols.length);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (const r of rows) {
      for (const c of cols) out[o++] = r < 0 || c < 0 ? fill : src[base + r * w + c];
    }
  }
  return new Tensor(out, [...img.shape.slice(0, -2), rows.length, cols.length], img.dtype);
}
