// Batch normalisation: one autograd node over three kernels (statistics with the running update,
// the per-channel affine map, the backward), as PyTorch's CPU implementation computes them.
import { reportedCall } from '../autograd/call_trace.js';
import { record } from '../autograd/record.js';
import { backend, type FloatArray } from '../backend/index.js';
import { full, ones, zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';
import { py, pyFloat } from './python_repr.js';
import { Parameter } from './parameter.js';
import { floats, requireFloat } from './tensor_args.js';
import { className } from '../util/class_name.js';

/**
 * `F.batchNorm`'s keyword arguments: `weight`, `bias` (none), `training` (false), `momentum`
 * (0.1), `eps` (1e-5).
 * @pytorch `torch.nn.functional.batch_norm`
 */
export interface BatchNormFunctionalOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

function requireChannels(t: Tensor | null, x: Tensor, c: number, what: string): void {
  if (!t) return;
  if (t.numel() !== c)
    throw new RangeError(`batchNorm: ${what} has ${t.numel()} elements, expected ${c} (the input's channels)`);
  if (t.dtype !== x.dtype)
    throw new TypeError(`batchNorm: ${what} is ${t.dtype} but the input is ${x.dtype}; convert one with .to()`);
}

/**
 * Normalises each channel (dim 1) of x by the batch's statistics (`training`, updating the
 * running ones given) or by `runningMean`/`runningVar`. `tracked` (a module's
 * num_batches_tracked) is incremented with the running statistics; a null `momentum` then
 * averages every batch so far.
 */
export function batchNormWithTracking(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  tracked: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  training: boolean,
  momentum: number | null,
  eps: number,
): Tensor {
  requireFloat(x, 'batchNorm');
  if (x.ndim < 2) throw new RangeError(`batchNorm expects input of 2 or more dims, got ${formatShape(x.shape)}`);
  const [n, c] = x.shape;
  const hw = x.numel() / Math.max(1, n * c);
  requireChannels(runningMean, x, c, 'running_mean');
  requireChannels(runningVar, x, c, 'running_var');
  requireChannels(weight, x, c, 'weight');
  requireChannels(bias, x, c, 'bias');
  if (!training && (!runningMean || !runningVar))
    throw new RangeError('batchNorm: running_mean and running_var are needed when training is false');
  if (training && n * hw <= 1)
    throw new RangeError(
      `Expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`,
    );
  const xv = floats(x);
  const out = Tensor.empty(x.shape, x.dtype);
  const wv = weight ? floats(weight) : null;
  const bv = bias ? floats(bias) : null;
  let mean: FloatArray;
  let stat: FloatArray;
  if (training) {
    const m = Tensor.empty([c], x.dtype);
    const inv = Tensor.empty([c], x.dtype);
    [mean, stat] = [m.data as FloatArray, inv.data as FloatArray];
    const track = runningMean && runningVar;
    backend().batchNormStats(
      xv,
      mean,
      stat,
      track ? (runningMean.data as FloatArray) : null,
      track ? (runningVar.data as FloatArray) : null,
      track && tracked ? (tracked.data as Float64Array) : null,
      n,
      c,
      hw,
      eps,
      momentum,
    );
  } else {
    [mean, stat] = [floats(runningMean!), floats(runningVar!)];
  }
  backend().batchNormApply(xv, mean, stat, wv, bv, out.data as FloatArray, n, c, hw, eps, !training);
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record('NativeBatchNormBackward0', out, inputs, (gy) => {
    const dx = x.requiresGrad ? Tensor.empty(x.shape, x.dtype) : null;
    const dw = weight?.requiresGrad ? Tensor.empty([c], x.dtype) : null;
    const db = bias?.requiresGrad ? Tensor.empty([c], x.dtype) : null;
    const data = (t: Tensor | null) => (t ? (t.data as FloatArray) : null);
    backend().batchNormBackward(xv, floats(gy), mean, stat, wv, data(dx), data(dw), data(db), n, c, hw, eps, !training);
    return [dx, ...(weight ? [dw] : []), ...(bias ? [db] : [])];
  });
}

/**
 * Batch normalisation of dim 1, by the batch's statistics when `training` (updating the running
 * statistics given, momentum 0.1) and by the running statistics otherwise.
 * @pytorch `torch.nn.functional.batch_norm`
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  opts: BatchNormFunctionalOptions = {},
): Tensor {
  return reportedCall('batchNorm', [x, runningMean, runningVar, opts], () => {
    checkOptions('batchNorm', opts, ['weight', 'bias', 'training', 'momentum', 'eps']);
    const momentum = opts.momentum ?? 0.1;
    return batchNormWithTracking(
      x,
      runningMean,
      runningVar,
      null,
      opts.weight ?? null,
      opts.bias ?? null,
      opts.training ?? false,
      momentum,
      opts.eps ?? 1e-5,
    );
  });
}

/**
 * BatchNorm's keyword arguments: `eps` (1e-5), `momentum` (0.1; null for a cumulative average),
 * `affine` (true), `trackRunningStats` (true).
 * @pytorch `torch.nn.BatchNorm2d`
 */
export interface BatchNormOptions {
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

export abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(
    readonly numFeatures: number,
    opts: BatchNormOptions,
    where: string,
    private readonly inputDims: readonly number[],
  ) {
    super();
    checkOptions(where, opts, ['eps', 'momentum', 'affine', 'trackRunningStats']);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures])) : null;
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([numFeatures]) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? full([], 0, { dtype: 'int64' }) : null);
  }

  /**
   * Normalises each channel by the batch's statistics in training mode (updating the running
   * ones), by the running statistics in evaluation mode.
   */
  forward(x: Tensor): Tensor {
    requireFloat(x, className(this));
    if (!this.inputDims.includes(x.ndim) || x.shape[1] !== this.numFeatures)
      throw new RangeError(
        `${className(this)}(${this.numFeatures}) expects ${this.inputDims.map((d) => `${d}-d`).join(' or ')} input with ${this.numFeatures} channels in dim 1, got ${formatShape(x.shape)}`,
      );
    const useBatch = this.training || !this.trackRunningStats;
    const track = this.training && this.trackRunningStats;
    const args = [
      x,
      this.running_mean,
      this.running_var,
      { weight: this.weight, bias: this.bias, training: useBatch, eps: this.eps },
    ];
    return reportedCall('batchNorm', args, () =>
      batchNormWithTracking(
        x,
        useBatch && !track ? null : this.running_mean,
        useBatch && !track ? null : this.running_var,
        track ? this.num_batches_tracked : null,
        this.weight,
        this.bias,
        useBatch,
        this.momentum,
        this.eps,
      ),
    );
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, L] input.
 * @pytorch `torch.nn.BatchNorm1d`
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts, 'nn.BatchNorm1d', [2, 3]);
  }
}

/**
 * Batch normalisation over [N, C, H, W] input.
 * @pytorch `torch.nn.BatchNorm2d`
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts, 'nn.BatchNorm2d', [4]);
  }
}
