// The Tensor methods of the op families beyond the tutorials' (math, indexing, statistics,
// in-place, hooks): each calls the op of the same name.
import type { Generator } from '../tensor/generator.js';
import { Tensor } from '../tensor/tensor.js';
import { hooksOf } from './engine.js';
import { Node, type GradHook, type HookHandle } from './node.js';
import { bmm, mm } from './ops/einsum.js';
import * as ew from './ops/elementwise.js';
import type { Operand } from './ops/elementwise.js';
import * as ix from './ops/indexing.js';
import * as ip from './ops/inplace.js';
import * as m from './ops/math.js';
import { to } from './ops/misc.js';
import * as sh from './ops/shape.js';
import * as st from './ops/statistics.js';
import type { CloseOptions, Dims, VarOptions } from './ops/statistics.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Elementwise log(1 + x), accurate near 0.
     * @pytorch `torch.Tensor.log1p`
     */
    log1p(): Tensor;
    /**
     * Elementwise sine.
     * @pytorch `torch.Tensor.sin`
     */
    sin(): Tensor;
    /**
     * Elementwise cosine.
     * @pytorch `torch.Tensor.cos`
     */
    cos(): Tensor;
    /**
     * Rounds down, elementwise.
     * @pytorch `torch.Tensor.floor`
     */
    floor(): Tensor;
    /**
     * Rounds up, elementwise.
     * @pytorch `torch.Tensor.ceil`
     */
    ceil(): Tensor;
    /**
     * Rounds to the nearest integer, halves to even.
     * @pytorch `torch.Tensor.round`
     */
    round(): Tensor;
    /**
     * Rounds toward zero, elementwise.
     * @pytorch `torch.Tensor.trunc`
     */
    trunc(): Tensor;
    /**
     * -1, 0 or 1 by the sign of each entry.
     * @pytorch `torch.Tensor.sign`
     */
    sign(): Tensor;
    /**
     * 1 / x, elementwise.
     * @pytorch `torch.Tensor.reciprocal`
     */
    reciprocal(): Tensor;
    /**
     * 1 / sqrt(x), elementwise.
     * @pytorch `torch.Tensor.rsqrt`
     */
    rsqrt(): Tensor;
    /**
     * x * x, elementwise.
     * @pytorch `torch.Tensor.square`
     */
    square(): Tensor;
    /**
     * The larger of this and other, elementwise (NaN wins).
     * @pytorch `torch.Tensor.maximum`
     */
    maximum(other: Tensor): Tensor;
    /**
     * The smaller of this and other, elementwise (NaN wins).
     * @pytorch `torch.Tensor.minimum`
     */
    minimum(other: Tensor): Tensor;
    /**
     * True where both are non-zero.
     * @pytorch `torch.Tensor.logical_and`
     */
    logicalAnd(other: Operand): Tensor;
    /**
     * True where either is non-zero.
     * @pytorch `torch.Tensor.logical_or`
     */
    logicalOr(other: Operand): Tensor;
    /**
     * True where exactly one is non-zero.
     * @pytorch `torch.Tensor.logical_xor`
     */
    logicalXor(other: Operand): Tensor;
    /**
     * True where this is zero.
     * @pytorch `torch.Tensor.logical_not`
     */
    logicalNot(): Tensor;
    /**
     * True where NaN.
     * @pytorch `torch.Tensor.isnan`
     */
    isnan(): Tensor;
    /**
     * True where infinite.
     * @pytorch `torch.Tensor.isinf`
     */
    isinf(): Tensor;
    /**
     * True where neither NaN nor infinite.
     * @pytorch `torch.Tensor.isfinite`
     */
    isfinite(): Tensor;
    /**
     * Reverses the order along each of the dims.
     * @pytorch `torch.Tensor.flip`
     */
    flip(...dims: number[]): Tensor;
    /**
     * Shifts entries along dims, wrapping around.
     * @pytorch `torch.Tensor.roll`
     */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    /**
     * Tiles the tensor sizes[i] times along dim i.
     * @pytorch `torch.Tensor.repeat`
     */
    repeat(...sizes: number[]): Tensor;
    /**
     * The lower triangle of the last two dims.
     * @pytorch `torch.Tensor.tril`
     */
    tril(diagonal?: number): Tensor;
    /**
     * The upper triangle of the last two dims.
     * @pytorch `torch.Tensor.triu`
     */
    triu(diagonal?: number): Tensor;
    /**
     * Moves dims to new positions.
     * @pytorch `torch.Tensor.movedim`
     */
    movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    /**
     * Entries picked along dim by an int64 index.
     * @pytorch `torch.Tensor.gather`
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy with src's entries written along dim at the index.
     * @pytorch `torch.Tensor.scatter`
     */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    /**
     * A copy with src's entries added along dim at the index.
     * @pytorch `torch.Tensor.scatter_add`
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * This where condition is true, other elsewhere.
     * @pytorch `torch.Tensor.where`
     */
    where(condition: Tensor, other: Tensor | number): Tensor;
    /**
     * This with value where the bool mask is true.
     * @pytorch `torch.Tensor.masked_fill`
     */
    maskedFill(mask: Tensor, value: Tensor | number): Tensor;
    /**
     * Sorted values along dim and their positions.
     * @pytorch `torch.Tensor.sort`
     */
    sort(dim?: number, descending?: boolean): [Tensor, Tensor];
    /**
     * The positions that sort this along dim.
     * @pytorch `torch.Tensor.argsort`
     */
    argsort(dim?: number, descending?: boolean): Tensor;
    /**
     * The k largest (or smallest) entries along dim and their positions.
     * @pytorch `torch.Tensor.topk`
     */
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): [Tensor, Tensor];
    /**
     * Running sums along dim.
     * @pytorch `torch.Tensor.cumsum`
     */
    cumsum(dim: number): Tensor;
    /**
     * Splits into chunks pieces along dim.
     * @pytorch `torch.Tensor.chunk`
     */
    chunk(chunks: number, dim?: number): Tensor[];
    /**
     * Splits into pieces of a size, or of the listed sizes, along dim.
     * @pytorch `torch.Tensor.split`
     */
    split(sizes: number | readonly number[], dim?: number): Tensor[];
    /**
     * Every entry of dim, without that dim.
     * @pytorch `torch.Tensor.unbind`
     */
    unbind(dim?: number): Tensor[];
    /**
     * The variance over dim (Bessel-corrected unless told otherwise).
     * @pytorch `torch.Tensor.var`
     */
    var(dim?: Dims, opts?: VarOptions): Tensor;
    /**
     * The standard deviation over dim.
     * @pytorch `torch.Tensor.std`
     */
    std(dim?: Dims, opts?: VarOptions): Tensor;
    /**
     * The largest entry over dim; ties share the gradient.
     * @pytorch `torch.Tensor.amax`
     */
    amax(dim?: Dims, keepdim?: boolean): Tensor;
    /**
     * The smallest entry over dim; ties share the gradient.
     * @pytorch `torch.Tensor.amin`
     */
    amin(dim?: Dims, keepdim?: boolean): Tensor;
    /**
     * log(sum(exp(x))) over dim, computed stably.
     * @pytorch `torch.Tensor.logsumexp`
     */
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    /**
     * The vector p-norm over dim.
     * @pytorch `torch.Tensor.norm`
     */
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor;
    /**
     * The product over dim.
     * @pytorch `torch.Tensor.prod`
     */
    prod(dim?: number, keepdim?: boolean): Tensor;
    /**
     * True where any entry over dim is non-zero.
     * @pytorch `torch.Tensor.any`
     */
    any(dim?: number, keepdim?: boolean): Tensor;
    /**
     * True where every entry over dim is non-zero.
     * @pytorch `torch.Tensor.all`
     */
    all(dim?: number, keepdim?: boolean): Tensor;
    /**
     * True where this and other are close.
     * @pytorch `torch.Tensor.isclose`
     */
    isclose(other: Tensor, opts?: CloseOptions): Tensor;
    /**
     * Whether every entry is close to other's.
     * @pytorch `torch.Tensor.allclose`
     */
    allclose(other: Tensor, opts?: CloseOptions): boolean;
    /**
     * The matrix product of two matrices.
     * @pytorch `torch.Tensor.mm`
     */
    mm(other: Tensor): Tensor;
    /**
     * The batched matrix product of [b, n, m] and [b, m, p].
     * @pytorch `torch.Tensor.bmm`
     */
    bmm(other: Tensor): Tensor;
    /**
     * Expanded to other's shape.
     * @pytorch `torch.Tensor.expand_as`
     */
    expandAs(other: Tensor): Tensor;
    /**
     * Viewed in other's shape.
     * @pytorch `torch.Tensor.view_as`
     */
    viewAs(other: Tensor): Tensor;
    /**
     * Converted to other's dtype.
     * @pytorch `torch.Tensor.type_as`
     */
    typeAs(other: Tensor): Tensor;
    /**
     * this += other * alpha, in place.
     * @pytorch `torch.Tensor.add_`
     */
    add_(other: Operand, alpha?: number): this;
    /**
     * this -= other * alpha, in place.
     * @pytorch `torch.Tensor.sub_`
     */
    sub_(other: Operand, alpha?: number): this;
    /**
     * this *= other, in place.
     * @pytorch `torch.Tensor.mul_`
     */
    mul_(other: Operand): this;
    /**
     * this /= other, in place.
     * @pytorch `torch.Tensor.div_`
     */
    div_(other: Operand): this;
    /**
     * Every entry set to value, in place.
     * @pytorch `torch.Tensor.fill_`
     */
    fill_(value: number | boolean): this;
    /**
     * Every entry set to 0, in place.
     * @pytorch `torch.Tensor.zero_`
     */
    zero_(): this;
    /**
     * src's values copied in (broadcast and cast).
     * @pytorch `torch.Tensor.copy_`
     */
    copy_(src: Tensor): this;
    /**
     * Clamped into [min, max], in place.
     * @pytorch `torch.Tensor.clamp_`
     */
    clamp_(min?: number, max?: number): this;
    /**
     * Uniform samples in [from, to), in place.
     * @pytorch `torch.Tensor.uniform_`
     */
    uniform_(from?: number, to?: number, generator?: Generator): this;
    /**
     * Normal samples, in place.
     * @pytorch `torch.Tensor.normal_`
     */
    normal_(mean?: number, std?: number, generator?: Generator): this;
    /**
     * Keeps this non-leaf tensor's gradient in .grad after backward.
     * @pytorch `torch.Tensor.retain_grad`
     */
    retainGrad(): void;
    /**
     * Runs hook on this tensor's gradient as it arrives; a tensor it returns replaces the gradient.
     * @pytorch `torch.Tensor.register_hook`
     */
    registerHook(hook: GradHook): HookHandle;
  }
}

/**
 * Keeps a non-leaf tensor's gradient in `.grad` after backward (a leaf keeps it anyway).
 * @pytorch `torch.Tensor.retain_grad`
 */
export function retainGrad(t: Tensor): void {
  if (!t.requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
  if (t.gradFn instanceof Node) t.gradFn.retained = t;
}

/**
 * Runs `hook` on the tensor's gradient whenever one arrives; a tensor it returns replaces it.
 * @pytorch `torch.Tensor.register_hook`
 */
export function registerHook(t: Tensor, hook: GradHook): HookHandle {
  if (!t.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  const hooks = hooksOf(t);
  hooks.push(hook);
  return {
    remove() {
      const i = hooks.indexOf(hook);
      if (i >= 0) hooks.splice(i, 1);
    },
  };
}

const methods: Partial<Tensor> & ThisType<Tensor> = {
  log1p() {
    return ew.log1p(this);
  },
  sin() {
    return m.sin(this);
  },
  cos() {
    return m.cos(this);
  },
  floor() {
    return m.floor(this);
  },
  ceil() {
    return m.ceil(this);
  },
  round() {
    return m.round(this);
  },
  trunc() {
    return m.trunc(this);
  },
  sign() {
    return m.sign(this);
  },
  reciprocal() {
    return m.reciprocal(this);
  },
  rsqrt() {
    return m.rsqrt(this);
  },
  square() {
    return m.square(this);
  },
  maximum(other: Tensor) {
    return m.maximum(this, other);
  },
  minimum(other: Tensor) {
    return m.minimum(this, other);
  },
  logicalAnd(other: Operand) {
    return m.logicalAnd(this, other);
  },
  logicalOr(other: Operand) {
    return m.logicalOr(this, other);
  },
  logicalXor(other: Operand) {
    return m.logicalXor(this, other);
  },
  logicalNot() {
    return m.logicalNot(this);
  },
  isnan() {
    return m.isnan(this);
  },
  isinf() {
    return m.isinf(this);
  },
  isfinite() {
    return m.isfinite(this);
  },
  flip(...dims: number[]) {
    return ix.flip(this, dims);
  },
  roll(shifts: number | readonly number[], dims?: number | readonly number[]) {
    return ix.roll(this, shifts, dims);
  },
  repeat(...sizes: number[]) {
    return ix.repeat(this, sizes);
  },
  tril(diagonal?: number) {
    return ix.tril(this, diagonal);
  },
  triu(diagonal?: number) {
    return ix.triu(this, diagonal);
  },
  movedim(source: number | readonly number[], destination: number | readonly number[]) {
    return ix.movedim(this, source, destination);
  },
  gather(dim: number, index: Tensor) {
    return ix.gather(this, dim, index);
  },
  scatter(dim: number, index: Tensor, src: Tensor | number) {
    return ix.scatter(this, dim, index, src);
  },
  scatterAdd(dim: number, index: Tensor, src: Tensor) {
    return ix.scatterAdd(this, dim, index, src);
  },
  where(condition: Tensor, other: Tensor | number) {
    return ix.where(condition, this, other);
  },
  maskedFill(mask: Tensor, value: Tensor | number) {
    return ix.maskedFill(this, mask, value);
  },
  sort(dim?: number, descending?: boolean) {
    return ix.sort(this, dim, descending);
  },
  argsort(dim?: number, descending?: boolean) {
    return ix.argsort(this, dim, descending);
  },
  topk(k: number, dim?: number, largest?: boolean, sorted?: boolean) {
    return ix.topk(this, k, dim, largest, sorted);
  },
  cumsum(dim: number) {
    return ix.cumsum(this, dim);
  },
  chunk(chunks: number, dim?: number) {
    return ix.chunk(this, chunks, dim);
  },
  split(sizes: number | readonly number[], dim?: number) {
    return ix.split(this, sizes, dim);
  },
  unbind(dim?: number) {
    return ix.unbind(this, dim);
  },
  var(dim?: Dims, opts?: VarOptions) {
    return st.variance(this, dim, opts);
  },
  std(dim?: Dims, opts?: VarOptions) {
    return st.std(this, dim, opts);
  },
  amax(dim?: Dims, keepdim?: boolean) {
    return st.amax(this, dim, keepdim);
  },
  amin(dim?: Dims, keepdim?: boolean) {
    return st.amin(this, dim, keepdim);
  },
  logsumexp(dim: Dims, keepdim?: boolean) {
    return st.logsumexp(this, dim, keepdim);
  },
  norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean) {
    return st.norm(this, p, dim, keepdim);
  },
  prod(dim?: number, keepdim?: boolean) {
    return st.prod(this, dim, keepdim);
  },
  any(dim?: number, keepdim?: boolean) {
    return st.any(this, dim, keepdim);
  },
  all(dim?: number, keepdim?: boolean) {
    return st.all(this, dim, keepdim);
  },
  isclose(other: Tensor, opts?: CloseOptions) {
    return st.isclose(this, other, opts);
  },
  allclose(other: Tensor, opts?: CloseOptions) {
    return st.allclose(this, other, opts);
  },
  mm(other: Tensor) {
    return mm(this, other);
  },
  bmm(other: Tensor) {
    return bmm(this, other);
  },
  expandAs(other: Tensor) {
    return sh.expand(this, other.shape);
  },
  viewAs(other: Tensor) {
    return sh.view(this, other.shape);
  },
  typeAs(other: Tensor) {
    return to(this, other.dtype);
  },
  add_(other: Operand, alpha?: number) {
    ip.add_(this, other, alpha);
    return this;
  },
  sub_(other: Operand, alpha?: number) {
    ip.sub_(this, other, alpha);
    return this;
  },
  mul_(other: Operand) {
    ip.mul_(this, other);
    return this;
  },
  div_(other: Operand) {
    ip.div_(this, other);
    return this;
  },
  fill_(value: number | boolean) {
    ip.fill_(this, value);
    return this;
  },
  zero_() {
    ip.zero_(this);
    return this;
  },
  copy_(src: Tensor) {
    ip.copy_(this, src);
    return this;
  },
  clamp_(min?: number, max?: number) {
    ip.clamp_(this, min, max);
    return this;
  },
  uniform_(from?: number, to?: number, generator?: Generator) {
    ip.uniform_(this, from, to, generator);
    return this;
  },
  normal_(mean?: number, std?: number, generator?: Generator) {
    ip.normal_(this, mean, std, generator);
    return this;
  },
  retainGrad() {
    return retainGrad(this);
  },
  registerHook(hook: GradHook) {
    return registerHook(this, hook);
  },
};

Object.assign(Tensor.prototype, methods);
