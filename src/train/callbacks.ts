// Callbacks that watch the test after each epoch: EarlyStopping ends training once a metric stops
// improving (BestCheckpoint, in best_checkpoint.ts, keeps the weights of the best epoch). Their
// state goes into fit's checkpoints, so a resumed run remembers the best so far.
import { checkOptions } from '../util/options.js';
import type { EvalResult } from './evaluate.js';
import type { FitCallbacks } from './fit_options.js';

/** The metric a callback watches: the test loss (lower is better) or accuracy (higher is better). */
export type Monitor = 'loss' | 'accuracy';

/** Tracks the best value of a test metric, epoch by epoch (the test before training is not counted). */
export class BestOf {
  best: number | null = null;
  bestEpoch = 0;

  constructor(
    readonly monitor: Monitor,
    readonly minDelta: number,
  ) {
    if (monitor !== 'loss' && monitor !== 'accuracy')
      throw new RangeError(`monitor must be 'loss' or 'accuracy', got ${JSON.stringify(monitor)}`);
    if (!(minDelta >= 0)) throw new RangeError(`minDelta must be >= 0, got ${minDelta}`);
  }

  /** Records `result`; true when it improves on the best by more than minDelta. */
  improves(epoch: number, result: EvalResult): boolean {
    const value = result[this.monitor];
    const better =
      this.best === null ||
      (this.monitor === 'loss' ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (better && Number.isFinite(value)) {
      this.best = value;
      this.bestEpoch = epoch;
      return true;
    }
    return false;
  }
}

/** Reads back a callback's saved counters, refusing a state of the wrong shape by name. */
export function savedState(where: string, state: Record<string, unknown>, counts: string[]): Record<string, number> {
  const best = state?.best;
  if (best !== null && typeof best !== 'number')
    throw new TypeError(`${where}.loadStateDict: best is ${JSON.stringify(best)}, not a number or null`);
  const out: Record<string, number> = {};
  for (const k of counts) {
    const v = state[k];
    if (!Number.isSafeInteger(v) || (v as number) < 0)
      throw new TypeError(`${where}.loadStateDict: ${k} is ${JSON.stringify(v)}, not a count`);
    out[k] = v as number;
  }
  return out;
}

/** EarlyStopping's options. */
export interface EarlyStoppingOptions {
  /** The test metric watched (default 'loss'). */
  monitor?: Monitor;
  /** Epochs without improvement before training stops (default 3). */
  patience?: number;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
}

/**
 * Stops `fit` once the test metric has not improved for `patience` epochs: the epochs left are not
 * trained, and `fit` returns normally.
 */
export class EarlyStopping implements FitCallbacks {
  private readonly tracker: BestOf;
  readonly patience: number;
  private wait = 0;
  /** The epoch after which training stopped, or 0. */
  stoppedEpoch = 0;

  constructor(opts: EarlyStoppingOptions = {}) {
    checkOptions('EarlyStopping', opts, ['monitor', 'patience', 'minDelta']);
    this.tracker = new BestOf(opts.monitor ?? 'loss', opts.minDelta ?? 0);
    this.patience = opts.patience ?? 3;
    if (!Number.isInteger(this.patience) || this.patience < 0)
      throw new RangeError(`EarlyStopping: patience must be an integer >= 0, got ${this.patience}`);
  }

  /** Counts the epochs since the metric last improved. */
  onTest(epoch: number, result: EvalResult): void {
    if (epoch === 0) return;
    if (this.tracker.improves(epoch, result)) this.wait = 0;
    else if (++this.wait > this.patience) this.stoppedEpoch = epoch;
  }

  /** True once the patience has run out. */
  get stopTraining(): boolean {
    return this.stoppedEpoch > 0;
  }

  /** The best value and epoch so far, and the count of epochs since. */
  stateDict(): Record<string, unknown> {
    return {
      best: this.tracker.best,
      bestEpoch: this.tracker.bestEpoch,
      wait: this.wait,
      stoppedEpoch: this.stoppedEpoch,
    };
  }

  /** Restores a state from `stateDict`. */
  loadStateDict(state: Record<string, unknown>): void {
    const counts = savedState('EarlyStopping', state, ['bestEpoch', 'wait', 'stoppedEpoch']);
    this.tracker.best = state.best as number | null;
    this.tracker.bestEpoch = counts.bestEpoch;
    this.wait = counts.wait;
    this.stoppedEpoch = counts.stoppedEpoch;
  }
}
