export {
  fit,
  formatTrainLine,
  formatTrainTime,
  type FitOptions,
  type Loader,
  type FitResult,
  type FitCallbacks,
  type BatchInfo,
} from './fit.js';
export { evaluate, formatTestLine, type EvalResult, type EvaluateOptions } from './evaluate.js';
export { TTA_MODES, ttaViews, type TtaMode } from './tta_views.js';
export { EarlyStopping, type EarlyStoppingOptions, type Monitor } from './callbacks.js';
export { BestCheckpoint, type BestCheckpointOptions } from './best_checkpoint.js';
export { TimeBudget, type SchedulePlan, type SchedulerOption } from './fit_budget.js';
export { emptyHistory, type History } from './history.js';
export { readRunState, type RunState, CHECKPOINT_FILE } from './run_checkpoint.js';
export { fitAsync } from './fit.js';
export { evaluateAsync } from './fit_async.js';
