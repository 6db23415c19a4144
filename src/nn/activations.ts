// The activations past ReLU, as PyTorch defines them. Those with branches either run a kernel
// pair of their own (forward and gradient, as PyTorch's CPU kernels branch, NaN included) or mix
// their branches with comparison masks, which carry no gradient.
import { reportedCall } from '../autograd/call_trace.js';
import { add, compare, div, exp, log1p, mul, sigmoid, sub } from '../autograd/ops/elementwise.js';

export { sigmoid, tanh } from '../autograd/ops/elementwise.js';
import { unaryKernel, binaryKernel, sumToShape } from '../autograd/ops/kernels.js';
import { tanh } from '../autograd/ops/elementwise.js';
import { reshape } from '../autograd/ops/shape.js';
import { scalar } from '../tensor/creation.js';
import { record } from '../autograd/record.js';
import type { UnaryOp } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireFloat } from './tensor_args.js';

/** 1 where `x > 0`, else 0 (NaN too), as a constant of x's dtype. */
const positive = (x: Tensor) => compare('gt', x, 0).to(x.dtype);

/**
 * x where x > 0, x · negativeSlope elsewhere.
 * @pytorch `torch.nn.functional.leaky_relu`
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return reportedCall('leakyRelu', [x, negativeSlope], () => {
    requireFloat(x, 'leakyRelu');
    const m = positive(x);
    return mul(x, add(m, mul(sub(m, 1), -negativeSlope)));
  });
}

/** An elementwise activation from its forward and gradient kernels (the gradient from the input). */
function activation(name: string, x: Tensor, forward: UnaryOp, gradient: UnaryOp, p?: number): Tensor {
  requireFloat(x, name);
  return record(`${name}Backward0`, unaryKernel(forward, x, p), [x], (g) => [
    binaryKernel('mul', g, unaryKernel(gradient, x, p), g.dtype),
  ]);
}

/**
 * x where x > 0, α (e^x - 1) elsewhere.
 * @pytorch `torch.nn.functional.elu`
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return reportedCall('elu', [x, alpha], () => {
    return activation('Elu', x, 'elu', 'eluGrad', alpha);
  });
}

/** min(x, v) with the gradient passed where x <= v (torch.clamp's). */
function clampMax(x: Tensor, v: number): Tensor {
  return record('ClampBackward1', unaryKernel('clamp', x, -Infinity, v), [x], (g) => [
    binaryKernel('mul', g, unaryKernel('clampMask', x, -Infinity, v), g.dtype),
  ]);
}

/**
 * x · sigmoid(x), elementwise.
 * @pytorch `torch.nn.functional.silu`
 */
export function silu(x: Tensor): Tensor {
  return reportedCall('silu', [x], () => {
    requireFloat(x, 'silu');
    return mul(x, sigmoid(x));
  });
}

/**
 * log(1 + e^(βx)) / β, and x itself where βx > threshold.
 * @pytorch `torch.nn.functional.softplus`
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return reportedCall('softplus', [x, beta, threshold], () => {
    requireFloat(x, 'softplus');
    const bx = mul(x, beta);
    const linear = compare('gt', bx, threshold).to(x.dtype);
    const soft = div(log1p(exp(clampMax(bx, threshold))), beta);
    return add(mul(x, linear), mul(soft, add(mul(linear, -1), 1)));
  });
}

/**
 * min(max(x, lo), hi) with hardtanh's gradient: passed only strictly between the bounds.
 * @pytorch `torch.nn.functional.hardtanh`
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  return reportedCall('hardtanh', [x, minVal, maxVal], () => {
    requireFloat(x, 'hardtanh');
    return record('HardtanhBackward0', unaryKernel('clamp', x, minVal, maxVal), [x], (g) => [
      binaryKernel('mul', g, unaryKernel('insideMask', x, minVal, maxVal), g.dtype),
    ]);
  });
}

/**
 * min(max(x, 0), 6).
 * @pytorch `torch.nn.functional.relu6`
 */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/**
 * relu6(x + 3) / 6.
 * @pytorch `torch.nn.functional.hardsigmoid`
 */
export function hardsigmoid(x: Tensor): Tensor {
  return reportedCall('hardsigmoid', [x], () => {
    return activation('Hardsigmoid', x, 'hardsigmoid', 'hardsigmoidGrad');
  });
}

/**
 * x · relu6(x + 3) / 6.
 * @pytorch `torch.nn.functional.hardswish`
 */
export function hardswish(x: Tensor): Tensor {
  return reportedCall('hardswish', [x], () => {
    return activation('Hardswish', x, 'hardswish', 'hardswishGrad');
  });
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * x Φ(x) with Φ the standard normal CDF (`approximate: 'none'`), or PyTorch's tanh approximation.
 * @pytorch `torch.nn.functional.gelu`
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  return reportedCall('gelu', [x, approximate], () => {
    requireFloat(x, 'gelu');
    if (approximate === 'tanh') {
      const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
      return mul(mul(x, 0.5), add(tanh(inner), 1));
    }
    if (approximate !== 'none')
      throw new RangeError(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
    const cdf = binaryKernel(
      'mul',
      binaryKernel('add', unaryKernel('erf', binaryKernel('mul', x, scalar(SQRT1_2, x.dtype))), scalar(1, x.dtype)),
      scalar(0.5, x.dtype),
    );
    return record('GeluBackward0', binaryKernel('mul', x, cdf), [x], (g) => {
      const pdf = binaryKernel(
        'mul',
        unaryKernel('exp', binaryKernel('mul', binaryKernel('mul', x, x), scalar(-0.5, x.dtype))),
        scalar(INV_SQRT_2PI, x.dtype),
      );
      return [binaryKernel('mul', g, binaryKernel('add', cdf, binaryKernel('mul', x, pdf)))];
    });
  });
}

/**
 * max(0, x) + weight · min(0, x), the weight per channel (dim 1) or one for all.
 * @pytorch `torch.nn.functional.prelu`
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  return reportedCall('prelu', [x, weight], () => {
    requireFloat(x, 'prelu');
    const c = weight.numel();
    if (c !== 1 && (x.ndim < 2 || x.shape[1] !== c))
      throw new RangeError(
        `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${c} and channel size = ${x.ndim < 2 ? 1 : x.shape[1]}.`,
      );
    const w =
      c === 1
        ? reshape(weight, [])
        : reshape(
            weight,
            x.shape.map((s, i) => (i === 1 ? s : 1)),
          );
    const zero = scalar(0, x.dtype);
    const out = binaryKernel('add', unaryKernel('relu', x), binaryKernel('mul', binaryKernel('minimum', x, zero), w));
    return record('PreluBackward0', out, [x, w], (g) => {
      // PyTorch's gradient: g where x > 0, g · weight elsewhere (NaN included).
      const pos = binaryKernel('gt', x, zero, g.dtype);
      const notPos = unaryKernel('logicalNot', binaryKernel('gt', x, zero));
      const gx = binaryKernel(
        'add',
        binaryKernel('mul', g, pos),
        binaryKernel('mul', binaryKernel('mul', g, w), notPos, g.dtype),
      );
      const gw = sumToShape(binaryKernel('mul', g, binaryKernel('mul', x, notPos, g.dtype)), w.shape);
      return [gx, gw];
    });
  });
}
