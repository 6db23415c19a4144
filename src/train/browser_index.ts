// The training loop in a page: `fit` and `evaluate` return promises and yield to the page between
// batches; checkpoints go through io.saveModel (IndexedDB, downloads) from a callback.
import type { Module } from '../nn/module.js';
import { runFitAsync } from './fit_async.js';

/** Node's `evaluate`, yielding to the page every `sliceMs` (default 20). */
export { evaluateAsync as evaluate } from './fit_async.js';
import type { FitOptions, FitResult } from './fit_options.js';

export { formatTrainLine, formatTrainTime } from './fit_report.js';
export { formatTestLine, type EvalResult, type EvaluateOptions } from './evaluate.js';
export type { FitOptions, Loader, FitResult, FitCallbacks, BatchInfo } from './fit_options.js';
export { EarlyStopping, type EarlyStoppingOptions, type Monitor } from './callbacks.js';
export { TimeBudget, type SchedulePlan, type SchedulerOption } from './fit_budget.js';
export { emptyHistory, type History } from './history.js';

/**
 * Trains as Node's `fit` does, yielding to the page every `sliceMs` (default 20) so it never
 * freezes; `checkpointDir` is not supported in a page.
 */
export function fit(model: Module, opts: FitOptions, { sliceMs }: { sliceMs?: number } = {}): Promise<FitResult> {
  return runFitAsync(model, opts, null, sliceMs);
}
