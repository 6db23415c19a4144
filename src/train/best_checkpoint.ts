// BestCheckpoint: the weights of the epoch with the best test metric, kept in a safetensors file.
import { saveModel } from '../io/checkpoint.js';
import type { Module } from '../nn/module.js';
import { checkOptions } from '../util/options.js';
import { BestOf, savedState, type Monitor } from './callbacks.js';
import type { EvalResult } from './evaluate.js';
import type { FitCallbacks } from './fit_options.js';

/** BestCheckpoint's options. */
export interface BestCheckpointOptions {
  /** The test metric watched (default 'accuracy'). */
  monitor?: Monitor;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
}

/**
 * Saves `model`'s weights to `path` (safetensors, the epoch and metric in its metadata) after
 * every epoch whose test metric is the best so far.
 */
export class BestCheckpoint implements FitCallbacks {
  private readonly tracker: BestOf;

  constructor(
    private readonly model: Module,
    readonly path: string,
    opts: BestCheckpointOptions = {},
  ) {
    checkOptions('BestCheckpoint', opts, ['monitor', 'minDelta']);
    this.tracker = new BestOf(opts.monitor ?? 'accuracy', opts.minDelta ?? 0);
  }

  /** The best value so far, or null before the first epoch. */
  get best(): number | null {
    return this.tracker.best;
  }

  /** The epoch whose weights `path` holds, or 0. */
  get bestEpoch(): number {
    return this.tracker.bestEpoch;
  }

  /** Saves the weights when the metric is the best so far. */
  onTest(epoch: number, result: EvalResult): void {
    if (epoch === 0 || !this.tracker.improves(epoch, result)) return;
    saveModel(this.model, this.path, {
      epoch: String(epoch),
      [this.tracker.monitor]: String(result[this.tracker.monitor]),
    });
  }

  /** The best value and its epoch. */
  stateDict(): Record<string, unknown> {
    return { best: this.tracker.best, bestEpoch: this.tracker.bestEpoch };
  }

  /** Restores a state from `stateDict`. */
  loadStateDict(state: Record<string, unknown>): void {
    this.tracker.bestEpoch = savedState('BestCheckpoint', state, ['bestEpoch']).bestEpoch;
    this.tracker.best = state.best as number | null;
  }
}
