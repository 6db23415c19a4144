import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LossFn } from '../compile/step.js';
import { drainAsync } from '../util/steps.js';
import { ASYNC_EVAL_CHUNK, evaluateSteps, type EvalResult, type EvaluateOptions } from './evaluate.js';
import { fitSteps, type FitFiles } from './fit_loop.js';
import type { FitOptions, FitResult } from './fit_options.js';

/** `fit`'s steps with the event loop let in every `sliceMs` (default 20); checkpoints through `files`. */
export function runFitAsync(
  model: Module,
  opts: FitOptions,
  files: FitFiles | null,
  sliceMs?: number,
): Promise<FitResult> {
  return drainAsync(fitSteps(model, opts, files, ASYNC_EVAL_CHUNK), sliceMs);
}

/** `evaluate` that lets the event loop in every `sliceMs` (default 20). */
export function evaluateAsync(
  model: Module,
  loader: Iterable<[Tensor, Tensor]>,
  lossFn: LossFn,
  opts: EvaluateOptions & { sliceMs?: number } = {},
): Promise<EvalResult> {
  const { sliceMs, ...rest } = opts;
  return drainAsync(evaluateSteps(model, loader, lossFn, rest, ASYNC_EVAL_CHUNK), sliceMs);
}
