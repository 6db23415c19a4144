import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { runBackward, type BackwardOptions } from './engine.js';
import { onesLike } from '../tensor/creation.js';
import * as ew from './ops/elementwise.js';
import { matmul } from './ops/linalg.js';
import { bincount, clone, detach, to } from './ops/misc.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape.js';

type Operand = ew.Operand;

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Computes the gradient of this tensor with respect to every leaf that requires grad, adding it to their `.grad`.
     * @pytorch `torch.Tensor.backward`
     */
    backward(gradient?: Tensor, opts?: BackwardOptions): void;
    /**
     * Sets `requiresGrad` in place (a leaf only) and returns this tensor.
     * @pytorch `torch.Tensor.requires_grad_`
     */
    requiresGrad_(on?: boolean): this;
    /**
     * Elementwise sum, with broadcasting.
     * @pytorch `torch.Tensor.add`
     */
    add(other: Operand): Tensor;
    /**
     * Elementwise difference, with broadcasting.
     * @pytorch `torch.Tensor.sub`
     */
    sub(other: Operand): Tensor;
    /**
     * Elementwise product, with broadcasting.
     * @pytorch `torch.Tensor.mul`
     */
    mul(other: Operand): Tensor;
    /**
     * Elementwise quotient, with broadcasting (true division: integers give float32).
     * @pytorch `torch.Tensor.div`
     */
    div(other: Operand): Tensor;
    /**
     * Elementwise power, with broadcasting.
     * @pytorch `torch.Tensor.pow`
     */
    pow(exponent: Operand): Tensor;
    /**
     * Elementwise negation.
     * @pytorch `torch.Tensor.neg`
     */
    neg(): Tensor;
    /**
     * Elementwise e^x.
     * @pytorch `torch.Tensor.exp`
     */
    exp(): Tensor;
    /**
     * Elementwise natural logarithm.
     * @pytorch `torch.Tensor.log`
     */
    log(): Tensor;
    /**
     * Elementwise square root.
     * @pytorch `torch.Tensor.sqrt`
     */
    sqrt(): Tensor;
    /**
     * Elementwise absolute value.
     * @pytorch `torch.Tensor.abs`
     */
    abs(): Tensor;
    /**
     * Elementwise max(x, 0).
     * @pytorch `torch.Tensor.relu`
     */
    relu(): Tensor;
    /**
     * 1 / (1 + e^-x), elementwise.
     * @pytorch `torch.Tensor.sigmoid`
     */
    sigmoid(): Tensor;
    /**
     * The hyperbolic tangent, elementwise.
     * @pytorch `torch.Tensor.tanh`
     */
    tanh(): Tensor;
    /**
     * Elementwise clamp into [min, max].
     * @pytorch `torch.Tensor.clamp`
     */
    clamp(min?: number, max?: number): Tensor;
    /**
     * Elementwise `==`, as a bool tensor.
     * @pytorch `torch.Tensor.eq`
     */
    eq(other: Operand): Tensor;
    /**
     * Elementwise `!=`, as a bool tensor.
     * @pytorch `torch.Tensor.ne`
     */
    ne(other: Operand): Tensor;
    /**
     * Elementwise `<`, as a bool tensor.
     * @pytorch `torch.Tensor.lt`
     */
    lt(other: Operand): Tensor;
    /**
     * Elementwise `<=`, as a bool tensor.
     * @pytorch `torch.Tensor.le`
     */
    le(other: Operand): Tensor;
    /**
     * Elementwise `>`, as a bool tensor.
     * @pytorch `torch.Tensor.gt`
     */
    gt(other: Operand): Tensor;
    /**
     * Elementwise `>=`, as a bool tensor.
     * @pytorch `torch.Tensor.ge`
     */
    ge(other: Operand): Tensor;
    /**
     * The sum of all elements, or over `dim` (integers sum to int64).
     * @pytorch `torch.Tensor.sum`
     */
    sum(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The mean of all elements, or over `dim`.
     * @pytorch `torch.Tensor.mean`
     */
    mean(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The largest element.
     * @pytorch `torch.Tensor.max`
     */
    max(): Tensor;
    /**
     * The largest values over `dim` and their indices.
     * @pytorch `torch.Tensor.max`
     */
    max(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /**
     * The smallest element.
     * @pytorch `torch.Tensor.min`
     */
    min(): Tensor;
    /**
     * The smallest values over `dim` and their indices.
     * @pytorch `torch.Tensor.min`
     */
    min(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /**
     * The index of the largest element (of the flattened tensor without `dim`).
     * @pytorch `torch.Tensor.argmax`
     */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The index of the smallest element (of the flattened tensor without `dim`).
     * @pytorch `torch.Tensor.argmin`
     */
    argmin(dim?: number, keepdim?: boolean): Tensor;
    /**
     * Matrix product (1-d and 2-d operands).
     * @pytorch `torch.Tensor.matmul`
     */
    matmul(other: Tensor): Tensor;
    /**
     * The same storage seen with another shape (one dim may be -1); throws where the strides do not allow it.
     * @pytorch `torch.Tensor.view`
     */
    view(...shape: number[]): Tensor;
    /**
     * `view` where the strides allow it, a contiguous copy otherwise.
     * @pytorch `torch.Tensor.reshape`
     */
    reshape(...shape: number[]): Tensor;
    /**
     * Merges dims `startDim` to `endDim` into one.
     * @pytorch `torch.Tensor.flatten`
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * Inserts a dim of size 1 at `dim`.
     * @pytorch `torch.Tensor.unsqueeze`
     */
    unsqueeze(dim: number): Tensor;
    /**
     * Removes dims of size 1 (only `dim` when given).
     * @pytorch `torch.Tensor.squeeze`
     */
    squeeze(dim?: number): Tensor;
    /**
     * The dims reordered, as a view.
     * @pytorch `torch.Tensor.permute`
     */
    permute(...dims: number[]): Tensor;
    /**
     * Dims `dim0` and `dim1` swapped, as a view.
     * @pytorch `torch.Tensor.transpose`
     */
    transpose(dim0: number, dim1: number): Tensor;
    /**
     * 2-d transpose.
     * @pytorch `torch.Tensor.t`
     */
    t(): Tensor;
    /**
     * A broadcast view with size-1 dims repeated to `shape` (-1 keeps a dim).
     * @pytorch `torch.Tensor.expand`
     */
    expand(...shape: number[]): Tensor;
    /**
     * This tensor when its storage is in row-major order, a copy that is otherwise.
     * @pytorch `torch.Tensor.contiguous`
     */
    contiguous(): Tensor;
    /**
     * `length` entries of `dim` from `start`, as a view.
     * @pytorch `torch.Tensor.narrow`
     */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * `t[start:end]` along dim 0.
     * @pytorch `Python's t[start:end]`
     */
    slice(start?: number, end?: number): Tensor;
    /**
     * `t[i]`.
     * @pytorch `Python's t[i]`
     */
    select(i: number): Tensor;
    /**
     * `t[index]` with an integer tensor or array of row numbers along `dim`.
     * @pytorch `torch.Tensor.index_select`
     */
    indexSelect(dim: number, index: Tensor | readonly number[]): Tensor;
    /**
     * A copy with its own storage, in the graph.
     * @pytorch `torch.Tensor.clone`
     */
    clone(): Tensor;
    /**
     * The same storage outside the graph.
     * @pytorch `torch.Tensor.detach`
     */
    detach(): Tensor;
    /**
     * A copy converted to `dtype` (this tensor when it has it already).
     * @pytorch `torch.Tensor.to`
     */
    to(dtype: DType): Tensor;
    /**
     * `to('float32')`.
     * @pytorch `torch.Tensor.float`
     */
    float(): Tensor;
    /**
     * `to('float64')`.
     * @pytorch `torch.Tensor.double`
     */
    double(): Tensor;
    /**
     * `to('int64')`.
     * @pytorch `torch.Tensor.long`
     */
    long(): Tensor;
    /**
     * Counts of each value of a 1-d tensor of non-negative integers.
     * @pytorch `torch.Tensor.bincount`
     */
    bincount(minlength?: number): Tensor;
  }
}

/** Accepts `view(2, 3)` and `view([2, 3])` alike. */
function dims(args: (number | readonly number[])[]): number[] {
  const first = args[0];
  return args.length === 1 && typeof first !== 'number' ? [...first] : (args as number[]);
}

const methods: Partial<Tensor> & ThisType<Tensor> = {
  backward(gradient?: Tensor, opts?: BackwardOptions) {
    if (!gradient && this.numel() !== 1) {
      throw new Error(
        `grad can be implicitly created only for scalar outputs: this tensor has shape [${this.shape.join(', ')}]; pass a gradient`,
      );
    }
    runBackward(this, gradient ?? onesLike(this), opts);
  },
  requiresGrad_(on = true) {
    if (on && this.dtype !== 'float32' && this.dtype !== 'float64')
      throw new TypeError(`only floating point tensors can require gradients, not ${this.dtype}`);
    if (!on && !this.isLeaf) throw new Error('you can only change requiresGrad of leaf tensors; use detach()');
    this.requiresGrad = on;
    return this;
  },
  add(o) {
    return ew.add(this, o);
  },
  sub(o) {
    return ew.sub(this, o);
  },
  mul(o) {
    return ew.mul(this, o);
  },
  div(o) {
    return ew.div(this, o);
  },
  pow(o) {
    return ew.pow(this, o);
  },
  neg() {
    return ew.neg(this);
  },
  exp() {
    return ew.exp(this);
  },
  log() {
    return ew.log(this);
  },
  sqrt() {
    return ew.sqrt(this);
  },
  abs() {
    return ew.abs(this);
  },
  relu() {
    return ew.relu(this);
  },
  sigmoid() {
    return ew.sigmoid(this);
  },
  tanh() {
    return ew.tanh(this);
  },
  clamp(min?: number, max?: number) {
    return ew.clamp(this, min, max);
  },
  eq(o) {
    return ew.compare('eq', this, o);
  },
  ne(o) {
    return ew.compare('ne', this, o);
  },
  lt(o) {
    return ew.compare('lt', this, o);
  },
  le(o) {
    return ew.compare('le', this, o);
  },
  gt(o) {
    return ew.compare('gt', this, o);
  },
  ge(o) {
    return ew.compare('ge', this, o);
  },
  sum(dim?: number, keepdim?: boolean) {
    return red.sum(this, dim, keepdim);
  },
  mean(dim?: number, keepdim?: boolean) {
    return red.mean(this, dim, keepdim);
  },
  max: function (this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? red.max(this) : red.max(this, dim, keepdim);
  } as Tensor['max'],
  min: function (this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? red.min(this) : red.min(this, dim, keepdim);
  } as Tensor['min'],
  argmax(dim?: number, keepdim?: boolean) {
    return red.argmax(this, dim, keepdim);
  },
  argmin(dim?: number, keepdim?: boolean) {
    return red.argmin(this, dim, keepdim);
  },
  matmul(o: Tensor) {
    return matmul(this, o);
  },
  view(...shape: number[]) {
    return sh.view(this, dims(shape));
  },
  reshape(...shape: number[]) {
    return sh.reshape(this, dims(shape));
  },
  flatten(s?: number, e?: number) {
    return sh.flatten(this, s, e);
  },
  unsqueeze(d: number) {
    return sh.unsqueeze(this, d);
  },
  squeeze(d?: number) {
    return sh.squeeze(this, d);
  },
  permute(...order: number[]) {
    return sh.permute(this, dims(order));
  },
  transpose(a: number, b: number) {
    return sh.transpose(this, a, b);
  },
  t() {
    if (this.ndim > 2) throw new RangeError(`t() expects a tensor with <= 2 dimensions, but self is ${this.ndim}D`);
    return this.ndim < 2 ? this : sh.transpose(this, 0, 1);
  },
  expand(...shape: number[]) {
    return sh.expand(this, dims(shape));
  },
  contiguous() {
    return sh.contiguous(this);
  },
  narrow(d: number, s: number, l: number) {
    return sh.narrow(this, d, s, l);
  },
  slice(s?: number, e?: number) {
    return sh.slice(this, s, e);
  },
  select(i: number) {
    return sh.select(this, i);
  },
  indexSelect(d: number, idx: Tensor | readonly number[]) {
    return sh.indexSelect(this, d, idx);
  },
  clone() {
    return clone(this);
  },
  detach() {
    return detach(this);
  },
  to(dtype: DType) {
    return to(this, dtype);
  },
  float() {
    return to(this, 'float32');
  },
  double() {
    return to(this, 'float64');
  },
  long() {
    return to(this, 'int64');
  },
  bincount(minlength?: number) {
    return bincount(this, minlength);
  },
};

Object.assign(Tensor.prototype, methods);
