// What `fit` does around each optimizer update: gradient clipping before it, and the learning-rate
// scheduler after each batch (OneCycleLR, CyclicLR) or after each epoch's test (the others;
// ReduceLROnPlateau is given the test loss).
import { clipGradNorm_ } from '../nn/utils.js';
import type { Optimizer } from '../optim/optimizer.js';
import { CyclicLR, OneCycleLR, ReduceLROnPlateau, type Scheduler } from '../optim/lr_scheduler.js';
import type { FitOptions } from './fit_options.js';

/** Whether `scheduler` steps per batch or per epoch in `fit`. */
export function schedulerInterval(
  s: Scheduler | undefined,
  opts: Pick<FitOptions, 'schedulerInterval' | 'optimizer'>,
): 'batch' | 'epoch' | null {
  if (!s) return null;
  const interval = opts.schedulerInterval ?? (s instanceof OneCycleLR || s instanceof CyclicLR ? 'batch' : 'epoch');
  if (interval !== 'batch' && interval !== 'epoch')
    throw new RangeError(`fit: schedulerInterval must be 'batch' or 'epoch', got ${JSON.stringify(interval)}`);
  if (interval === 'batch' && s instanceof ReduceLROnPlateau)
    throw new RangeError(
      "fit: ReduceLROnPlateau watches the test loss, once per epoch; schedulerInterval 'batch' does not fit it",
    );
  if (s.optimizer !== opts.optimizer)
    throw new RangeError("fit: the scheduler belongs to another optimizer than fit's");
  return interval;
}

/** Steps the scheduler at the end of an epoch, after its test. */
export function stepAfterEpoch(scheduler: Scheduler, testLoss: number | undefined): void {
  if (scheduler instanceof ReduceLROnPlateau) {
    if (testLoss === undefined)
      throw new RangeError('fit: ReduceLROnPlateau needs a testLoader, whose loss it watches');
    scheduler.step(testLoss);
  } else scheduler.step();
}

/** The gradient clipping `fit` applies: a maximum norm, and its order (2 by default). */
export type ClipOption = number | { maxNorm: number; normType?: number };

/** The optimizer `fit`'s step updates through: `optimizer` itself, or one that clips the gradients first. */
export function clippingOptimizer<O extends object>(
  optimizer: Optimizer<O>,
  clip: ClipOption | undefined,
): Optimizer<O> {
  if (clip === undefined) return optimizer;
  const { maxNorm, normType = 2 } = typeof clip === 'number' ? { maxNorm: clip } : clip;
  if (!(maxNorm > 0)) throw new RangeError(`fit: clipGradNorm must be a positive norm, got ${maxNorm}`);
  const params = optimizer.paramGroups.flatMap((g) => g.params);
  const clipped = Object.create(optimizer) as Optimizer<O>;
  clipped.step = () => {
    clipGradNorm_(
      params.filter((p) => p.grad),
      maxNorm,
      normType,
    );
    optimizer.step();
  };
  return clipped;
}
