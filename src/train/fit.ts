import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileStep, eagerStep, type LossFn } from '../compile/step.js';
import type { DataLoader } from '../data/dataloader.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { defaultGenerator, type Generator, type GeneratorState } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, formatTestLine, type EvalResult } from './evaluate.js';
import { emptyHistory, type History } from './history.js';
import { ProgressBar } from './progress.js';
import {
  readRunState,
  removeUnfinishedWrites,
  restoreRunCheckpoint,
  writeRunCheckpoint,
  CHECKPOINT_FILE,
  type RunState,
} from './run_checkpoint.js';

/** Any loader of [input, target] batches, such as a DataLoader over a dataset of [image, label]. */
type Loader = DataLoader<[Tensor, number]>;

export interface BatchInfo {
  epoch: number;
  /** 0-based index of the batch in its epoch. */
  batch: number;
  batches: number;
  loss: number;
  /** Training examples of this epoch before this batch, as the tutorial's log line counts them. */
  seen: number;
  datasetSize: number;
}

export interface FitCallbacks {
  onBatchEnd?(info: BatchInfo): void;
  /** Every `logInterval` batches, after the log line. */
  onLog?(info: BatchInfo): void;
  /** After each test pass: epoch 0 is the test before training. */
  onTest?(epoch: number, result: EvalResult): void;
  onEpochEnd?(epoch: number, history: History): void;
  onCheckpoint?(state: RunState): void;
}

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
  /** Test once before the first epoch, as the MNIST tutorial does (default true with a testLoader). */
  testBeforeTraining?: boolean;
  /** The name in the test line, `Test set: ...` by default (`Validation` for a held-out split). */
  testName?: string;
  /** Where log lines go; console.log unless given, nowhere with null. */
  log?: ((line: string) => void) | null;
  /** A progress bar on stderr; by default when stdout is a terminal. */
  progress?: boolean;
  /** Saved in every checkpoint (the command keeps its settings there). */
  config?: Record<string, unknown>;
}

export interface FitResult {
  history: History;
  /** The last test pass, or null without a testLoader. */
  test: EvalResult | null;
  trainTimeS: number;
  /** Whether steps ran compiled, and why not when they did not. */
  compiled: boolean;
  reason: string | null;
}

/** `Train Epoch: 1 [640/60000 (1%)]\tLoss: 2.301591`, as PyTorch's MNIST example prints it. */
export function formatTrainLine(info: BatchInfo): string {
  return `Train Epoch: ${info.epoch} [${info.seen}/${info.datasetSize} (${Math.round((100 * info.batch) / info.batches)}%)]\tLoss: ${info.loss.toFixed(6)}`;
}

/** `Train time on cpu: 12.345 seconds`, as the Fashion-MNIST tutorial's print_train_time. */
export function formatTrainTime(seconds: number): string {
  return `Train time on cpu: ${seconds.toFixed(3)} seconds`;
}

function generatorsOf(opts: FitOptions): Generator[] {
  const list = [defaultGenerator];
  for (const l of [opts.trainLoader, opts.testLoader])
    if (l?.generator && !list.includes(l.generator)) list.push(l.generator);
  return list;
}

/**
 * Trains `model` for `opts.epochs` epochs the way the tutorials' loops do (log lines, a test after
 * each epoch, the curve's history), with the compiled step, checkpoints and resuming.
 */
export function fit(model: Module, opts: FitOptions): FitResult {
  const { trainLoader, testLoader, optimizer, lossFn, epochs, checkpointDir } = opts;
  const logInterval = opts.logInterval ?? 10;
  const checkpointEvery = opts.checkpointEvery ?? logInterval;
  for (const [name, v] of [
    ['epochs', epochs],
    ['logInterval', logInterval],
    ['checkpointEvery', checkpointEvery],
  ] as const) {
    if (!Number.isInteger(v) || v < (name === 'epochs' ? 0 : 1))
      throw new RangeError(
        `fit: ${name} must be a ${name === 'epochs' ? 'non-negative' : 'positive'} integer, got ${v}`,
      );
  }
  if (opts.resume && !checkpointDir) throw new Error('fit: resume needs checkpointDir');
  const callbacks =
    opts.callbacks === undefined ? [] : Array.isArray(opts.callbacks) ? opts.callbacks : [opts.callbacks];
  const log = opts.log === undefined ? (line: string) => console.log(line) : (opts.log ?? (() => {}));
  const bar = (opts.progress ?? process.stdout.isTTY) ? new ProgressBar(process.stderr) : null;
  const say = (line: string) => {
    bar?.clear();
    log(line);
  };
  const generators = generatorsOf(opts);
  const n = trainLoader.dataset.length;

  let history = emptyHistory();
  let serial = 0;
  let epoch = 1;
  let startBatch = 0;
  let lastTest: EvalResult | null = null;
  let resumed: RunState | null = null;
  /** Sum of the train losses of the epoch in progress (carried through a resume). */
  let epochLossSum = 0;
  if (checkpointDir) removeUnfinishedWrites(checkpointDir);
  if (opts.resume && existsSync(join(checkpointDir!, CHECKPOINT_FILE))) {
    resumed = readRunState(checkpointDir!);
    if (resumed.generators.length !== generators.length)
      throw new Error(
        `${checkpointDir}: the checkpoint holds ${resumed.generators.length} generator states, this run has ${generators.length}; resume with the same loaders`,
      );
    restoreRunCheckpoint(checkpointDir!, resumed, model, optimizer);
    history = resumed.history;
    serial = resumed.serial;
    epoch = resumed.epochComplete ? resumed.epoch + 1 : resumed.epoch;
    startBatch = resumed.epochComplete ? 0 : resumed.batchesDone;
    epochLossSum = resumed.epochComplete ? 0 : resumed.epochLossSum;
    say(`Resuming from ${join(checkpointDir!, CHECKPOINT_FILE)}: epoch ${epoch}, batch ${startBatch}`);
  }

  const step = opts.compile === false ? null : compileStep(model, lossFn, optimizer);
  const trainStep = step ?? ((x: Tensor, y: Tensor) => eagerStep(model, lossFn, optimizer, x, y));
  /** Why steps ran through autograd, each said once. */
  const untraced = new Set<string>();

  const segmentStart = performance.now();
  const previousTime = history.trainTimeS;
  const elapsed = () => previousTime + (performance.now() - segmentStart) / 1000;
  const checkpoint = (ep: number, batchesDone: number, epochComplete: boolean, epochStart: GeneratorState[]) => {
    if (!checkpointDir) return;
    const state = writeRunCheckpoint(
      checkpointDir,
      model,
      optimizer,
      {
        epoch: ep,
        batchesDone,
        step: (ep - 1) * trainLoader.length + batchesDone,
        epochComplete,
        generators: generators.map((g) => g.getState()),
        epochStartGenerators: epochStart,
        history: { ...history, trainTimeS: elapsed() },
        epochLossSum,
        config: opts.config,
      },
      serial,
    );
    serial = state.serial;
    for (const c of callbacks) c.onCheckpoint?.(state);
  };
  const test = (ep: number) => {
    if (!testLoader) return;
    lastTest = evaluate(model, testLoader, lossFn);
    history.testLosses.push(lastTest.loss);
    history.testAccuracy.push(lastTest.accuracy);
    history.testCounter.push(ep * n);
    say(`\n${formatTestLine(lastTest, opts.testName)}\n`);
    for (const c of callbacks) c.onTest?.(ep, lastTest);
  };

  if (!resumed && (opts.testBeforeTraining ?? true)) test(0);
  for (; epoch <= epochs; epoch++, startBatch = 0) {
    let epochStart: GeneratorState[];
    let batches: Iterator<[Tensor, Tensor]>;
    if (resumed && startBatch > 0) {
      // Redraw the interrupted epoch's sample order, then continue the generators from where they stood.
      resumed.epochStartGenerators.forEach((s, i) => generators[i].setState(s));
      epochStart = resumed.epochStartGenerators;
      batches = trainLoader.iterate(startBatch);
      resumed.generators.forEach((s, i) => generators[i].setState(s));
    } else {
      if (resumed) resumed.generators.forEach((s, i) => generators[i].setState(s));
      epochStart = generators.map((g) => g.getState());
      batches = trainLoader.iterate(0);
    }
    resumed = null;
    model.train();
    const total = trainLoader.length;
    let lastDraw = 0;
    for (let batch = startBatch, r = batches.next(); !r.done; r = batches.next(), batch++) {
      const [data, target] = r.value;
      const loss = trainStep(data, target);
      if (step?.traceReason && !untraced.has(step.traceReason)) {
        untraced.add(step.traceReason);
        say(`Note: batches of ${data.shape[0]} run through autograd, not a traced plan: ${step.traceReason}`);
      }
      epochLossSum += loss;
      const info: BatchInfo = {
        epoch,
        batch,
        batches: total,
        loss,
        seen: batch * trainLoader.batchSize,
        datasetSize: n,
      };
      for (const c of callbacks) c.onBatchEnd?.(info);
      if (batch % logInterval === 0) {
        history.trainLosses.push(loss);
        history.trainCounter.push(info.seen + (epoch - 1) * n);
        say(formatTrainLine(info));
        for (const c of callbacks) c.onLog?.(info);
      }
      if (batch % checkpointEvery === 0) checkpoint(epoch, batch + 1, false, epochStart);
      if (bar && performance.now() - lastDraw > 100) {
        bar.update(`Epoch ${epoch}/${epochs}`, batch + 1, total, `loss ${loss.toFixed(4)}`);
        lastDraw = performance.now();
      }
    }
    bar?.clear();
    history.epochTrainLosses.push(epochLossSum / total);
    epochLossSum = 0;
    test(epoch);
    history.trainTimeS = elapsed();
    for (const c of callbacks) c.onEpochEnd?.(epoch, history);
    checkpoint(epoch, total, true, epochStart);
  }
  history.trainTimeS = elapsed();
  return {
    history,
    test: lastTest,
    trainTimeS: history.trainTimeS,
    compiled: step?.compiled ?? false,
    reason: step ? step.reason : 'compile: false',
  };
}
