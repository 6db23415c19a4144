/**
 * Learning-rate schedulers, stepped once per epoch.
 * @pytorch `torch.optim.lr_scheduler`
 * @module
 */
import type { Optimizer } from './optimizer.js';

/** Any optimizer whose groups have a learning rate. */
export type AnyOptimizer = Optimizer<{ lr: number }>;

/** A scheduler's state: the epochs stepped and the last rates. */
export interface SchedulerState {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
}

/**
 * Base class of the learning-rate schedulers: `step()` once per epoch sets each group's `lr`.
 * @pytorch `torch.optim.lr_scheduler.LRScheduler`
 */
export abstract class LRScheduler {
  lastEpoch: number;
  readonly baseLrs: number[];
  protected lastLr: number[];

  constructor(readonly optimizer: AnyOptimizer) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.lastEpoch = 0;
    this.lastLr = [...this.baseLrs];
  }

  protected abstract nextLrs(): number[];

  /**
   * Advances one epoch and sets each group's learning rate.
   * @pytorch `torch.optim.lr_scheduler.LRScheduler.step`
   */
  step(): void {
    this.lastEpoch++;
    const lrs = this.nextLrs();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  /**
   * The learning rate of each group as last set.
   * @pytorch `torch.optim.lr_scheduler.LRScheduler.get_last_lr`
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The state to save: epochs stepped, base and last rates.
   * @pytorch `torch.optim.lr_scheduler.LRScheduler.state_dict`
   */
  stateDict(): SchedulerState {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /**
   * Restores a state from `stateDict`.
   * @pytorch `torch.optim.lr_scheduler.LRScheduler.load_state_dict`
   */
  loadStateDict(s: SchedulerState): void {
    this.lastEpoch = s.lastEpoch;
    this.lastLr = [...s.lastLr];
  }
}

/**
 * Multiplies the learning rate by `gamma` every `stepSize` calls to step().
 * @pytorch `torch.optim.lr_scheduler.StepLR`
 */
export class StepLR extends LRScheduler {
  readonly gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    readonly stepSize: number,
    opts: { gamma?: number } = {},
  ) {
    super(optimizer);
    if (!(Number.isInteger(stepSize) && stepSize > 0))
      throw new RangeError(`StepLR stepSize must be a positive integer, got ${stepSize}`);
    this.gamma = opts.gamma ?? 0.1;
  }

  protected nextLrs(): number[] {
    const current = this.optimizer.paramGroups.map((g) => g.lr);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return current;
    return current.map((lr) => lr * this.gamma);
  }
}
