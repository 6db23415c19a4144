// Schedules that scale the rate at set epochs or by a set rule: StepLR, MultiStepLR, ConstantLR,
// LinearLR, ExponentialLR, PolynomialLR, with PyTorch 1.13's arithmetic step for step.
import { checkOptions } from '../../util/options.js';
import { factorIn01, LRScheduler, positiveInteger, type AnyOptimizer } from './base.js';

/** Options every scheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch (-1: start afresh). */
  lastEpoch?: number;
  /** Print each change of rate. */
  verbose?: boolean;
}

const COMMON = ['lastEpoch', 'verbose'];

/**
 * Multiplies the learning rate by `gamma` every `stepSize` epochs.
 * @pytorch `torch.optim.lr_scheduler.StepLR`
 */
export class StepLR extends LRScheduler {
  readonly gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    readonly stepSize: number,
    opts: SchedulerOptions & { gamma?: number } = {},
  ) {
    checkOptions('StepLR', opts, ['gamma', ...COMMON]);
    super(optimizer, opts.lastEpoch, opts.verbose);
    positiveInteger('StepLR', 'stepSize', stepSize);
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/**
 * Multiplies the learning rate by `gamma` at each milestone (twice at a milestone listed twice).
 * @pytorch `torch.optim.lr_scheduler.MultiStepLR`
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    milestones: readonly number[],
    opts: SchedulerOptions & { gamma?: number } = {},
  ) {
    checkOptions('MultiStepLR', opts, ['gamma', ...COMMON]);
    super(optimizer, opts.lastEpoch, opts.verbose);
    if (!Array.isArray(milestones) || !milestones.every((m) => Number.isInteger(m)))
      throw new TypeError('MultiStepLR: milestones must be a list of integers');
    this.milestones = Array.from(milestones as readonly number[]).sort((a, b) => a - b);
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const times = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (times === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** times);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}

/**
 * Scales the learning rate by `factor` until epoch `totalIters`, then restores it.
 * @pytorch `torch.optim.lr_scheduler.ConstantLR`
 */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: AnyOptimizer, opts: SchedulerOptions & { factor?: number; totalIters?: number } = {}) {
    checkOptions('ConstantLR', opts, ['factor', 'totalIters', ...COMMON]);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.factor = factorIn01('ConstantLR', 'Constant multiplicative factor', opts.factor ?? 1 / 3);
    this.totalIters = opts.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((lr) => lr * (this.factor + done * (1 - this.factor)));
  }
}

/**
 * Scales the learning rate linearly from `startFactor` to `endFactor` over `totalIters` epochs.
 * @pytorch `torch.optim.lr_scheduler.LinearLR`
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(
    optimizer: AnyOptimizer,
    opts: SchedulerOptions & { startFactor?: number; endFactor?: number; totalIters?: number } = {},
  ) {
    checkOptions('LinearLR', opts, ['startFactor', 'endFactor', 'totalIters', ...COMMON]);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.startFactor = factorIn01('LinearLR', 'Starting multiplicative factor', opts.startFactor ?? 1 / 3);
    this.endFactor = factorIn01('LinearLR', 'Ending multiplicative factor', opts.endFactor ?? 1);
    this.totalIters = opts.totalIters ?? 5;
    if (this.startFactor === 0)
      throw new RangeError(
        'LinearLR: startFactor 0 divides by zero at the first step (PyTorch raises ZeroDivisionError there)',
      );
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groupLrs();
    const d = this.endFactor - this.startFactor;
    return this.groupLrs().map((lr) => lr * (1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }

  protected override closedFormLr(): number[] {
    const d = this.endFactor - this.startFactor;
    return this.baseLrs.map(
      (lr) => lr * (this.startFactor + (d * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters),
    );
  }
}

/**
 * Multiplies the learning rate by `gamma` every epoch.
 * @pytorch `torch.optim.lr_scheduler.ExponentialLR`
 */
export class ExponentialLR extends LRScheduler {
  constructor(
    optimizer: AnyOptimizer,
    readonly gamma: number,
    opts: SchedulerOptions = {},
  ) {
    checkOptions('ExponentialLR', opts, COMMON);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}

/**
 * Decays the learning rate as a polynomial of the epochs left, reaching 0 at `totalIters`.
 * @pytorch `torch.optim.lr_scheduler.PolynomialLR`
 */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: AnyOptimizer, opts: SchedulerOptions & { totalIters?: number; power?: number } = {}) {
    checkOptions('PolynomialLR', opts, ['totalIters', 'power', ...COMMON]);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.totalIters = opts.totalIters ?? 5;
    this.power = opts.power ?? 1;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return this.groupLrs();
    const decay = ((1 - this.lastEpoch / this.totalIters) / (1 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return this.groupLrs().map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map(
      (lr) => lr * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power,
    );
  }
}
