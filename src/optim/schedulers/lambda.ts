// Schedules given as functions of the epoch: LambdaLR (a factor of the initial rate) and
// MultiplicativeLR (a factor of the current one).
import { checkOptions } from '../../util/options.js';
import { LRScheduler, perGroup, type AnyOptimizer } from './base.js';
import type { SchedulerOptions } from './step.js';

/** A function of the epoch giving a factor. */
export type LrLambda = (epoch: number) => number;

function lambdas(where: string, optimizer: AnyOptimizer, fn: LrLambda | readonly LrLambda[]): LrLambda[] {
  const list = perGroup(optimizer, 'lrLambda', fn);
  if (!list.every((f) => typeof f === 'function'))
    throw new TypeError(`${where}: lrLambda must be a function or a list of functions`);
  return list;
}

/**
 * Sets each group's rate to its initial rate times `lrLambda(epoch)` (one function, or one per group).
 * The functions are not part of `stateDict`, as in PyTorch.
 * @pytorch `torch.optim.lr_scheduler.LambdaLR`
 */
export class LambdaLR extends LRScheduler {
  private readonly lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[], opts: SchedulerOptions = {}) {
    checkOptions('LambdaLR', opts, ['lastEpoch', 'verbose']);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.lrLambdas = lambdas('LambdaLR', optimizer, lrLambda);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }
}

/**
 * Multiplies each group's rate by `lrLambda(epoch)` every epoch after the first.
 * @pytorch `torch.optim.lr_scheduler.MultiplicativeLR`
 */
export class MultiplicativeLR extends LRScheduler {
  private readonly lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[], opts: SchedulerOptions = {}) {
    checkOptions('MultiplicativeLR', opts, ['lastEpoch', 'verbose']);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.lrLambdas = lambdas('MultiplicativeLR', optimizer, lrLambda);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch <= 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }
}
