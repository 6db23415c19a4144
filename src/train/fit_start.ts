// Where a `fit` run starts when nothing is resumed, and the epoch's batches (the interrupted
// epoch's sample order redrawn after a resume).
import type { Scheduler } from '../optim/lr_scheduler.js';
import { defaultGenerator, type Generator, type GeneratorState } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import type { FitCallbacks, FitOptions, Loader } from './fit_options.js';
import { emptyHistory, type History } from './history.js';
import type { RunState } from './run_checkpoint.js';

export interface FitStart {
  history: History;
  /** Checkpoints written so far. */
  serial: number;
  /** The epoch to train next (1-based) and its first batch. */
  epoch: number;
  startBatch: number;
  /** Sum of the train losses of `epoch`'s batches already trained. */
  epochLossSum: number;
  /** The checkpoint resumed from, or null for a fresh run. */
  resumed: RunState | null;
  scheduler: Scheduler | undefined;
}

/** A run from its first batch. */
export function freshStart(scheduler: Scheduler | undefined): FitStart {
  return { history: emptyHistory(), serial: 0, epoch: 1, startBatch: 0, epochLossSum: 0, resumed: null, scheduler };
}

/** The generators a run draws from: the global one, then the loaders' own. */
export function generatorsOf(opts: Pick<FitOptions, 'trainLoader' | 'testLoader'>): Generator[] {
  const list = [defaultGenerator];
  for (const l of [opts.trainLoader, opts.testLoader])
    if (l?.generator && !list.includes(l.generator)) list.push(l.generator);
  return list;
}

/** The callbacks whose state goes into the checkpoints, in order. */
export function statefulCallbacks(callbacks: readonly FitCallbacks[]): FitCallbacks[] {
  return callbacks.filter((c) => c.stateDict !== undefined);
}

/**
 * The batches of an epoch from `startBatch` on, and where the generators stood when it began.
 * The first epoch after a resume redraws the interrupted epoch's sample order, then continues the
 * generators from where the checkpoint left them.
 */
export function epochBatches(
  loader: Loader,
  generators: readonly Generator[],
  resumed: RunState | null,
  startBatch: number,
): { epochStart: GeneratorState[]; batches: Iterator<[Tensor, Tensor]> } {
  if (resumed && startBatch > 0) {
    resumed.epochStartGenerators.forEach((s, i) => generators[i].setState(s));
    const batches = loader.iterate(startBatch);
    resumed.generators.forEach((s, i) => generators[i].setState(s));
    return { epochStart: resumed.epochStartGenerators, batches };
  }
  if (resumed) resumed.generators.forEach((s, i) => generators[i].setState(s));
  const epochStart = generators.map((g) => g.getState());
  return { epochStart, batches: loader.iterate(0) };
}
