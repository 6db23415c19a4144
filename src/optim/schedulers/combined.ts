// Schedulers made of others: SequentialLR (one after another, switching at milestones) and
// ChainedScheduler (all of them at every step).
import { checkOptions } from '../../util/options.js';
import { initialLrsOf, StatefulScheduler, type AnyOptimizer, type LRScheduler, type Scheduler } from './base.js';

/**
 * Runs `schedulers` one after another: the first until `milestones[0]`, the next from there (started
 * afresh at epoch 0), and so on.
 * @pytorch `torch.optim.lr_scheduler.SequentialLR`
 */
export class SequentialLR extends StatefulScheduler {
  lastEpoch: number;

  constructor(
    readonly optimizer: AnyOptimizer,
    readonly schedulers: LRScheduler[],
    readonly milestones: number[],
    opts: { lastEpoch?: number; verbose?: boolean } = {},
  ) {
    super();
    checkOptions('SequentialLR', opts, ['lastEpoch', 'verbose']);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer)
        throw new RangeError(
          `SequentialLR: Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
    });
    if (milestones.length !== schedulers.length - 1)
      throw new RangeError(
        `SequentialLR: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    this.lastEpoch = (opts.lastEpoch ?? -1) + 1;
    const initial = initialLrsOf(optimizer)!;
    optimizer.paramGroups.forEach((g, i) => (g.lr = initial[i]));
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  /** Steps the scheduler whose turn it is; at a milestone the next one starts at its epoch 0. */
  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }
}

/**
 * Steps every one of `schedulers` at each step, so their effects multiply.
 * @pytorch `torch.optim.lr_scheduler.ChainedScheduler`
 */
export class ChainedScheduler extends StatefulScheduler {
  readonly optimizer: AnyOptimizer;

  constructor(readonly schedulers: Scheduler[]) {
    super();
    if (schedulers.length === 0) throw new RangeError('ChainedScheduler: needs at least one scheduler');
    this.optimizer = schedulers[0].optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== this.optimizer)
        throw new RangeError(
          `ChainedScheduler: ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`,
        );
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps each scheduler in turn. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}
