import { backend } from '../backend/index.js';
import { castInto } from './cast.js';
import { allocate, type DType, isFloating, type Storage } from './dtype.js';
import { defaultGenerator, type Generator } from './generator.js';
import type { Shape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** The keyword arguments of PyTorch's creation functions: `dtype` and `requiresGrad`. */
export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** Creation options for random tensors, with the generator to draw from (the global one by default). */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) {
    if (!isFloating(t.dtype)) throw new TypeError(`only floating point tensors can require gradients, not ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

/** Appends the values to `out` and the dims to `shape`; returns whether any value was a boolean. */
function flatten(data: NestedArray | boolean | boolean[], shape: number[], out: number[], depth: number): boolean {
  if (Array.isArray(data)) {
    if (shape.length === depth) shape.push(data.length);
    else if (shape[depth] !== data.length) {
      throw new RangeError(
        `expected a sequence of length ${shape[depth]} at dim ${depth} (got ${data.length}): nested arrays must be rectangular`,
      );
    }
    let bool = false;
    for (const d of data) bool = flatten(d, shape, out, depth + 1) || bool;
    return bool;
  }
  if (depth !== shape.length) throw new RangeError('nested arrays must be rectangular');
  out.push(typeof data === 'boolean' ? Number(data) : data);
  return typeof data === 'boolean';
}

/** `tensor([[1, 2], [3, 4]])`: dtype float32 for numbers with fractions, int64 for integers, bool for booleans. */
export function tensor(data: NestedArray | boolean | boolean[] | Storage, opts: TensorOptions = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const dtype =
      opts.dtype ?? (data instanceof Float64Array ? 'float64' : data instanceof Uint8Array ? 'uint8' : 'float32');
    const storage = allocate(dtype, data.length);
    castInto(data, storage, dtype, data instanceof Float32Array || data instanceof Float64Array);
    return finish(new Tensor(storage, [data.length], dtype), opts);
  }
  const shape: number[] = [];
  const flat: number[] = [];
  const isBool = flatten(data, shape, flat, 0);
  const dtype = opts.dtype ?? (isBool ? 'bool' : flat.every(Number.isInteger) && flat.length > 0 ? 'int64' : 'float32');
  const storage = allocate(dtype, flat.length);
  castInto(Float64Array.from(flat), storage, dtype, true);
  return finish(new Tensor(storage, shape, dtype), opts);
}

/**
 * A tensor of `shape` filled with `value`; without a dtype, bool for a boolean, int64 for an
 * integer, float32 otherwise, as PyTorch infers it.
 * @pytorch `torch.full`
 */
export function full(shape: Shape, value: number | boolean, opts: TensorOptions = {}): Tensor {
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float32');
  const t = Tensor.empty(shape, dtype);
  const stored = allocate(dtype, 1);
  castInto(Float64Array.of(Number(value)), stored, dtype, true);
  backend().fill(t.data, stored[0]);
  return finish(t, opts);
}

/**
 * A tensor of zeros.
 * @pytorch `torch.zeros`
 */
export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 0, { ...opts, dtype: opts.dtype ?? 'float32' });
}

/**
 * A tensor of ones.
 * @pytorch `torch.ones`
 */
export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 1, { ...opts, dtype: opts.dtype ?? 'float32' });
}

/**
 * Zeros of another tensor's shape and dtype.
 * @pytorch `torch.zeros_like`
 */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...opts });
}

/**
 * Ones of another tensor's shape and dtype.
 * @pytorch `torch.ones_like`
 */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...opts });
}

export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return full([], value, { dtype });
}

/** `arange(end)`, `arange(start, end, step)`. */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new RangeError('arange step must be nonzero');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int64' : 'float32');
  const t = Tensor.empty([n], dtype);
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return finish(t, opts);
}

/** Uniform in [low, high), drawn as PyTorch's uniform_ draws them. */
export function uniformFill(out: Storage, low: number, high: number, generator: Generator = defaultGenerator): void {
  const draw = out instanceof Float64Array ? () => generator.uniform53() : () => generator.uniform24();
  const lo = out instanceof Float64Array ? low : Math.fround(low);
  const span = out instanceof Float64Array ? high - low : Math.fround(high) - lo;
  for (let i = 0; i < out.length; i++) out[i] = draw() * span + lo;
}

/** Sees each dropout-style random fill before it draws (a step being traced records them). */
export type RandomFillObserver = (out: Storage, keep: number, generator: Generator) => void;
let randomFillObserver: RandomFillObserver | null = null;

export function observeRandomFills<T>(observer: RandomFillObserver, fn: () => T): T {
  const prev = randomFillObserver;
  randomFillObserver = observer;
  try {
    return fn();
  } finally {
    randomFillObserver = prev;
  }
}

/**
 * Each entry 1/keep with probability `keep`, else 0: an inverted-dropout mask, drawn as PyTorch's
 * CPU bernoulli_(keep) draws it, one 53-bit uniform (two 32-bit draws) per entry.
 */
export function bernoulliScaleFill(out: Storage, keep: number, generator: Generator = defaultGenerator): void {
  randomFillObserver?.(out, keep, generator);
  generator.bernoulliInto(out, keep, keep > 0 ? 1 / keep : 0);
}

/** Standard normal by Box-Muller over uniform draws, in PyTorch's order for 16 or more values. */
export function normalFill(out: Storage, mean: number, std: number, generator: Generator = defaultGenerator): void {
  const n = out.length;
  const u = new Float64Array(Math.max(n, 16));
  const fill16 = (base: number) => {
    for (let j = 0; j < 8; j++) {
      const u1 = 1 - u[base + j];
      const u2 = u[base + j + 8];
      const radius = Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      u[base + j] = radius * Math.cos(theta) * std + mean;
      u[base + j + 8] = radius * Math.sin(theta) * std + mean;
    }
  };
  if (n >= 16) {
    // float64 draws 53-bit uniforms, float32 24-bit ones stored as floats (PyTorch's normal_fill).
    const uniform =
      out instanceof Float64Array ? () => generator.uniform53() : () => Math.fround(generator.uniform24());
    for (let i = 0; i < n; i++) u[i] = uniform();
    for (let i = 0; i + 16 <= n; i += 16) fill16(i);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) u[i] = uniform();
      fill16(n - 16);
    }
  } else {
    for (let i = 0; i < n; i++) u[i] = generator.normal() * std + mean;
  }
  for (let i = 0; i < n; i++) out[i] = u[i];
}

function floatTensor(shape: Shape, opts: TensorOptions): Tensor {
  const dtype = opts.dtype ?? 'float32';
  if (!isFloating(dtype)) throw new TypeError(`random floats need a floating dtype, not ${dtype}`);
  return Tensor.empty(shape, dtype);
}

/**
 * Uniform samples in [0, 1), drawn as PyTorch draws them from the same seed.
 * @pytorch `torch.rand`
 */
export function rand(shape: Shape, opts: RandomOptions = {}): Tensor {
  const t = floatTensor(shape, opts);
  uniformFill(t.data, 0, 1, opts.generator);
  return finish(t, opts);
}

/**
 * Standard normal samples, drawn as PyTorch draws them from the same seed.
 * @pytorch `torch.randn`
 */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const t = floatTensor(shape, opts);
  normalFill(t.data, 0, 1, opts.generator);
  return finish(t, opts);
}

/** Integers uniform in [low, high). */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  const range = high - low;
  if (!(range > 0) || !Number.isInteger(low) || !Number.isInteger(high)) {
    throw new RangeError(`randint expects integers low < high, got low=${low}, high=${high}`);
  }
  const g = opts.generator ?? defaultGenerator;
  const t = Tensor.empty(shape, opts.dtype ?? 'int64');
  if (range >= 2 ** 32) {
    // PyTorch takes a 64-bit draw for ranges of 2^32 or more.
    if (high > 2 ** 53 || low < -(2 ** 53))
      throw new RangeError('randint bounds beyond 2^53 are not supported (int64 values are held in doubles)');
    const r = BigInt(range);
    for (let i = 0; i < t.data.length; i++) t.data[i] = Number(g.random64() % r) + low;
  } else {
    for (let i = 0; i < t.data.length; i++) t.data[i] = (g.random() % range) + low;
  }
  return finish(t, opts);
}

/** A random permutation of 0..n-1 (PyTorch's CPU Fisher-Yates order). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? defaultGenerator;
  const t = arange(0, n, 1, { dtype: opts.dtype ?? 'int64' });
  const d = t.data;
  for (let i = 0; i < n - 1; i++) {
    const z = g.random() % (n - i);
    const tmp = d[i];
    d[i] = d[z + i];
    d[z + i] = tmp;
  }
  return finish(t, opts);
}

/**
 * `value` in another tensor's shape and dtype.
 * @pytorch `torch.full_like`
 */
export function fullLike(t: Tensor, value: number | boolean, opts: TensorOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...opts });
}

/**
 * Uniform samples in [0, 1) in another tensor's shape and (floating) dtype.
 * @pytorch `torch.rand_like`
 */
export function randLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return rand(t.shape, { dtype: t.dtype, ...opts });
}

/**
 * Standard normal samples in another tensor's shape and (floating) dtype.
 * @pytorch `torch.randn_like`
 */
export function randnLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return randn(t.shape, { dtype: t.dtype, ...opts });
}

/**
 * The [n, m] identity matrix (m = n by default).
 * @pytorch `torch.eye`
 */
export function eye(n: number, m: number = n, opts: TensorOptions = {}): Tensor {
  for (const [name, v] of [
    ['n', n],
    ['m', m],
  ] as const)
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`eye: ${name} must be greater or equal to 0, got ${v}`);
  const t = zeros([n, m], opts);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return finish(t, opts);
}

/**
 * `steps` evenly spaced values from start to end inclusive, computed as PyTorch's CPU kernel
 * does (from the start for the first half, from the end for the second).
 * @pytorch `torch.linspace`
 */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  if (!(Number.isInteger(steps) && steps >= 0)) throw new RangeError('linspace: number of steps must be non-negative');
  const dtype = opts.dtype ?? 'float32';
  const t = Tensor.empty([steps], dtype);
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  if (steps === 1) t.data[0] = start;
  else if (steps > 1) {
    const step = round((end - start) / (steps - 1));
    const halfway = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++)
      t.data[i] = i < halfway ? round(start + round(step * i)) : round(end - round(step * (steps - i - 1)));
    if (!isFloating(dtype))
      for (let i = 0; i < steps; i++) t.data[i] = Math.trunc(start + ((end - start) * i) / (steps - 1));
  }
  return finish(t, opts);
}
