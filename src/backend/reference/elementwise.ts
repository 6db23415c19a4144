import type { BinaryOp, NumArray, UnaryOp } from '../types.js';
import { erf, erfinv } from './erf.js';

// Each op gets its own generated loop, so the expression is inlined instead of called per element.
const UNARY_EXPR: Record<UnaryOp, string> = {
  neg: '-x',
  exp: 'Math.exp(x)',
  log: 'Math.log(x)',
  sqrt: 'Math.sqrt(x)',
  abs: 'Math.abs(x)',
  relu: 'x <= 0 ? 0 : x',
  sign: 'x > 0 ? 1 : x < 0 ? -1 : 0',
  clamp: 'x < p ? p : x > q ? q : x',
  clampMask: 'x >= p && x <= q ? 1 : 0',
  square: 'x * x',
  trunc: 'Math.trunc(x)',
  sigmoid: 'x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))',
  tanh: 'Math.tanh(x)',
  log1p: 'Math.log1p(x)',
  // hardtanh's gradient mask: 0 at and beyond the bounds p and q, 1 between them and at NaN.
  insideMask: 'x <= p || x >= q ? 0 : 1',
  // The activations with branches, as PyTorch's CPU kernels write them (NaN takes the last branch;
  // hardsigmoid's slope is the float 1/6 in both dtypes, as PyTorch's backward has it).
  elu: 'x <= 0 ? p * (Math.exp(x) - 1) : x',
  eluGrad: 'x <= 0 ? p * Math.exp(x) : 1',
  hardsigmoid: 'x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5',
  hardsigmoidGrad: 'x > -3 && x < 3 ? 0.1666666716337204 : 0',
  hardswish: 'x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6',
  hardswishGrad: 'x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1',
  sin: 'Math.sin(x)',
  cos: 'Math.cos(x)',
  floor: 'Math.floor(x)',
  ceil: 'Math.ceil(x)',
  // Halves to even, as PyTorch rounds.
  round: 'Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)',
  reciprocal: '1 / x',
  rsqrt: '1 / Math.sqrt(x)',
  isnan: 'x !== x ? 1 : 0',
  isinf: 'x === Infinity || x === -Infinity ? 1 : 0',
  isfinite: 'x - x === 0 ? 1 : 0',
  logicalNot: 'x === 0 ? 1 : 0',
  finiteOrZero: 'x - x === 0 ? x : 0',
  // Computed by functions, not an inlined expression (see unary).
  erf: 'x',
  erfinv: 'x',
};

const BINARY_EXPR: Record<BinaryOp, string> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  pow: 'Math.pow(x, y)',
  maximum: 'x > y || x !== x ? x : y',
  minimum: 'x < y || x !== x ? x : y',
  eq: 'x === y ? 1 : 0',
  ne: 'x !== y ? 1 : 0',
  lt: 'x < y ? 1 : 0',
  le: 'x <= y ? 1 : 0',
  gt: 'x > y ? 1 : 0',
  ge: 'x >= y ? 1 : 0',
  reluGrad: 'y <= 0 ? 0 : x',
  signMul: 'y > 0 ? x : y < 0 ? -x : 0',
  // d(x^y)/dx and d(x^y)/dy as PyTorch takes them: 0 for a zero exponent, 0 at a zero base.
  powGradBase: 'y === 0 ? 0 : y * Math.pow(x, y - 1)',
  powGradExponent: 'x === 0 && y >= 0 ? 0 : Math.pow(x, y) * Math.log(x)',
  logicalAnd: 'x !== 0 && y !== 0 ? 1 : 0',
  logicalOr: 'x !== 0 || y !== 0 ? 1 : 0',
  logicalXor: '(x !== 0) !== (y !== 0) ? 1 : 0',
  // x, but 0 where y is 0 (a norm's gradient where the norm vanishes).
  zeroWhereZero: 'y === 0 ? 0 : x',
};

type UnaryKernel = (a: NumArray, out: NumArray, n: number, p: number, q: number) => void;
type BinaryKernel = (
  a: NumArray,
  b: NumArray,
  out: NumArray,
  shape: readonly number[],
  as: readonly number[],
  bs: readonly number[],
  n: number,
  same: boolean,
) => void;

const unaryKernels = new Map<UnaryOp, UnaryKernel>();
const binaryKernels = new Map<BinaryOp, BinaryKernel>();

function unaryKernel(op: UnaryOp): UnaryKernel {
  let k = unaryKernels.get(op);
  if (!k) {
    // One loop compiled per op, with the op's expression inlined: several times faster than a closure call per element.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    k = new Function(
      'a',
      'out',
      'n',
      'p',
      'q',
      `for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${UNARY_EXPR[op]}; }`,
    ) as UnaryKernel;
    unaryKernels.set(op, k);
  }
  return k;
}

function binaryKernel(op: BinaryOp): BinaryKernel {
  let k = binaryKernels.get(op);
  if (!k) {
    const expr = BINARY_EXPR[op];
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    k = new Function(
      'a',
      'b',
      'out',
      'shape',
      'as',
      'bs',
      'n',
      'same',
      `
      if (same) { for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; out[i] = ${expr}; } return; }
      const nd = shape.length;
      if (nd === 0) { const x = a[0], y = b[0]; out[0] = ${expr}; return; }
      const len = shape[nd - 1], sa = as[nd - 1], sb = bs[nd - 1];
      const idx = new Array(nd).fill(0);
      let ia = 0, ib = 0, o = 0;
      for (let r = 0, rows = len === 0 ? 0 : n / len; r < rows; r++) {
        let pa = ia, pb = ib;
        for (let j = 0; j < len; j++) { const x = a[pa], y = b[pb]; out[o++] = ${expr}; pa += sa; pb += sb; }
        for (let d = nd - 2; d >= 0; d--) {
          idx[d]++; ia += as[d]; ib += bs[d];
          if (idx[d] < shape[d]) break;
          ia -= as[d] * shape[d]; ib -= bs[d] * shape[d]; idx[d] = 0;
        }
      }`,
    ) as BinaryKernel;
    binaryKernels.set(op, k);
  }
  return k;
}

/** Strides of a contiguous `shape` seen through the broadcast `outShape` (0 where broadcast). */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const nd = outShape.length;
  const strides = new Array<number>(nd).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = nd - shape.length + i;
    strides[d] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

export function unary(op: UnaryOp, a: NumArray, out: NumArray, p = 0, q = 0): void {
  if (op === 'erf' || op === 'erfinv') {
    const fn = op === 'erf' ? erf : erfinv;
    for (let i = 0; i < out.length; i++) out[i] = fn(a[i]);
    return;
  }
  unaryKernel(op)(a, out, out.length, p, q);
}

export function binary(
  op: BinaryOp,
  a: NumArray,
  aShape: readonly number[],
  b: NumArray,
  bShape: readonly number[],
  out: NumArray,
  outShape: readonly number[],
): void {
  const same = a.length === out.length && b.length === out.length;
  binaryKernel(op)(
    a,
    b,
    out,
    outShape,
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
    out.length,
    same,
  );
}
