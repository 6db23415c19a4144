// Reductions built from the primitive ones: variance and standard deviation, norms, logsumexp,
// amax/amin (ties share the gradient), product, any/all and closeness; over one dim, a list of
// dims, or everything.
import { computesInJavaScript } from '../../backend/javascript_ops.js';
import { full, scalar } from '../../tensor/creation.js';
import { isFloating } from '../../tensor/dtype.js';
import { normalizeDim, numelOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';
import { abs, div, mul, pow, sqrt, sub } from './elementwise.js';
import { binaryKernel, reduceKernel, unaryKernel } from './kernels.js';
import { to } from './misc.js';
import { sum } from './reduce.js';
import { permute, reshape } from './shape.js';

/** The dims a reduction runs over: one, a list, or (undefined) all. */
export type Dims = number | readonly number[] | undefined;

function dimList(dim: Dims, ndim: number): number[] {
  if (dim === undefined) return [...Array(ndim).keys()];
  const ds = (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, ndim));
  if (new Set(ds).size !== ds.length)
    throw new RangeError(`dim ${ds.find((d, i) => ds.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return ds.length ? ds : [...Array(ndim).keys()];
}

/**
 * x with the reduced dims moved last and flattened into one: reduce over dim -1, then `restore`
 * the result's shape (keeping size-1 dims if asked).
 */
function gathered(
  x: Tensor,
  dim: Dims,
  keepdim: boolean,
): { flat: Tensor; count: number; restore: (r: Tensor) => Tensor } {
  const ds = dimList(dim, x.ndim);
  const kept = [...Array(x.ndim).keys()].filter((d) => !ds.includes(d));
  const count = numelOf(ds.map((d) => x.shape[d]));
  const flat = reshape(permute(x, [...kept, ...ds]), [...kept.map((d) => x.shape[d]), count]);
  const shape = keepdim ? x.shape.map((s, d) => (ds.includes(d) ? 1 : s)) : kept.map((d) => x.shape[d]);
  return { flat, count, restore: (r) => reshape(r, shape) };
}

/** `var`'s and `std`'s options: `correction` (1, Bessel's; `unbiased: false` is 0) and `keepdim`. */
export interface VarOptions {
  unbiased?: boolean;
  correction?: number;
  keepdim?: boolean;
}

/**
 * The variance over `dim`: sum((x - mean)^2) / (N - correction).
 * @pytorch `torch.var`
 */
export function variance(x: Tensor, dim?: Dims, opts: VarOptions = {}): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`std and var only support floating point inputs, got ${x.dtype}`);
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  const { flat, count, restore } = gathered(x, dim, opts.keepdim ?? false);
  const centred = sub(flat, div(sum(flat, -1, true), count));
  return restore(div(sum(mul(centred, centred), -1), Math.max(0, count - correction)));
}

/**
 * The standard deviation over `dim`: sqrt(var).
 * @pytorch `torch.std`
 */
export function std(x: Tensor, dim?: Dims, opts: VarOptions = {}): Tensor {
  return sqrt(variance(x, dim, opts));
}

function extreme(op: 'max' | 'min', x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  if (x.numel() === 0 && dim === undefined)
    throw new RangeError(
      `${op === 'max' ? 'amax' : 'amin'}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  const { flat, restore } = gathered(x, dim, keepdim);
  const out = reduceKernel(op, flat, -1, true);
  const value = reduceKernel(op, flat, -1, false);
  const result = record(op === 'max' ? 'AmaxBackward0' : 'AminBackward0', value, [flat], (g) => {
    const mask = binaryKernel('eq', flat, out, g.dtype);
    const count = reduceKernel('sum', mask, -1, true);
    return [binaryKernel('mul', mask, binaryKernel('div', reshape(g, out.shape), count))];
  });
  return restore(result);
}

/**
 * The largest entry over `dim` (all dims when undefined); equal maxima share the gradient.
 * @pytorch `torch.amax`
 */
export function amax(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extreme('max', x, dim, keepdim);
}

/**
 * The smallest entry over `dim` (all dims when undefined); equal minima share the gradient.
 * @pytorch `torch.amin`
 */
export function amin(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extreme('min', x, dim, keepdim);
}

/**
 * log(sum(exp(x))) over `dim`, computed stably (the maximum taken out first).
 * @pytorch `torch.logsumexp`
 */
export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  const input = isFloating(x.dtype) ? x : to(x, 'float32');
  const { flat, count, restore } = gathered(input, dim, keepdim);
  if (count === 0) return restore(full(flat.shape.slice(0, -1), -Infinity, { dtype: input.dtype }));
  const m = unaryKernel('finiteOrZero', reduceKernel('max', flat, -1, true));
  const s = binaryKernel(
    'add',
    unaryKernel('log', reduceKernel('sum', unaryKernel('exp', binaryKernel('sub', flat, m)), -1, true)),
    m,
  );
  // PyTorch's gradient, g exp(x - logsumexp): in float32 not quite the softmax.
  const out = record('LogsumexpBackward0', reshape(s, s.shape.slice(0, -1)), [flat], (g) => [
    binaryKernel('mul', reshape(g, s.shape), unaryKernel('exp', binaryKernel('sub', flat, s))),
  ]);
  return restore(out);
}

/**
 * The vector norm over `dim` (all entries when undefined): p = 2 ('fro'), 1, Infinity, -Infinity,
 * 0 (the count of non-zeros) or any other p. The 2-norm's gradient is 0 where the norm is.
 * @pytorch `torch.norm`
 */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`norm(): input dtype should be floating point, got ${x.dtype}`);
  const order = p === 'fro' ? 2 : p;
  if (order === Infinity) return amax(abs(x), dim, keepdim);
  if (order === -Infinity) return amin(abs(x), dim, keepdim);
  const { flat, restore } = gathered(x, dim, keepdim);
  if (order === 0)
    return restore(reduceKernel('sum', binaryKernel('ne', flat, scalar(0, x.dtype), x.dtype), -1, false));
  if (order === 1) return restore(sum(abs(flat), -1));
  if (order !== 2) return restore(pow(sum(pow(abs(flat), order), -1), 1 / order));
  const n = unaryKernel('sqrt', reduceKernel('sum', binaryKernel('mul', flat, flat), -1, true));
  const value = reshape(n, n.shape.slice(0, -1));
  const result = record('NormBackward1', value, [flat], (g) => {
    // PyTorch's x * (g / norm), zero where the norm is (a NaN norm keeps its NaN).
    const scale = binaryKernel('zeroWhereZero', binaryKernel('div', reshape(g, n.shape), n), n);
    return [binaryKernel('mul', flat, scale)];
  });
  return restore(result);
}

/**
 * The product over `dim` (all entries when undefined; integers multiply in int64).
 * @pytorch `torch.prod`
 */
export function prod(x: Tensor, dim?: number, keepdim = false): Tensor {
  computesInJavaScript('prod');
  const { flat, count, restore } = gathered(x, dim, keepdim);
  const dtype = isFloating(x.dtype) ? x.dtype : 'int64';
  const v = flat.values();
  const rows = count === 0 ? numelOf(flat.shape.slice(0, -1)) : v.length / count;
  const out = Tensor.empty(flat.shape.slice(0, -1), dtype);
  const round = dtype === 'float32' ? Math.fround : (a: number) => a;
  for (let r = 0; r < rows; r++) {
    let p = 1;
    for (let i = 0; i < count; i++) p = round(p * v[r * count + i]);
    out.data[r] = p;
  }
  const result = record('ProdBackward1', out, [flat], (g) => {
    // The product of the others at each position, from prefix and suffix products (exact with zeros).
    const gv = g.values();
    const gx = Tensor.empty(flat.shape, g.dtype);
    for (let r = 0; r < rows; r++) {
      let prefix = 1;
      for (let i = 0; i < count; i++) {
        gx.data[r * count + i] = prefix;
        prefix *= v[r * count + i];
      }
      let suffix = 1;
      for (let i = count - 1; i >= 0; i--) {
        gx.data[r * count + i] *= suffix * gv[r];
        suffix *= v[r * count + i];
      }
    }
    return [gx];
  });
  return restore(result);
}

/**
 * True where any entry over `dim` is non-zero (all entries when undefined).
 * @pytorch `torch.any`
 */
export function any(x: Tensor, dim?: number, keepdim = false): Tensor {
  const { flat, restore } = gathered(x, dim, keepdim);
  const nonZero = reduceKernel(
    'sum',
    binaryKernel('ne', flat, scalar(0, x.dtype === 'bool' ? 'int64' : x.dtype)),
    -1,
    false,
  );
  return restore(binaryKernel('gt', nonZero, scalar(0, 'int64')));
}

/**
 * True where every entry over `dim` is non-zero (all entries when undefined).
 * @pytorch `torch.all`
 */
export function all(x: Tensor, dim?: number, keepdim = false): Tensor {
  const { flat, restore } = gathered(x, dim, keepdim);
  const zero = reduceKernel(
    'sum',
    binaryKernel('eq', flat, scalar(0, x.dtype === 'bool' ? 'int64' : x.dtype)),
    -1,
    false,
  );
  return restore(binaryKernel('eq', zero, scalar(0, 'int64')));
}

/** `isclose`'s and `allclose`'s options: rtol (1e-5), atol (1e-8), equalNan (false). */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/**
 * True where |a - b| <= atol + rtol |b| (equal infinities are close; NaNs only with equalNan).
 * @pytorch `torch.isclose`
 */
export function isclose(a: Tensor, b: Tensor, opts: CloseOptions = {}): Tensor {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts;
  if (a.dtype !== b.dtype) throw new TypeError(`isclose: ${a.dtype} did not match ${b.dtype}`);
  const exact = binaryKernel('eq', a, b);
  const bound = binaryKernel(
    'add',
    scalar(atol, 'float64'),
    binaryKernel('mul', scalar(rtol, 'float64'), unaryKernel('abs', to(b, 'float64'))),
  );
  const within = binaryKernel('le', unaryKernel('abs', binaryKernel('sub', to(a, 'float64'), to(b, 'float64'))), bound);
  let close = binaryKernel(
    'logicalOr',
    exact,
    binaryKernel('logicalAnd', within, unaryKernel('isfinite', to(b, 'float64'))),
  );
  if (equalNan)
    close = binaryKernel(
      'logicalOr',
      close,
      binaryKernel('logicalAnd', unaryKernel('isnan', a), unaryKernel('isnan', b)),
    );
  return close;
}

/**
 * Whether every pair is close (see isclose).
 * @pytorch `torch.allclose`
 */
export function allclose(a: Tensor, b: Tensor, opts: CloseOptions = {}): boolean {
  return all(isclose(a, b, opts)).item() === 1;
}
