import type { LossFn } from '../compile/step.js';
import type { DataLoader } from '../data/dataloader.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { SchedulerOption } from './fit_budget.js';
import type { Tensor } from '../tensor/tensor.js';
import type { EvalResult } from './evaluate.js';
import type { History } from './history.js';
import type { RunState } from './run_checkpoint.js';

/** Any loader of [input, target] batches, such as a DataLoader over a dataset of [image, label]. */
export type Loader = DataLoader<[Tensor, number]>;

/** What `fit` tells callbacks after each batch. */
export interface BatchInfo {
  epoch: number;
  /** 0-based index of the batch in its epoch. */
  batch: number;
  batches: number;
  loss: number;
  /** Training examples of this epoch before this batch, as the tutorial's log line counts them. */
  seen: number;
  datasetSize: number;
  /** The learning rate the batch was trained with (the first parameter group's). */
  lr?: number;
}

/** Hooks into `fit`'s loop; each is optional. */
export interface FitCallbacks {
  /** After every batch. */
  onBatchEnd?(info: BatchInfo): void;
  /** Every `logInterval` batches, after the log line. */
  onLog?(info: BatchInfo): void;
  /** After each test pass: epoch 0 is the test before training. */
  onTest?(epoch: number, result: EvalResult): void;
  /** After each epoch's test, with the history so far. */
  onEpochEnd?(epoch: number, history: History): void;
  /** After each checkpoint is written. */
  onCheckpoint?(state: RunState): void;
  /** Read before each epoch: true ends training there (EarlyStopping sets it). */
  readonly stopTraining?: boolean;
  /** State to keep in fit's checkpoints and restore on resume. */
  stateDict?(): Record<string, unknown>;
  /** Restores the state `stateDict` gave, when fit resumes. */
  loadStateDict?(state: Record<string, unknown>): void;
}

/** `fit`'s settings: loaders, optimizer, loss, epochs, logging, checkpoints. */
export interface FitOptions {
  trainLoader: Loader;
  testLoader?: Loader;
  optimizer: Optimizer<object>;
  lossFn: LossFn;
  epochs: number;
  /** Batches between log lines (and history points); 10 as in the MNIST tutorial. */
  logInterval?: number;
  callbacks?: FitCallbacks | FitCallbacks[];
  /** Where checkpoints go; none are written without it. */
  checkpointDir?: string;
  /** Batches between checkpoints; the log interval unless given. Each epoch's end is one too. */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpointDir` (from the start when there is none yet). */
  resume?: boolean;
  /** Train with `compileStep` (default) or eagerly. */
  compile?: boolean;
  /** Stop with an error naming the batch when the loss becomes NaN or infinite (default true), before it is checkpointed. */
  stopOnNaN?: boolean;
  /** Test once before the first epoch, as the MNIST tutorial does (default true with a testLoader). */
  testBeforeTraining?: boolean;
  /** The name in the test line, `Test set: ...` by default (`Validation` for a held-out split). */
  testName?: string;
  /** Where log lines go; console.log unless given, nowhere with null. */
  log?: ((line: string) => void) | null;
  /** A progress bar on stderr; by default when stdout is a terminal. */
  progress?: boolean;
  /**
   * A learning-rate scheduler on `optimizer`, checkpointed with the run: stepped after every batch
   * (OneCycleLR, CyclicLR) or after every epoch's test (the others; ReduceLROnPlateau gets the test loss).
   * A function is given the run's plan (epochs and steps) and makes the scheduler for it: what a
   * time budget needs, since its steps are known only once the first batches are timed.
   */
  scheduler?: SchedulerOption;
  /** When the scheduler steps, overriding the default above. */
  schedulerInterval?: 'batch' | 'epoch';
  /** Clips the gradients to this total norm (L2, or `{ maxNorm, normType }`) before each update, as `clipGradNorm_`. */
  clipGradNorm?: number | { maxNorm: number; normType?: number };
  /**
   * Train for this many seconds (tests after each epoch included): the first batches are timed,
   * then the run is laid out over the steps that fit (at most `epochs` epochs, the last perhaps
   * cut short) and the scheduler is made for them, so the schedule ends on time. A resumed run
   * keeps the plan it made.
   */
  timeBudgetS?: number;
  /**
   * Test passes the caller runs after `fit` within the same time budget (a test-time augmented
   * test of 5 views is about 5): the budget leaves them their time, counted in this run's test passes.
   */
  budgetTestsAfter?: number;
  /** Saved in every checkpoint (the command keeps its settings there). */
  config?: Record<string, unknown>;
}

/** What `fit` returns: the history, the last test, the training time, and whether steps compiled. */
export interface FitResult {
  history: History;
  /** The last test pass, or null without a testLoader. */
  test: EvalResult | null;
  trainTimeS: number;
  /** Whether steps ran compiled, and why not when they did not. */
  compiled: boolean;
  reason: string | null;
}
