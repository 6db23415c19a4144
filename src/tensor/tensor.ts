import { backend } from '../backend/index.js';
import { allocate, type DType, type Storage } from './dtype.js';
import { formatTensor, Size } from './format.js';
import { contiguousStrides, normalizeDim, numelOf, type Shape } from './shape.js';

/** Where a tensor's gradient comes from: set by the autograd layer. */
export interface GradFn {
  readonly name: string;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * An n-dimensional array over a typed-array storage, possibly a strided view of another
 * tensor's storage. Memory belongs to the garbage collector: nothing needs disposing.
 * @pytorch `torch.Tensor`
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  requiresGrad = false;
  grad: Tensor | null = null;
  gradFn: GradFn | null = null;

  constructor(
    /** The storage this tensor reads; shared by views. */
    public data: Storage,
    shape: Shape,
    readonly dtype: DType,
    strides?: Shape,
    readonly offset = 0,
  ) {
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
  }

  /** Storage for `shape`, to be overwritten: zeros normally, but unspecified inside an arena. */
  static empty(shape: Shape, dtype: DType = 'float32'): Tensor {
    return new Tensor(allocate(dtype, numelOf(shape)), shape, dtype);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * The number of dims.
   * @pytorch `torch.Tensor.dim`
   */
  dim(): number {
    return this.shape.length;
  }

  /**
   * The number of elements.
   * @pytorch `torch.Tensor.numel`
   */
  numel(): number {
    return numelOf(this.shape);
  }

  /**
   * The shape as a `Size` (prints as `torch.Size([...])`), or one dim's length.
   * @pytorch `torch.Tensor.size`
   */
  size(): Size;
  /**
   * The size of one dim (negative counts from the end).
   * @pytorch `torch.Tensor.size`
   */
  size(dim: number): number;
  size(dim?: number): Size | number {
    return dim === undefined ? Size.fromShape(this.shape) : this.shape[normalizeDim(dim, this.ndim)];
  }

  /**
   * Whether the elements lie in row-major order without gaps.
   * @pytorch `torch.Tensor.is_contiguous`
   */
  isContiguous(): boolean {
    let s = 1;
    for (let i = this.ndim - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== s) return false;
      s *= this.shape[i];
    }
    return true;
  }

  /** The elements in row-major order as a typed array: a view when possible, else a copy. */
  values(): Storage {
    const n = this.numel();
    if (this.isContiguous()) {
      return this.offset === 0 && this.data.length === n ? this.data : this.data.subarray(this.offset, this.offset + n);
    }
    const out = allocate(this.dtype, n);
    backend().copyStrided(this.data, this.offset, this.shape, this.strides, out);
    return out;
  }

  /**
   * The value of a one-element tensor.
   * @pytorch `torch.Tensor.item`
   */
  item(): number {
    if (this.numel() !== 1) {
      throw new RangeError(
        `a Tensor with ${this.numel()} elements cannot be converted to a number (item() needs exactly one)`,
      );
    }
    return this.data[this.offset];
  }

  /** The elements in row-major order, as a flat array. */
  toArray(): number[] {
    return Array.from(this.values());
  }

  /**
   * The elements as nested arrays of the tensor's shape.
   * @pytorch `torch.Tensor.tolist`
   */
  tolist(): NestedArray {
    const flat = this.values();
    if (this.ndim === 0) return flat[0];
    const build = (dim: number, start: number): NestedArray[] => {
      const len = this.shape[dim];
      const step = numelOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < len; i++)
        out.push(dim === this.ndim - 1 ? flat[start + i] : build(dim + 1, start + i * step));
      return out;
    };
    return build(0, 0);
  }

  /**
   * What `print(t)` shows in PyTorch.
   * @pytorch `torch.Tensor.__repr__`
   */
  toString(): string {
    return formatTensor(this);
  }

  /** How `console.log` and `util.inspect` show the tensor: as `toString()`. */
  [inspectSymbol](): string {
    return formatTensor(this);
  }
}

/** A number, or arrays of them nested to a tensor's depth (what `tensor()` takes and `tolist()` gives). */
export type NestedArray = number | NestedArray[];
