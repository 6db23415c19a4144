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
    backward(gradient?: Tensor, opts?: BackwardOptions): void;
    requiresGrad_(on?: boolean): this;
    add(other: Operand): Tensor;
    sub(other: Operand): Tensor;
    mul(other: Operand): Tensor;
    div(other: Operand): Tensor;
    pow(exponent: Operand): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    relu(): Tensor;
    clamp(min?: number, max?: number): Tensor;
    eq(other: Operand): Tensor;
    ne(other: Operand): Tensor;
    lt(other: Operand): Tensor;
    le(other: Operand): Tensor;
    gt(other: Operand): Tensor;
    ge(other: Operand): Tensor;
    sum(dim?: number, keepdim?: boolean): Tensor;
    mean(dim?: number, keepdim?: boolean): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): [Tensor, Tensor];
    min(): Tensor;
    min(dim: number, keepdim?: boolean): [Tensor, Tensor];
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    matmul(other: Tensor): Tensor;
    view(...shape: number[]): Tensor;
    reshape(...shape: number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    squeeze(dim?: number): Tensor;
    permute(...dims: number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    /** 2-d transpose. */
    t(): Tensor;
    expand(...shape: number[]): Tensor;
    contiguous(): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    /** `t[start:end]` along dim 0. */
    slice(start?: number, end?: number): Tensor;
    /** `t[i]`. */
    select(i: number): Tensor;
    /** `t[index]` with an integer tensor or array of row numbers along `dim`. */
    indexSelect(dim: number, index: Tensor | readonly number[]): Tensor;
    clone(): Tensor;
    detach(): Tensor;
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    long(): Tensor;
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
