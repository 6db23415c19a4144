// The regression, binary and divergence losses, built from differentiable primitives; branches
// (smooth L1's two pieces) are weighted by comparison masks, which carry no gradient.
import { abs, add, clamp, compare, div, exp, log, mul, neg, sub } from '../autograd/ops/elementwise.js';
import { mean, sum } from '../autograd/ops/reduce.js';
import { record } from '../autograd/record.js';
import { isFloating } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import type { Reduction } from './losses.js';

/**
 * The keyword arguments of the elementwise losses: `reduction` (`'mean'`), and each loss's own
 * (`beta`, `delta`, `weight`, `posWeight`, `logTarget`).
 * @pytorch `torch.nn.functional.mse_loss`
 */
export interface ElementwiseLossOptions {
  reduction?: Reduction;
}

function prepare(
  where: string,
  input: Tensor,
  target: Tensor,
  opts: object,
  known: readonly string[],
  reductions: readonly string[] = ['mean', 'sum', 'none'],
): string {
  checkOptions(where, opts, ['reduction', ...known], { sizeAverage: null, reduce: null });
  const reduction = (opts as { reduction?: string }).reduction ?? 'mean';
  if (!reductions.includes(reduction))
    throw new RangeError(
      `${where}: reduction must be one of ${reductions.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`,
    );
  if (!isFloating(input.dtype)) throw new TypeError(`${where} expects a floating point input, got ${input.dtype}`);
  if (!sameShape(input.shape, target.shape))
    throw new RangeError(
      `${where}: target ${formatShape(target.shape)} must have the input's shape ${formatShape(input.shape)} (PyTorch would broadcast them with a warning)`,
    );
  return reduction;
}

function reduce(loss: Tensor, reduction: string): Tensor {
  return reduction === 'none' ? loss : reduction === 'sum' ? sum(loss) : mean(loss);
}

/** 1 - t. */
const oneMinus = (t: Tensor) => add(neg(t), 1);

/** A float tensor of the input's dtype, for targets and weights given in another one. */
const like = (t: Tensor, input: Tensor) => (t.dtype === input.dtype ? t : t.to(input.dtype));

/**
 * The mean (or sum) of the squared differences.
 * @pytorch `torch.nn.functional.mse_loss`
 */
export function mseLoss(input: Tensor, target: Tensor, opts: ElementwiseLossOptions = {}): Tensor {
  const reduction = prepare('mseLoss', input, target, opts, []);
  const d = sub(input, like(target, input));
  return reduce(mul(d, d), reduction);
}

/**
 * The mean (or sum) of the absolute differences.
 * @pytorch `torch.nn.functional.l1_loss`
 */
export function l1Loss(input: Tensor, target: Tensor, opts: ElementwiseLossOptions = {}): Tensor {
  const reduction = prepare('l1Loss', input, target, opts, []);
  return reduce(abs(sub(input, like(target, input))), reduction);
}

/** Where |d| < t: `inside(d)`, elsewhere `outside(d)`, with the mask as a constant. */
function piecewise(d: Tensor, t: number, inside: (d: Tensor) => Tensor, outside: (d: Tensor) => Tensor): Tensor {
  const a = abs(d);
  const small = compare('lt', a, t).to(d.dtype);
  return add(mul(inside(d), small), mul(outside(a), oneMinus(small)));
}

/** `{ beta }` for smooth L1 (1 by default); `{ delta }` for Huber (1 by default). */
export interface SmoothL1Options extends ElementwiseLossOptions {
  beta?: number;
}

/**
 * 0.5 d² / beta where |d| < beta, |d| - 0.5 beta elsewhere (beta 0 is the L1 loss).
 * @pytorch `torch.nn.functional.smooth_l1_loss`
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const reduction = prepare('smoothL1Loss', input, target, opts, ['beta']);
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new RangeError(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  const d = sub(input, like(target, input));
  if (beta === 0) return reduce(abs(d), reduction);
  const loss = piecewise(
    d,
    beta,
    (x) => mul(mul(x, x), 0.5 / beta),
    (a) => sub(a, 0.5 * beta),
  );
  return reduce(loss, reduction);
}

/** `{ delta }` for the Huber loss (1 by default). */
export interface HuberOptions extends ElementwiseLossOptions {
  delta?: number;
}

/**
 * 0.5 d² where |d| < delta, delta (|d| - 0.5 delta) elsewhere.
 * @pytorch `torch.nn.functional.huber_loss`
 */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const reduction = prepare('huberLoss', input, target, opts, ['delta']);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new RangeError(`huberLoss: delta must be positive, got ${delta}`);
  const d = sub(input, like(target, input));
  const loss = piecewise(
    d,
    delta,
    (x) => mul(mul(x, x), 0.5),
    (a) => mul(sub(a, 0.5 * delta), delta),
  );
  return reduce(loss, reduction);
}

/** `{ weight }`: a rescaling weight for each element, broadcast over the input. */
export interface BCEOptions extends ElementwiseLossOptions {
  weight?: Tensor | null;
}

/**
 * -w (y log x + (1 - y) log(1 - x)) for probabilities x, each log clamped at -100 as PyTorch does,
 * with PyTorch's gradient w (x - y) / max(x (1 - x), 1e-12).
 * @pytorch `torch.nn.functional.binary_cross_entropy`
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}): Tensor {
  const reduction = prepare('binaryCrossEntropy', input, target, opts, ['weight']);
  const x = input.detach();
  const y = like(target, input).detach();
  const v = x.values();
  for (let i = 0; i < v.length; i++)
    if (!(v[i] >= 0 && v[i] <= 1))
      throw new RangeError(`binaryCrossEntropy: all elements of input should be between 0 and 1, got ${v[i]}`);
  const w = opts.weight ? like(opts.weight, input).detach() : null;
  let perElement = neg(add(mul(y, clamp(log(x), -100)), mul(oneMinus(y), clamp(log(oneMinus(x)), -100))));
  if (w) perElement = mul(perElement, w);
  const loss = record('BinaryCrossEntropyBackward0', perElement.detach(), [input], (g) => {
    let grad = div(mul(g, sub(x, y)), clamp(mul(x, oneMinus(x)), 1e-12));
    if (w) grad = mul(grad, w);
    return [grad];
  });
  return reduce(loss, reduction);
}

/** `{ weight, posWeight }`: weights for each element and for the positive class of each column. */
export interface BCEWithLogitsOptions extends BCEOptions {
  posWeight?: Tensor | null;
}

/**
 * The binary cross entropy of sigmoid(input), computed stably from the logits:
 * (1 - y) x + l (log(e^-m + e^(-x-m)) + m) with m = max(-x, 0) and l = 1 + (posWeight - 1) y.
 * @pytorch `torch.nn.functional.binary_cross_entropy_with_logits`
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  const reduction = prepare('binaryCrossEntropyWithLogits', input, target, opts, ['weight', 'posWeight']);
  const y = like(target, input);
  const m = clamp(neg(input), 0);
  const softplus = add(log(add(exp(neg(m)), exp(sub(neg(input), m)))), m);
  const logWeight = opts.posWeight ? add(mul(sub(like(opts.posWeight, input), 1), y), 1) : null;
  let loss = add(mul(oneMinus(y), input), logWeight ? mul(logWeight, softplus) : softplus);
  if (opts.weight) loss = mul(loss, like(opts.weight, input));
  return reduce(loss, reduction);
}

/** `{ logTarget }`: the target given as log-probabilities (false by default). */
export interface KLDivOptions {
  /** `'batchmean'` divides the sum by the batch size, the mathematically right mean. */
  reduction?: Reduction | 'batchmean';
  logTarget?: boolean;
}

/**
 * The Kullback-Leibler divergence of the target from log-probabilities `input`:
 * y (log y - x) (0 where y is 0), or e^y (y - x) with `logTarget`.
 * @pytorch `torch.nn.functional.kl_div`
 */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  const reduction = prepare('klDiv', input, target, opts, ['logTarget'], ['mean', 'sum', 'none', 'batchmean']);
  const y = like(target, input);
  let loss: Tensor;
  if (opts.logTarget) loss = mul(exp(y), sub(y, input));
  else {
    // y log y is 0 where y is 0: log(y + [y == 0]) is log 1 there.
    const zero = compare('eq', y, 0).to(input.dtype);
    loss = sub(mul(y, log(add(y, zero))), mul(y, input));
  }
  if (reduction === 'batchmean') return input.ndim === 0 ? sum(loss) : div(sum(loss), input.shape[0]);
  return reduce(loss, reduction);
}
