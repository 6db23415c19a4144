// Where a resumed `fit` run starts: the checkpoint in its directory, checked against the run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Scheduler } from '../optim/lr_scheduler.js';
import type { Generator } from '../tensor/generator.js';
import type { FitCallbacks, FitOptions } from './fit_options.js';
import { freshStart, statefulCallbacks, type FitStart } from './fit_start.js';
import { CHECKPOINT_FILE, readRunState, restoreRunCheckpoint, type RunState } from './run_checkpoint.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Refuses a checkpoint whose place in the run does not fit this run: past its epochs, or beyond an epoch's batches. */
export function checkRunProgress(dir: string, state: RunState, epochs: number, batchesPerEpoch: number): void {
  const path = join(dir, CHECKPOINT_FILE);
  const trained = state.epochComplete ? state.epoch : state.epoch - 1;
  if (state.history.epochTrainLosses.length !== trained)
    throw new Error(
      `${path}: epoch ${state.epoch}${state.epochComplete ? ' (complete)' : ''} but its history holds ${plural(state.history.epochTrainLosses.length, 'epoch')}; the run directory is damaged`,
    );
  if (state.batchesDone > batchesPerEpoch)
    throw new Error(
      `${path}: batchesDone ${state.batchesDone} is more than the ${batchesPerEpoch} batches of an epoch; the run directory is damaged, or the training set or batch size changed`,
    );
  if (trained > epochs)
    throw new Error(
      `${path}: the run has trained ${plural(trained, 'epoch')}, more than the ${epochs} asked for; resume with epochs ${trained} or more`,
    );
}

/** Loads the scheduler's state from the checkpoint; a scheduler on one side only is an error. */
function restoreScheduler(dir: string, state: RunState, scheduler: Scheduler | undefined): void {
  const path = join(dir, CHECKPOINT_FILE);
  if (!scheduler && state.scheduler)
    throw new Error(
      `${path} holds a learning-rate scheduler's state; resume with the same scheduler (fit's scheduler option)`,
    );
  if (!scheduler) return;
  if (!state.scheduler)
    throw new Error(
      `${path} holds no scheduler state, but fit was given a scheduler; resume the run as it was started`,
    );
  try {
    scheduler.loadStateDict(state.scheduler);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Gives each callback that keeps a state its state from the checkpoint, in order. */
function restoreCallbacks(dir: string, state: RunState, callbacks: readonly FitCallbacks[]): void {
  const path = join(dir, CHECKPOINT_FILE);
  const keeping = statefulCallbacks(callbacks);
  const saved = state.callbacks ?? [];
  if (saved.length !== keeping.length)
    throw new Error(
      `${path} holds the state of ${saved.length} callbacks, this fit has ${keeping.length} that keep one; resume with the same callbacks`,
    );
  try {
    keeping.forEach((c, i) => c.loadStateDict?.(saved[i]));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Loads the checkpoint into `model`, `optimizer` and the scheduler when resuming and there is one; a fresh start otherwise. */
export function startFit(
  opts: Pick<FitOptions, 'checkpointDir' | 'resume' | 'epochs' | 'trainLoader'>,
  callbacks: readonly FitCallbacks[],
  generators: readonly Generator[],
  model: Module,
  optimizer: Optimizer<object>,
  say: (line: string) => void,
  /** Makes the scheduler (for the checkpoint's plan, if any) before the optimizer's state is loaded over it. */
  makeScheduler: (resumed: RunState | null) => Scheduler | undefined,
): FitStart {
  const dir = opts.checkpointDir;
  if (!opts.resume || !dir || !existsSync(join(dir, CHECKPOINT_FILE))) return freshStart(makeScheduler(null));
  const resumed = readRunState(dir);
  if (resumed.generators.length !== generators.length)
    throw new Error(
      `${dir}: the checkpoint holds ${resumed.generators.length} generator states, this run has ${generators.length}; resume with the same loaders`,
    );
  if (resumed.plan && resumed.plan.stepsPerEpoch !== opts.trainLoader.length)
    throw new Error(
      `${join(dir, CHECKPOINT_FILE)}: its time budget's plan has ${resumed.plan.stepsPerEpoch} batches an epoch, this loader ${opts.trainLoader.length}; resume with the same training set and batch size`,
    );
  checkRunProgress(dir, resumed, resumed.plan?.epochs ?? opts.epochs, opts.trainLoader.length);
  const scheduler = makeScheduler(resumed);
  restoreRunCheckpoint(dir, resumed, model, optimizer);
  restoreScheduler(dir, resumed, scheduler);
  restoreCallbacks(dir, resumed, callbacks);
  const start: FitStart = {
    history: resumed.history,
    serial: resumed.serial,
    epoch: resumed.epochComplete ? resumed.epoch + 1 : resumed.epoch,
    startBatch: resumed.epochComplete ? 0 : resumed.batchesDone,
    epochLossSum: resumed.epochComplete ? 0 : resumed.epochLossSum,
    resumed,
    scheduler,
  };
  say(`Resuming from ${join(dir, CHECKPOINT_FILE)}: epoch ${start.epoch}, batch ${start.startBatch}`);
  return start;
}
