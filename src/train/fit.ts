import type { Module } from '../nn/module.js';
import { drain } from '../util/steps.js';
import type { FitOptions, FitResult } from './fit_options.js';
import { fitSteps, type FitFiles } from './fit_loop.js';
import { startFit } from './fit_resume.js';
import { runFitAsync } from './fit_async.js';
import { removeUnfinishedWrites, writeRunCheckpoint } from './run_checkpoint.js';

export type { BatchInfo, FitCallbacks, FitOptions, FitResult, Loader } from './fit_options.js';
export { formatTrainLine, formatTrainTime } from './fit_report.js';

/** Node's file system for `fit`'s checkpoints. */
const nodeFitFiles: FitFiles = { removeUnfinishedWrites, startFit, writeRunCheckpoint };

/**
 * Trains `model` for `opts.epochs` epochs the way the tutorials' loops do (log lines, a test after
 * each epoch, the curve's history), with the compiled step, checkpoints and resuming.
 */
export function fit(model: Module, opts: FitOptions): FitResult {
  return drain(fitSteps(model, opts, nodeFitFiles));
}

/**
 * `fit` that lets the event loop in every `sliceMs` milliseconds (default 20), checkpoints and
 * resuming included: a server or a page stays responsive while it trains.
 */
export function fitAsync(model: Module, opts: FitOptions, { sliceMs }: { sliceMs?: number } = {}): Promise<FitResult> {
  return runFitAsync(model, opts, nodeFitFiles, sliceMs);
}
