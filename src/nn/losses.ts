// The classification losses. Every intermediate that depends on the targets is written by a
// backend call, so a compiled step that replays the calls recomputes it for each batch.
import { reportLossDenominator } from '../autograd/loss_denominator.js';
import { add, mul, neg } from '../autograd/ops/elementwise.js';
import { sum } from '../autograd/ops/reduce.js';
import { permute, reshape } from '../autograd/ops/shape.js';
import { record } from '../autograd/record.js';
import { backend, type FloatArray } from '../backend/index.js';
import { full } from '../tensor/creation.js';
import { allocate, isFloating } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { logSoftmax } from './softmax.js';
import { floats, requireFloat } from './tensor_args.js';

/**
 * How a loss combines its per-sample values.
 * @pytorch `reduction`
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * The keyword arguments of `F.nllLoss` and `F.crossEntropy`: `reduction` (`'mean'`), `weight` and
 * `ignoreIndex` (-100); `F.crossEntropy` also takes `labelSmoothing` (0).
 * @pytorch `torch.nn.functional.nll_loss`
 */
export interface LossOptions {
  reduction?: Reduction;
  /** A weight for each class, a 1-d float tensor of C values; the mean divides by the targets' weights. */
  weight?: Tensor | null;
  /** Targets of this class add nothing to the loss, its gradient or the mean's denominator. */
  ignoreIndex?: number;
  /** `F.crossEntropy` only: the target mixed with the uniform distribution, (1 - ε) target + ε / C. */
  labelSmoothing?: number;
}

const IGNORE_DEFAULT = -100;

interface Rows {
  /** The input as [M, C] rows (class dim last). */
  rows: Tensor;
  /** The target as M class indices, or as [M, C] probabilities. */
  target: Tensor;
  /** The shape of the unreduced loss. */
  noneShape: number[];
}

/** `[C]`, `[N, C]` or `[N, C, d1, ...]` input with its target as rows of C classes. */
function asRows(where: string, input: Tensor, target: Tensor, probabilities: boolean): Rows {
  if (input.ndim === 0)
    throw new RangeError(`${where}: input must have at least 1 dim (the classes), got a 0-d tensor`);
  const c = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const noneShape = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  const expected = probabilities ? input.shape : noneShape;
  if (!sameShape(target.shape, expected)) {
    throw new RangeError(
      `${where}: ${probabilities ? 'probability targets' : 'class targets'} must have shape ${formatShape(expected)} for input ${formatShape(input.shape)}, got ${formatShape(target.shape)}`,
    );
  }
  const toLast = (t: Tensor) => (t.ndim > 2 ? permute(t, [0, ...t.shape.slice(2).map((_, i) => i + 2), 1]) : t);
  return {
    rows: reshape(toLast(input), [-1, c]),
    target: probabilities ? reshape(toLast(target), [-1, c]) : reshape(target, [-1]),
    noneShape,
  };
}

function checkLossOptions(
  where: string,
  opts: LossOptions,
  c: number,
  smoothing: boolean,
): Required<Omit<LossOptions, 'weight'>> & { weight: Tensor | null } {
  checkOptions(where, opts, ['reduction', 'weight', 'ignoreIndex', ...(smoothing ? ['labelSmoothing'] : [])], {
    sizeAverage: null,
    reduce: null,
  });
  const reduction = opts.reduction ?? 'mean';
  if (!['mean', 'sum', 'none'].includes(reduction))
    throw new RangeError(`${where}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  const weight = opts.weight ?? null;
  if (weight !== null) {
    if (!(weight instanceof Tensor) || weight.ndim !== 1 || weight.shape[0] !== c || !isFloating(weight.dtype))
      throw new RangeError(
        `${where}: weight must be a 1-d float tensor of ${c} values (one per class), got ${weight instanceof Tensor ? `${weight.dtype} ${formatShape(weight.shape)}` : typeof weight}`,
      );
  }
  const ignoreIndex = opts.ignoreIndex ?? IGNORE_DEFAULT;
  if (!Number.isInteger(ignoreIndex))
    throw new RangeError(`${where}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const labelSmoothing = opts.labelSmoothing ?? 0;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
    throw new RangeError(`${where}: labelSmoothing must be between 0.0 and 1.0, got ${labelSmoothing}`);
  return { reduction, weight, ignoreIndex, labelSmoothing };
}

/** The weight of each class as the input's dtype, or null. */
function weightValues(weight: Tensor | null, input: Tensor): FloatArray | null {
  return weight === null ? null : floats(weight.dtype === input.dtype ? weight.contiguous() : weight.to(input.dtype));
}

/** Per-row NLL of class targets, and the rows' weights (0 where ignored), both [M]. */
function nllRows(logp: Tensor, target: Tensor, weight: FloatArray | null, ignoreIndex: number): [Tensor, Tensor] {
  const [m, c] = logp.shape;
  const tv = target.contiguous().values();
  const perRow = new Tensor(allocate(logp.dtype, m), [m], logp.dtype);
  const rowWeight = new Tensor(allocate(logp.dtype, m), [m], logp.dtype);
  backend().nllLoss(
    floats(logp),
    tv,
    perRow.data as FloatArray,
    m,
    c,
    weight,
    ignoreIndex,
    rowWeight.data as FloatArray,
  );
  const loss = record('NllLossBackward0', perRow, [logp], (g) => {
    const dx = Tensor.empty(logp.shape, g.dtype);
    backend().nllLossBackward(floats(g.contiguous()), tv, dx.data as FloatArray, m, c, weight, ignoreIndex);
    return [dx];
  });
  return [loss, rowWeight];
}

/**
 * The per-row losses summed, or divided by the denominator for a mean, as one graph node whose
 * gradient is written dense (g / denominator for every row): the replayed step of a small model
 * spends its time on such calls.
 */
function reduce(perRow: Tensor, reduction: Reduction, noneShape: number[], denominator: () => Tensor): Tensor {
  if (reduction === 'none') return reshape(perRow, noneShape);
  const n = perRow.numel();
  const rows = perRow.contiguous();
  const out = Tensor.empty([], perRow.dtype);
  backend().reduce('sum', rows.values(), 1, n, 1, out.data);
  const by = reduction === 'mean' ? denominator().values() : Float32Array.of(1);
  if (reduction === 'mean') backend().binary('div', out.data, [], by, [], out.data, []);
  return record(reduction === 'mean' ? 'MeanBackward0' : 'SumBackward0', out, [rows], (g) => {
    const dRows = Tensor.empty([n], g.dtype);
    backend().binary('div', g.values(), [], by, [], dRows.data, [n]);
    return [dRows];
  });
}

/** The sum of the rows' weights, which a mean divides by (through the backend, so traces replay it). */
function total(rowWeight: Tensor): Tensor {
  const out = Tensor.empty([], rowWeight.dtype);
  backend().reduce('sum', rowWeight.values(), 1, rowWeight.numel(), 1, out.data);
  reportLossDenominator(out);
  return out;
}

/**
 * The negative log-likelihood of class targets under log-probabilities: input `[N, C]`, `[C]` or
 * `[N, C, d1, ...]` with integer targets of shape `[N]`, `[]` or `[N, d1, ...]`.
 * @pytorch `torch.nn.functional.nll_loss`
 */
export function nllLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  requireFloat(input, 'nllLoss');
  const c = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const o = checkLossOptions('nllLoss', opts, c, false);
  if (isFloating(target.dtype))
    throw new TypeError(`nllLoss expects integer class targets (int64), got ${target.dtype}`);
  const { rows, target: t, noneShape } = asRows('nllLoss', input, target, false);
  const [perRow, rowWeight] = nllRows(rows, t, weightValues(o.weight, input), o.ignoreIndex);
  return reduce(perRow, o.reduction, noneShape, () => total(rowWeight));
}

/**
 * `nllLoss(logSoftmax(input, classDim), target)` for class targets, or the cross entropy with
 * probability targets of the input's shape; `labelSmoothing` mixes either with the uniform distribution.
 * @pytorch `torch.nn.functional.cross_entropy`
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  requireFloat(input, 'crossEntropy');
  const c = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const o = checkLossOptions('crossEntropy', opts, c, true);
  const probabilities = isFloating(target.dtype);
  const logp = logSoftmax(input, input.ndim === 1 ? 0 : 1);
  const { rows, target: t, noneShape } = asRows('crossEntropy', logp, target, probabilities);
  const m = rows.shape[0];
  const weight = weightValues(o.weight, input);
  const weighted = (x: Tensor) => (weight ? mul(x, new Tensor(weight, [c], input.dtype)) : x);
  const eps = o.labelSmoothing;
  if (probabilities) {
    const q = eps > 0 ? add(mul(t, 1 - eps), eps / c) : t;
    const perRow = neg(sum(weighted(mul(rows, q)), 1));
    return reduce(perRow, o.reduction, noneShape, () => full([], m, { dtype: input.dtype }));
  }
  const [nll, rowWeight] = nllRows(rows, t, weight, o.ignoreIndex);
  if (eps === 0) return reduce(nll, o.reduction, noneShape, () => total(rowWeight));
  // PyTorch's smoothing term: -sum_c w_c logp_c per row, 0 on ignored rows; its mean divides by the
  // targets' weights, as the NLL term's does.
  const kept = Tensor.empty([m], input.dtype);
  backend().binary('ne', t.contiguous().values(), [m], Float64Array.of(o.ignoreIndex), [], kept.data, [m]);
  const smooth = mul(neg(sum(weighted(rows), 1)), kept);
  let denominatorTensor: Tensor | null = null;
  const denominator = () => (denominatorTensor ??= total(rowWeight));
  const smoothed = reduce(smooth, o.reduction, noneShape, denominator);
  const main = reduce(nll, o.reduction, noneShape, denominator);
  return add(mul(main, 1 - eps), mul(smoothed, eps / c));
}
