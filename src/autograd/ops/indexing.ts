// Ops that move elements: joining and splitting, flipping, rolling, repeating, gathering and
// scattering, selecting by a mask, sorting. Index maps that depend only on shapes run as one
// backend gather (a traced step replays them); maps read from tensor values run in JavaScript
// and say so, so a compiled step that uses them runs through autograd.
import { backend, type FloatArray } from '../../backend/index.js';
import { computesInJavaScript } from '../../backend/javascript_ops.js';
import { scalar, zeros } from '../../tensor/creation.js';
import { allocate, isFloating, promote, type DType } from '../../tensor/dtype.js';
import { broadcastShapes, contiguousStrides, formatShape, normalizeDim, numelOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';
import { toTensor } from './elementwise.js';
import { resultType, sumToShape } from './kernels.js';
import { to } from './misc.js';
import { expand, narrow, permute, reshape, squeeze } from './shape.js';

/** out.flat[i] = x.flat[index[i]]; the gradient adds back at each index. */
export function takeFlat(x: Tensor, index: Float64Array, shape: readonly number[], name: string): Tensor {
  const out = Tensor.empty(shape, x.dtype);
  backend().indexSelect(x.values(), 1, index, out.data);
  return record(name, out, [x], (g) => {
    const gx = zeros(x.shape, { dtype: g.dtype });
    backend().indexAdd(gx.data as FloatArray, 1, index, g.values() as FloatArray);
    return [gx];
  });
}

/** For each position of `shape` in order, the flat index `source(coords)` returns into `from`'s contiguous layout. */
function indexMap(shape: readonly number[], from: readonly number[], source: (c: number[]) => void): Float64Array {
  const n = numelOf(shape);
  const strides = contiguousStrides(from);
  const map = new Float64Array(n);
  const c = new Array<number>(shape.length).fill(0);
  const src = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < c.length; d++) src[d] = c[d];
    source(src);
    let at = 0;
    for (let d = 0; d < src.length; d++) at += src[d] * strides[d];
    map[i] = at;
    for (let d = c.length - 1; d >= 0; d--) {
      if (++c[d] < shape[d]) break;
      c[d] = 0;
    }
  }
  return map;
}

function dims(list: number | readonly number[], ndim: number): number[] {
  const ds = (typeof list === 'number' ? [list] : list).map((d) => normalizeDim(d, ndim));
  if (new Set(ds).size !== ds.length)
    throw new RangeError(`dim ${ds.find((d, i) => ds.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return ds;
}

/**
 * Joins tensors along an existing dim, promoting them to a common dtype. 1-d empty tensors are
 * skipped, as PyTorch skips them.
 * @pytorch `torch.cat`
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('torch.cat(): expected a non-empty list of Tensors');
  const dtype = tensors.map((t) => t.dtype).reduce(promote);
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0)).map((t) => to(t, dtype));
  if (parts.length === 0) return Tensor.empty([0], dtype);
  const first = parts[0];
  parts.forEach((t, i) => {
    if (t.ndim === 0) throw new RangeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const d = normalizeDim(dim, first.ndim);
  parts.forEach((t, i) => {
    if (t.ndim !== first.ndim)
      throw new RangeError(`Tensors must have same number of dimensions: got ${first.ndim} and ${t.ndim}`);
    t.shape.forEach((s, j) => {
      if (j !== d && s !== first.shape[j])
        throw new RangeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[j]} but got size ${s} for tensor number ${i} in the list.`,
        );
    });
  });
  const outer = numelOf(first.shape.slice(0, d));
  const inner = numelOf(first.shape.slice(d + 1));
  const total = parts.reduce((a, t) => a + t.shape[d], 0);
  const out = Tensor.empty(
    first.shape.map((s, j) => (j === d ? total : s)),
    dtype,
  );
  const row = total * inner;
  let start = 0;
  const starts = parts.map((t) => {
    const at = start;
    start += t.shape[d] * inner;
    return at;
  });
  parts.forEach((t, i) => {
    const src = t.values();
    const len = t.shape[d] * inner;
    for (let o = 0; o < outer; o++)
      backend().copy(
        src.subarray(o * len, (o + 1) * len),
        out.data.subarray(o * row + starts[i], o * row + starts[i] + len),
      );
  });
  return record('CatBackward0', out, parts, (g) => {
    const gv = g.values();
    return parts.map((t, i) => {
      if (!t.requiresGrad) return null;
      const len = t.shape[d] * inner;
      const gi = Tensor.empty(t.shape, g.dtype);
      for (let o = 0; o < outer; o++)
        backend().copy(
          gv.subarray(o * row + starts[i], o * row + starts[i] + len),
          gi.data.subarray(o * len, (o + 1) * len),
        );
      return gi;
    });
  });
}

/**
 * Splits along `dim` into pieces of `size` (the last may be smaller) or of the listed sizes.
 * @pytorch `torch.split`
 */
export function split(t: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.ndim);
  const n = t.shape[d];
  if (typeof sizes === 'number') {
    if (!(Number.isInteger(sizes) && sizes > 0))
      throw new RangeError(`split expects split_size be positive, but got split_size=${sizes}`);
    const list: number[] = [];
    for (let at = 0; at < n; at += sizes) list.push(Math.min(sizes, n - at));
    sizes = list.length ? list : [0];
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n)
    throw new RangeError(
      `split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`,
    );
  let at = 0;
  return sizes.map((s) => {
    const piece = narrow(t, d, at, s);
    at += s;
    return piece;
  });
}

/**
 * `chunks` pieces of ceil(n / chunks) along `dim` (fewer when they run out, as PyTorch's).
 * @pytorch `torch.chunk`
 */
export function chunk(t: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!(Number.isInteger(chunks) && chunks > 0))
    throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const n = t.shape[normalizeDim(dim, t.ndim)];
  return split(t, Math.max(1, Math.ceil(n / chunks)), dim);
}

/**
 * Every entry of `dim`, without that dim.
 * @pytorch `torch.unbind`
 */
export function unbind(t: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.ndim);
  return Array.from({ length: t.shape[d] }, (_, i) => squeeze(narrow(t, d, i, 1), d));
}

/**
 * Reverses the order of the entries along each of `dims`.
 * @pytorch `torch.flip`
 */
export function flip(t: Tensor, flipDims: number | readonly number[]): Tensor {
  const ds = dims(flipDims, t.ndim);
  const map = indexMap(t.shape, t.shape, (c) => {
    for (const d of ds) c[d] = t.shape[d] - 1 - c[d];
  });
  return takeFlat(t, map, t.shape, 'FlipBackward0');
}

/**
 * Shifts the entries along `dims` by `shifts`, wrapping around; without dims, of the flattened tensor.
 * @pytorch `torch.roll`
 */
export function roll(t: Tensor, shifts: number | readonly number[], rollDims?: number | readonly number[]): Tensor {
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (rollDims === undefined) {
    if (sh.length !== 1) throw new RangeError(`roll: shifts and dimensions must align. shifts: ${sh.length}, dims: 0`);
    return reshape(roll(reshape(t, [-1]), sh, 0), t.shape);
  }
  const ds =
    typeof rollDims === 'number' ? [normalizeDim(rollDims, t.ndim)] : rollDims.map((d) => normalizeDim(d, t.ndim));
  if (ds.length !== sh.length)
    throw new RangeError(`roll: shifts and dimensions must align. shifts: ${sh.length}, dims: ${ds.length}`);
  const map = indexMap(t.shape, t.shape, (c) => {
    ds.forEach((d, i) => {
      const n = t.shape[d];
      if (n > 0) c[d] = (((c[d] - sh[i]) % n) + n) % n;
    });
  });
  return takeFlat(t, map, t.shape, 'RollBackward0');
}

/**
 * Tiles the tensor: `sizes[i]` copies along dim i (leading sizes add dims).
 * @pytorch `torch.Tensor.repeat`
 */
export function repeat(t: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < t.ndim)
    throw new RangeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  if (!sizes.every((s) => Number.isInteger(s) && s >= 0))
    throw new RangeError(
      `Trying to create tensor with negative dimension ${sizes.find((s) => !(s >= 0))}: [${sizes.join(', ')}]`,
    );
  const lead = sizes.length - t.ndim;
  const from = [...new Array<number>(lead).fill(1), ...t.shape];
  const shape = from.map((s, i) => s * sizes[i]);
  const map = indexMap(shape, from, (c) => {
    for (let d = 0; d < c.length; d++) c[d] %= from[d];
  });
  return takeFlat(reshape(t, from), map, shape, 'RepeatBackward0');
}

/** Keeps entries where keep(row, col) over the last two dims, zero elsewhere (a gather from x and one zero). */
function triangle(t: Tensor, keep: (i: number, j: number) => boolean, name: string): Tensor {
  if (t.ndim < 2)
    throw new RangeError(
      `${name.replace('Backward0', '').toLowerCase()}: input tensor must have at least 2 dimensions`,
    );
  const [rows, cols] = t.shape.slice(-2);
  const n = t.numel();
  const map = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i % cols;
    const r = Math.floor(i / cols) % rows;
    map[i] = keep(r, j) ? i : n;
  }
  const padded = cat([reshape(t, [-1]), zeros([1], { dtype: t.dtype })]);
  return takeFlat(padded, map, t.shape, name);
}

/**
 * The lower triangle of the last two dims (j - i <= diagonal), zero elsewhere.
 * @pytorch `torch.tril`
 */
export function tril(t: Tensor, diagonal = 0): Tensor {
  return triangle(t, (i, j) => j - i <= diagonal, 'TrilBackward0');
}

/**
 * The upper triangle of the last two dims (j - i >= diagonal), zero elsewhere.
 * @pytorch `torch.triu`
 */
export function triu(t: Tensor, diagonal = 0): Tensor {
  return triangle(t, (i, j) => j - i >= diagonal, 'TriuBackward0');
}

/**
 * Moves dims `source` to the positions `destination`, keeping the others in order.
 * @pytorch `torch.movedim`
 */
export function movedim(
  t: Tensor,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tensor {
  const src = dims(source, t.ndim);
  const dst = dims(destination, t.ndim);
  if (src.length !== dst.length)
    throw new RangeError(
      `movedim: Invalid source or destination dims: source (${src.length} dims) should contain the same number of dims as destination (${dst.length} dims)`,
    );
  const order = new Array<number>(t.ndim).fill(-1);
  src.forEach((s, i) => (order[dst[i]] = s));
  const rest = [...Array(t.ndim).keys()].filter((d) => !src.includes(d));
  for (let i = 0; i < t.ndim; i++) if (order[i] === -1) order[i] = rest.shift()!;
  return permute(t, order);
}

function requireIndex(index: Tensor, op: string): void {
  if (index.dtype !== 'int64') throw new TypeError(`${op}(): Expected dtype int64 for index, got ${index.dtype}`);
}

/** The flat source index of each index entry along `d`: out[c] = x[c with c[d] = index[c]]. */
function alongIndex(x: Tensor, d: number, index: Tensor, op: string): Float64Array {
  requireIndex(index, op);
  if (index.ndim !== x.ndim && !(index.ndim <= 1 && x.ndim <= 1))
    throw new RangeError(
      `Index tensor must have the same number of dimensions as ${op === 'gather' ? 'input' : 'self'} tensor`,
    );
  index.shape.forEach((s, i) => {
    if (i !== d && s > x.shape[i])
      throw new RangeError(
        `Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}`,
      );
  });
  const iv = index.values();
  let k = 0;
  const size = x.ndim === 0 ? 1 : x.shape[d];
  return indexMap(index.shape, x.shape, (c) => {
    const v = iv[k++];
    if (!(v >= 0 && v < size)) throw new RangeError(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
    if (c.length) c[d] = v;
  });
}

/**
 * out[i][j] = x[index[i][j]][j] for dim 0 (and so on): entries picked along `dim` by an int64 index.
 * @pytorch `torch.gather`
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  computesInJavaScript('gather');
  const d = normalizeDim(dim, x.ndim);
  return takeFlat(x, alongIndex(x, d, index, 'gather'), index.shape, 'GatherBackward0');
}

function scatterInto(x: Tensor, dim: number, index: Tensor, src: Tensor | number, add: boolean, op: string): Tensor {
  computesInJavaScript(op);
  const d = normalizeDim(dim, x.ndim);
  const map = alongIndex(x, d, index, op);
  if (src instanceof Tensor) {
    if (src.dtype !== x.dtype) throw new TypeError(`${op}(): Expected self.dtype to be equal to src.dtype`);
    index.shape.forEach((s, i) => {
      if (s > src.shape[i])
        throw new RangeError(
          `Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be smaller than src ${formatShape(src.shape)}`,
        );
    });
  }
  // The source entries under the index: src[c] for each index position c.
  const picked =
    src instanceof Tensor
      ? takeFlat(
          src,
          indexMap(index.shape, src.shape, () => {}),
          index.shape,
          'SliceBackward0',
        )
      : null;
  const out = Tensor.empty(x.shape, x.dtype);
  out.data.set(x.values());
  const pv = picked ? picked.values() : null;
  const value = typeof src === 'number' ? scalar(src, x.dtype).values()[0] : 0;
  for (let i = 0; i < map.length; i++) {
    const v = pv ? pv[i] : value;
    out.data[map[i]] = add ? out.data[map[i]] + v : v;
  }
  const inputs = picked ? [x, picked] : [x];
  return record(add ? 'ScatterAddBackward0' : 'ScatterBackward0', out, inputs, (g) => {
    let gx = g;
    if (!add) {
      gx = Tensor.empty(g.shape, g.dtype);
      gx.data.set(g.values());
      for (let i = 0; i < map.length; i++) gx.data[map[i]] = 0;
    }
    const gs = picked?.requiresGrad ? takeFlat(g, map, index.shape, 'GatherBackward0') : null;
    return picked ? [gx, gs] : [gx];
  });
}

/**
 * A copy of x with src's entries written along `dim` at the int64 index (x[index[i][j]][j] = src[i][j]
 * for dim 0); `src` may be a number. Where an index repeats, the last write wins.
 * @pytorch `torch.scatter`
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterInto(x, dim, index, src, false, 'scatter');
}

/**
 * A copy of x with src's entries added along `dim` at the int64 index.
 * @pytorch `torch.scatter_add`
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterInto(x, dim, index, src, true, 'scatter_add');
}

/**
 * a where cond is true, b elsewhere, broadcast together; cond must be bool.
 * @pytorch `torch.where`
 */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  computesInJavaScript('where');
  if (cond.dtype !== 'bool')
    throw new TypeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype}`);
  const at = a instanceof Tensor ? a : toTensor(a, b instanceof Tensor ? b : cond);
  const bt = b instanceof Tensor ? b : toTensor(b, at);
  const dtype: DType = resultType(at, bt);
  const shape = broadcastShapes(broadcastShapes(cond.shape, at.shape), bt.shape);
  const cv = expand(cond, shape).values();
  const av = expand(to(at, dtype), shape).values();
  const bv = expand(to(bt, dtype), shape).values();
  const out = Tensor.empty(shape, dtype);
  for (let i = 0; i < cv.length; i++) out.data[i] = cv[i] ? av[i] : bv[i];
  return record('WhereBackward0', out, [at, bt], (g) => {
    const gv = g.values();
    const [ga, gb] = [allocate(g.dtype, gv.length), allocate(g.dtype, gv.length)];
    for (let i = 0; i < gv.length; i++) (cv[i] ? ga : gb)[i] = gv[i];
    return [
      at.requiresGrad ? sumToShape(new Tensor(ga, shape, g.dtype), at.shape) : null,
      bt.requiresGrad ? sumToShape(new Tensor(gb, shape, g.dtype), bt.shape) : null,
    ];
  });
}

/**
 * x with `value` where the bool mask (broadcast to x) is true.
 * @pytorch `torch.Tensor.masked_fill`
 */
export function maskedFill(x: Tensor, mask: Tensor, value: Tensor | number): Tensor {
  if (mask.dtype !== 'bool')
    throw new TypeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype}`);
  if (value instanceof Tensor && value.ndim !== 0)
    throw new RangeError(
      `masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`,
    );
  const shape = broadcastShapes(x.shape, mask.shape);
  if (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i]))
    throw new RangeError(
      `The size of the mask ${formatShape(mask.shape)} must broadcast to the input ${formatShape(x.shape)}`,
    );
  const v = value instanceof Tensor ? to(value, x.dtype) : scalar(value, x.dtype);
  return where(mask, v, x);
}

/** Each slice along `d` as [outer, size, inner] positions: calls visit(base, stride) per slice. */
function slices(
  shape: readonly number[],
  d: number,
  visit: (base: number, stride: number, size: number) => void,
): void {
  const size = shape.length ? shape[d] : 1;
  const inner = numelOf(shape.slice(d + 1));
  const outer = numelOf(shape.slice(0, d));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) visit(o * size * inner + i, inner, size);
}

/** NaN sorts above everything, as in PyTorch. */
function compareValues(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The values along `dim` in order (NaN last ascending, first descending), with their int64
 * positions; equal values keep their order.
 * @pytorch `torch.sort`
 */
export function sort(x: Tensor, dim = -1, descending = false): [Tensor, Tensor] {
  computesInJavaScript('sort');
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const xv = x.values();
  const indices = Tensor.empty(x.shape, 'int64');
  const map = new Float64Array(xv.length);
  slices(x.shape, d, (base, stride, size) => {
    const order = Array.from({ length: size }, (_, i) => i);
    order.sort((i, j) => (descending ? -1 : 1) * compareValues(xv[base + i * stride], xv[base + j * stride]) || i - j);
    order.forEach((src, k) => {
      indices.data[base + k * stride] = src;
      map[base + k * stride] = base + src * stride;
    });
  });
  return [takeFlat(x, map, x.shape, 'SortBackward0'), indices];
}

/**
 * The int64 positions that sort x along `dim`.
 * @pytorch `torch.argsort`
 */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  return sort(x, dim, descending)[1];
}

/**
 * The k largest (or smallest) entries along `dim`, in order, with their positions.
 * @pytorch `torch.topk`
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): [Tensor, Tensor] {
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  if (!(Number.isInteger(k) && k >= 0 && k <= size)) throw new RangeError('selected index k out of range');
  if (!sorted) throw new RangeError('topk: not supported: sorted=false');
  const [values, indices] = sort(x, d, largest);
  return [narrow(values, d, 0, k), narrow(indices, d, 0, k)];
}

/**
 * Running sums along `dim` (integers sum to int64).
 * @pytorch `torch.cumsum`
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  computesInJavaScript('cumsum');
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const dtype = isFloating(x.dtype) ? x.dtype : 'int64';
  const run = (v: ArrayLike<number>, out: Tensor, reverse: boolean) =>
    slices(x.shape, d, (base, stride, size) => {
      let acc = 0;
      for (let k = 0; k < size; k++) {
        const at = base + (reverse ? size - 1 - k : k) * stride;
        acc = dtype === 'float32' ? Math.fround(acc + v[at]) : acc + v[at];
        out.data[at] = acc;
      }
    });
  const out = Tensor.empty(x.shape, dtype);
  run(x.values(), out, false);
  return record('CumsumBackward0', out, [x], (g) => {
    const gx = Tensor.empty(x.shape, g.dtype);
    run(g.values(), gx, true);
    return [gx];
  });
}
