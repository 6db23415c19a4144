// Batch normalisation. The running statistics are updated by backend calls, so a compiled step
// sees the writes (and replays through autograd: they change state outside the step).
import { add, div, mul, sqrt, sub } from '../autograd/ops/elementwise.js';
import { mean } from '../autograd/ops/reduce.js';
import { contiguous, permute, reshape } from '../autograd/ops/shape.js';
import { noGrad } from '../autograd/grad_mode.js';
import { backend } from '../backend/index.js';
import { full, ones, zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';
import { py, pyFloat } from './python_repr.js';
import { Parameter } from './parameter.js';
import { requireFloat } from './tensor_args.js';

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

abstract class BatchNorm extends Module {
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
    requireFloat(x, this.constructor.name);
    if (!this.inputDims.includes(x.ndim) || x.shape[1] !== this.numFeatures)
      throw new RangeError(
        `${this.constructor.name}(${this.numFeatures}) expects ${this.inputDims.map((d) => `${d}-d`).join(' or ')} input with ${this.numFeatures} channels in dim 1, got ${formatShape(x.shape)}`,
      );
    const c = this.numFeatures;
    const shape = x.shape.map((d, i) => (i === 1 ? c : 1));
    const useBatch = this.training || !this.trackRunningStats;
    let m: Tensor;
    let v: Tensor;
    if (useBatch) {
      // [C, everything else]: the statistics of each channel over the batch and the positions.
      const dims = [1, 0, ...x.shape.slice(2).map((_, i) => i + 2)];
      const rows = reshape(contiguous(permute(x, dims)), [c, -1]);
      const count = rows.shape[1];
      if (this.training && count <= 1)
        throw new RangeError(
          `Expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`,
        );
      m = mean(rows, 1);
      const centred = sub(rows, reshape(m, [c, 1]));
      v = mean(mul(centred, centred), 1);
      if (this.training && this.trackRunningStats) this.updateRunningStats(m, v, count);
    } else {
      m = this.running_mean!;
      v = this.running_var!;
    }
    let y = div(sub(x, reshape(m, shape)), reshape(sqrt(add(v, this.eps)), shape));
    if (this.weight && this.bias) y = add(mul(y, reshape(this.weight, shape)), reshape(this.bias, shape));
    return y;
  }

  /** running = (1 - momentum) running + momentum batch, the variance unbiased; momentum null averages every batch. */
  private updateRunningStats(m: Tensor, v: Tensor, count: number): void {
    noGrad(() => {
      const tracked = this.num_batches_tracked!;
      backend().binary('add', tracked.data, [], Float64Array.of(1), [], tracked.data, []);
      const factor = this.momentum ?? 1 / tracked.data[0];
      const unbiased = mul(v, count / (count - 1));
      for (const [running, batch] of [
        [this.running_mean!, m],
        [this.running_var!, unbiased],
      ] as const) {
        const scaled = mul(running, 1 - factor);
        const blended = add(scaled, mul(batch.to(running.dtype), factor));
        backend().copy(blended.values(), running.data);
      }
    });
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
