/**
 * Weight averaging: AveragedModel keeps a running average (SWA) or an exponential moving average
 * (EMA) of a model's weights, and updateBn recomputes BatchNorm statistics for averaged weights.
 * @pytorch `torch.optim.swa_utils`
 * @module
 */
import { noGrad } from '../autograd/grad_mode.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { deepCopyModule } from '../nn/copy_module.js';
import { Module } from '../nn/module.js';
import { full, ones, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';

/** How an averaged value moves toward the model's: `(averaged, model, numAveraged) => new averaged`. */
export type AvgFn = (averaged: Tensor, model: Tensor, numAveraged: number) => Tensor;

/** The equal-weight running mean SWA takes (PyTorch's default `avg_fn`). */
export const swaAvgFn: AvgFn = (averaged, model, n) => averaged.add(model.sub(averaged).div(n + 1));

/** An exponential moving average: `decay * averaged + (1 - decay) * model`. */
export function emaAvgFn(decay = 0.999): AvgFn {
  if (!(decay >= 0 && decay <= 1)) throw new RangeError(`emaAvgFn: decay must be in [0, 1], got ${decay}`);
  return (averaged, model) => averaged.mul(decay).add(model.mul(1 - decay));
}

/** AveragedModel's options. */
export interface AveragedModelOptions {
  /** How each update averages (default: SWA's running mean; `emaAvgFn(decay)` for EMA). */
  avgFn?: AvgFn;
  /** Average the buffers (BatchNorm's running statistics) too, instead of recomputing them with updateBn. */
  useBuffers?: boolean;
}

/**
 * A copy of `model` whose weights are the average of those given to `updateParameters(model)`;
 * its state dict holds `n_averaged` and `module.*`, as PyTorch's.
 * @pytorch `torch.optim.swa_utils.AveragedModel`
 */
export class AveragedModel<M extends Module = Module> extends Module {
  readonly module: M;
  private readonly avgFn: AvgFn;
  readonly useBuffers: boolean;

  constructor(model: M, opts: AveragedModelOptions = {}) {
    super();
    checkOptions('AveragedModel', opts, ['avgFn', 'useBuffers'], { device: null });
    this.module = deepCopyModule(model);
    this.registerBuffer('n_averaged', full([], 0, { dtype: 'int64' }));
    this.avgFn = opts.avgFn ?? swaAvgFn;
    this.useBuffers = opts.useBuffers ?? false;
  }

  /** How many models have been averaged in. */
  get nAveraged(): number {
    return (this as unknown as { n_averaged: Tensor }).n_averaged.item();
  }

  forward(...inputs: Tensor[]): Tensor {
    return this.module.forward(...inputs);
  }

  private tensorsOf(m: Module): Tensor[] {
    return this.useBuffers ? [...m.parameters(), ...m.buffers()] : m.parameters();
  }

  /**
   * Averages `model`'s current weights in (the first call copies them).
   * @pytorch `torch.optim.swa_utils.AveragedModel.update_parameters`
   */
  updateParameters(model: M): void {
    const mine = this.tensorsOf(this.module);
    const theirs = this.tensorsOf(model);
    if (mine.length !== theirs.length)
      throw new RangeError(
        `AveragedModel.updateParameters: the model has ${theirs.length} tensors, the average ${mine.length}; pass the model it was made from`,
      );
    const n = this.nAveraged;
    noGrad(() => {
      mine.forEach((avg, i) => {
        const source = theirs[i].detach();
        if (avg.shape.join() !== source.shape.join())
          throw new RangeError(
            `AveragedModel.updateParameters: tensor ${i} has shape [${source.shape.join(', ')}], the average [${avg.shape.join(', ')}]`,
          );
        if (n === 0) avg.data.set(source.contiguous().values());
        else if (avg.dtype.startsWith('float')) avg.data.set(this.avgFn(avg, source, n).contiguous().values());
        // An integer buffer (num_batches_tracked) takes the average truncated, as copy_ into a long does.
        else avg.data.set(this.avgFn(avg.to('float64'), source.to('float64'), n).values().map(Math.trunc));
      });
    });
    (this as unknown as { n_averaged: Tensor }).n_averaged = full([], n + 1, { dtype: 'int64' });
  }
}

/**
 * Recomputes the running statistics of every BatchNorm in `model` with one pass over `loader`
 * (a cumulative average, in train mode, without gradients); the model's mode and momenta are
 * restored afterwards.
 * @pytorch `torch.optim.swa_utils.update_bn`
 */
export function updateBn(loader: Iterable<Tensor | readonly Tensor[]>, model: Module): void {
  const norms = [...model.modules()].filter((m): m is BatchNorm => m instanceof BatchNorm && m.trackRunningStats);
  if (norms.length === 0) return;
  type Writable = { momentum: number | null; running_mean: Tensor; running_var: Tensor; num_batches_tracked: Tensor };
  const momenta = norms.map((m) => m.momentum);
  for (const m of norms) {
    const w = m as unknown as Writable;
    w.running_mean.data.set(zeros([m.numFeatures]).values());
    w.running_var.data.set(ones([m.numFeatures]).values());
    w.num_batches_tracked.data.fill(0);
    w.momentum = null;
  }
  const wasTraining = model.training;
  model.train();
  try {
    noGrad(() => {
      for (const batch of loader) model.forward(Array.isArray(batch) ? (batch as Tensor[])[0] : (batch as Tensor));
    });
  } finally {
    norms.forEach((m, i) => ((m as unknown as Writable).momentum = momenta[i]));
    model.train(wasTraining);
  }
}
