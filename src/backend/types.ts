/**
 * The kernel interface. Kernels see only flat typed arrays and shapes; everything above this
 * layer works on whole tensors. A WebAssembly backend implements the same interface.
 */
export type FloatArray = Float32Array | Float64Array;
/** The storage a kernel may read: float, uint8 (and bool), or int32 indices. */
export type NumArray = Float32Array | Float64Array | Uint8Array | Int32Array;

/** The elementwise functions of one argument that `Backend.unary` runs. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'relu'
  | 'sign'
  | 'clamp'
  | 'clampMask'
  | 'square'
  | 'trunc'
  | 'sigmoid'
  | 'tanh'
  | 'log1p'
  | 'insideMask'
  | 'elu'
  | 'eluGrad'
  | 'hardsigmoid'
  | 'hardsigmoidGrad'
  | 'hardswish'
  | 'hardswishGrad'
  | 'sin'
  | 'cos'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'reciprocal'
  | 'rsqrt'
  | 'isnan'
  | 'isinf'
  | 'isfinite'
  | 'logicalNot'
  | 'finiteOrZero'
  | 'erf'
  | 'erfinv';
/** The elementwise functions of two arguments that `Backend.binary` runs, with broadcasting. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'reluGrad'
  | 'signMul'
  | 'powGradBase'
  | 'powGradExponent'
  | 'logicalAnd'
  | 'logicalOr'
  | 'logicalXor'
  | 'zeroWhereZero';
/** The reductions that `Backend.reduce` runs over one axis. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/** Geometry of a 2-d convolution or pooling window over NCHW data. */
export interface Conv2dGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  oc: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  oh: number;
  ow: number;
}

/** One SGD update's settings, as the optimizer passes them to the kernel. */
export interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
}

/** One Adam or AdamW update's settings, as the optimizer passes them to the kernel. */
export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: weight decay applied to the parameter, not added to the gradient. */
  decoupled: boolean;
  /** 1-based step count after this update. */
  step: number;
}

/** The kernels every tensor operation runs through; `reference` and `wasm` implement it. */
export interface Backend {
  readonly name: string;
  /** out[i] = value. */
  fill(out: NumArray, value: number): void;
  /** out[i] = src[i] for the length of `out`. */
  copy(src: NumArray, out: NumArray): void;
  /** Gathers a strided view into a contiguous array. */
  copyStrided(src: NumArray, offset: number, shape: readonly number[], strides: readonly number[], out: NumArray): void;
  /** `p` and `q` are the op's scalar parameters (clamp bounds). */
  unary(op: UnaryOp, a: NumArray, out: NumArray, p?: number, q?: number): void;
  /** Elementwise with NumPy broadcasting; `a` and `b` are contiguous. */
  binary(
    op: BinaryOp,
    a: NumArray,
    aShape: readonly number[],
    b: NumArray,
    bShape: readonly number[],
    out: NumArray,
    outShape: readonly number[],
  ): void;
  /** Reduces the middle axis of `a` viewed as [outer, size, inner] into `out` [outer, inner]. */
  reduce(op: ReduceOp, a: NumArray, outer: number, size: number, inner: number, out: NumArray): void;
  /** out[m,n] (+)= op(a) @ op(b) with op a transpose where asked; a is [m,k] or [k,m], b is [k,n] or [n,k]. */
  matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;
  /** out = conv2d(x, weight) + bias over NCHW data. */
  conv2dForward(x: FloatArray, weight: FloatArray, bias: FloatArray | null, out: FloatArray, g: Conv2dGeometry): void;
  /** dx = the gradient of conv2d with respect to its input (written, not accumulated). */
  conv2dBackwardInput(dy: FloatArray, weight: FloatArray, dx: FloatArray, g: Conv2dGeometry): void;
  /** Writes (not accumulates) the weight and bias gradients. */
  conv2dBackwardWeight(x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray | null, g: Conv2dGeometry): void;
  /** `g.oc` equals `g.c`; `argmax` receives each output's index within its input plane. */
  maxPool2dForward(x: FloatArray, out: FloatArray, argmax: Int32Array, g: Conv2dGeometry): void;
  /** dx = the gradient of each window's maximum, routed through `argmax`; dx must be zeroed. */
  maxPool2dBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, g: Conv2dGeometry): void;
  /** Softmax (or log-softmax with `log`) over the middle axis of x viewed as [outer, size, inner]. */
  softmax(x: FloatArray, out: FloatArray, outer: number, size: number, inner: number, log: boolean): void;
  /** Gradient through softmax (log = false) or log-softmax (log = true) given its output y. */
  softmaxBackward(
    dy: FloatArray,
    y: FloatArray,
    dx: FloatArray,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): void;
  /**
   * loss[i] = -w[t] logp[i, t] over [n, c] with t = target[i] and w the class weights (ones when
   * null); rowWeight[i] = w[t]. A target equal to `ignoreIndex` gives 0 for both.
   */
  nllLoss(
    logp: FloatArray,
    target: NumArray,
    loss: FloatArray,
    n: number,
    c: number,
    weight: FloatArray | null,
    ignoreIndex: number,
    rowWeight: FloatArray,
  ): void;
  /** dlogp[i, t] = -w[t] dloss[i] for t = target[i] not ignored; every other entry 0. */
  nllLossBackward(
    dloss: FloatArray,
    target: NumArray,
    dlogp: FloatArray,
    n: number,
    c: number,
    weight: FloatArray | null,
    ignoreIndex: number,
  ): void;
  /** out[i, :] = src[index[i], :] with rows of `rowSize` elements. */
  indexSelect(src: NumArray, rowSize: number, index: NumArray, out: NumArray): void;
  /** dst[index[i], :] += src[i, :]. */
  indexAdd(dst: FloatArray, rowSize: number, index: NumArray, src: FloatArray): void;
  /** out[o, index[o, i], i] = src[o, i] over out viewed as [outer, size, inner]; out is zeroed first. */
  scatterDim(src: NumArray, index: NumArray, out: NumArray, outer: number, size: number, inner: number): void;
  /** out[v] = how often each value v occurs in `values`; out must be zeroed. */
  bincount(values: NumArray, out: NumArray): void;
  /** out[i, j] = table[src[index[i] * rowSize + j]]: gathers uint8 samples through a per-level table. */
  gatherLookup(src: Uint8Array, rowSize: number, index: NumArray, table: FloatArray, out: FloatArray): void;
  /** One SGD update in place; `buf` is the momentum buffer, `first` when it is still empty. */
  sgdStep(param: FloatArray, grad: FloatArray, buf: FloatArray | null, first: boolean, h: SgdHyper): void;
  /** One Adam/AdamW update in place; `maxExpAvgSq` is given for AMSGrad. */
  adamStep(
    param: FloatArray,
    grad: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray | null,
    h: AdamHyper,
  ): void;
  /**
   * Per channel of x viewed as [n, c, hw]: mean and invstd = 1 / sqrt(biased var + eps), summed in
   * double precision. With running statistics, also tracked += 1 and running = (1 - f) running +
   * f batch (the variance unbiased), f = momentum or, when null, 1 / tracked.
   */
  batchNormStats(
    x: FloatArray,
    mean: FloatArray,
    invstd: FloatArray,
    runMean: FloatArray | null,
    runVar: FloatArray | null,
    tracked: Float64Array | null,
    n: number,
    c: number,
    hw: number,
    eps: number,
    momentum: number | null,
  ): void;
  /**
   * out = x * alpha[c] + beta[c] with alpha = invstd w and beta = b - mean alpha; `stat` is invstd,
   * or with `fromVar` the running variance.
   */
  batchNormApply(
    x: FloatArray,
    mean: FloatArray,
    stat: FloatArray,
    weight: FloatArray | null,
    bias: FloatArray | null,
    out: FloatArray,
    n: number,
    c: number,
    hw: number,
    eps: number,
    fromVar: boolean,
  ): void;
  /** The gradients of batchNormApply (dx through the batch's statistics unless `fromVar`); null outputs are skipped. */
  batchNormBackward(
    x: FloatArray,
    dy: FloatArray,
    mean: FloatArray,
    stat: FloatArray,
    weight: FloatArray | null,
    dx: FloatArray | null,
    dweight: FloatArray | null,
    dbias: FloatArray | null,
    n: number,
    c: number,
    hw: number,
    eps: number,
    fromVar: boolean,
  ): void;
}
