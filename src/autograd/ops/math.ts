// Elementwise functions beyond arithmetic: rounding, trigonometry, reciprocals, the logical ops and
// the NaN and infinity tests, with PyTorch's gradients (zero through the step functions).
import type { UnaryOp } from '../../backend/index.js';
import { scalar, zerosLike } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';
import { toTensor, type Operand } from './elementwise.js';
import { binaryKernel, sumToShape, unaryKernel } from './kernels.js';

/** A function whose derivative is zero wherever it exists (floor, ceil, round, sign, trunc). */
function stepFunction(op: UnaryOp, name: string, x: Tensor): Tensor {
  return record(name, unaryKernel(op, x), [x], (g) => [zerosLike(g)]);
}

/**
 * The sine, elementwise.
 * @pytorch `torch.sin`
 */
export function sin(x: Tensor): Tensor {
  return record('SinBackward0', unaryKernel('sin', x), [x], (g) => [binaryKernel('mul', g, unaryKernel('cos', x))]);
}

/**
 * The cosine, elementwise.
 * @pytorch `torch.cos`
 */
export function cos(x: Tensor): Tensor {
  return record('CosBackward0', unaryKernel('cos', x), [x], (g) => [
    binaryKernel('mul', g, unaryKernel('neg', unaryKernel('sin', x))),
  ]);
}

/**
 * Rounds down, elementwise.
 * @pytorch `torch.floor`
 */
export function floor(x: Tensor): Tensor {
  return stepFunction('floor', 'FloorBackward0', x);
}

/**
 * Rounds up, elementwise.
 * @pytorch `torch.ceil`
 */
export function ceil(x: Tensor): Tensor {
  return stepFunction('ceil', 'CeilBackward0', x);
}

/**
 * Rounds to the nearest integer, halves to even (2.5 to 2, 3.5 to 4), elementwise.
 * @pytorch `torch.round`
 */
export function round(x: Tensor): Tensor {
  return stepFunction('round', 'RoundBackward0', x);
}

/**
 * Rounds toward zero, elementwise.
 * @pytorch `torch.trunc`
 */
export function trunc(x: Tensor): Tensor {
  return stepFunction('trunc', 'TruncBackward0', x);
}

/**
 * -1, 0 or 1 by the sign of each element (NaN stays NaN).
 * @pytorch `torch.sign`
 */
export function sign(x: Tensor): Tensor {
  return stepFunction('sign', 'SignBackward0', x);
}

/**
 * 1 / x, elementwise (integers give float32).
 * @pytorch `torch.reciprocal`
 */
export function reciprocal(x: Tensor): Tensor {
  const y = unaryKernel('reciprocal', x);
  return record('ReciprocalBackward0', y, [x], (g) => [
    binaryKernel('mul', g, unaryKernel('neg', binaryKernel('mul', y, y))),
  ]);
}

/**
 * 1 / sqrt(x), elementwise.
 * @pytorch `torch.rsqrt`
 */
export function rsqrt(x: Tensor): Tensor {
  const y = unaryKernel('rsqrt', x);
  return record('RsqrtBackward0', y, [x], (g) => [
    binaryKernel(
      'mul',
      g,
      binaryKernel('mul', scalar(-0.5, y.dtype), binaryKernel('mul', y, binaryKernel('mul', y, y))),
    ),
  ]);
}

/**
 * x * x, elementwise.
 * @pytorch `torch.square`
 */
export function square(x: Tensor): Tensor {
  const input = x.dtype === 'bool' ? binaryKernel('add', x, scalar(0, 'int64')) : x;
  return record('PowBackward0', unaryKernel('square', input), [x], (g) => [
    binaryKernel('mul', g, binaryKernel('mul', x, scalar(2, x.dtype))),
  ]);
}

/**
 * The larger of two elements, NaN when either is. The gradient goes to the larger; ties split it.
 * @pytorch `torch.maximum`
 */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return extremum('maximum', a, b);
}

/**
 * The smaller of two elements, NaN when either is. The gradient goes to the smaller; ties split it.
 * @pytorch `torch.minimum`
 */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return extremum('minimum', a, b);
}

function extremum(op: 'maximum' | 'minimum', a: Tensor, b: Tensor): Tensor {
  const out = binaryKernel(op, a, b);
  const name = op === 'maximum' ? 'MaximumBackward0' : 'MinimumBackward0';
  return record(name, out, [a, b], (g) => {
    // PyTorch's formula: a tie halves the gradient; the losing side gets none (a NaN loses to nothing).
    const tie = binaryKernel('eq', a, b, g.dtype);
    const half = binaryKernel('sub', scalar(1, g.dtype), binaryKernel('mul', tie, scalar(0.5, g.dtype)));
    const share = binaryKernel('mul', g, half);
    const [aLoses, bLoses] = op === 'maximum' ? (['lt', 'gt'] as const) : (['gt', 'lt'] as const);
    const ga = binaryKernel('mul', share, unaryKernel('logicalNot', binaryKernel(aLoses, a, b)), g.dtype);
    const gb = binaryKernel('mul', share, unaryKernel('logicalNot', binaryKernel(bLoses, a, b)), g.dtype);
    return [sumToShape(ga, a.shape), sumToShape(gb, b.shape)];
  });
}

/**
 * True where both are non-zero.
 * @pytorch `torch.logical_and`
 */
export function logicalAnd(a: Tensor, b: Operand): Tensor {
  return binaryKernel('logicalAnd', a, toTensor(b, a));
}

/**
 * True where either is non-zero.
 * @pytorch `torch.logical_or`
 */
export function logicalOr(a: Tensor, b: Operand): Tensor {
  return binaryKernel('logicalOr', a, toTensor(b, a));
}

/**
 * True where exactly one is non-zero.
 * @pytorch `torch.logical_xor`
 */
export function logicalXor(a: Tensor, b: Operand): Tensor {
  return binaryKernel('logicalXor', a, toTensor(b, a));
}

/**
 * True where x is zero.
 * @pytorch `torch.logical_not`
 */
export function logicalNot(x: Tensor): Tensor {
  return unaryKernel('logicalNot', x);
}

/**
 * True where x is NaN.
 * @pytorch `torch.isnan`
 */
export function isnan(x: Tensor): Tensor {
  return unaryKernel('isnan', x);
}

/**
 * True where x is +/-infinity.
 * @pytorch `torch.isinf`
 */
export function isinf(x: Tensor): Tensor {
  return unaryKernel('isinf', x);
}

/**
 * True where x is neither NaN nor infinite.
 * @pytorch `torch.isfinite`
 */
export function isfinite(x: Tensor): Tensor {
  return unaryKernel('isfinite', x);
}

/**
 * The error function, elementwise.
 * @pytorch `torch.erf`
 */
export function erf(x: Tensor): Tensor {
  return record('ErfBackward0', unaryKernel('erf', x), [x], (g) => [
    binaryKernel(
      'mul',
      g,
      binaryKernel(
        'mul',
        unaryKernel('exp', unaryKernel('neg', unaryKernel('square', x))),
        scalar(2 / Math.sqrt(Math.PI), g.dtype),
      ),
    ),
  ]);
}

/**
 * The inverse error function, elementwise.
 * @pytorch `torch.erfinv`
 */
export function erfinv(x: Tensor): Tensor {
  const y = unaryKernel('erfinv', x);
  return record('ErfinvBackward0', y, [x], (g) => [
    binaryKernel(
      'mul',
      g,
      binaryKernel('mul', unaryKernel('exp', unaryKernel('square', y)), scalar(Math.sqrt(Math.PI) / 2, g.dtype)),
    ),
  ]);
}
