import { compileStep, eagerStep } from '../compile/step.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluateSteps, formatTestLine, type EvalResult } from './evaluate.js';
import { FitCheckpointer } from './fit_checkpoint.js';
import type { BatchInfo, FitOptions, FitResult } from './fit_options.js';
import { FitReporter } from './fit_report.js';
import { epochBatches, freshStart, generatorsOf, statefulCallbacks } from './fit_start.js';
import type { startFit } from './fit_resume.js';
import { checkBudget, epochPlan, REPLAN_EVERY, TimeBudget, type SchedulePlan } from './fit_budget.js';
import type { Scheduler } from '../optim/lr_scheduler.js';
import type { removeUnfinishedWrites, writeRunCheckpoint } from './run_checkpoint.js';
import { clippingOptimizer, schedulerInterval, stepAfterEpoch } from './fit_schedule.js';
import { className } from '../util/class_name.js';

/** What `fit` needs of a file system for checkpoints and resuming (Node's; a page has none). */
export interface FitFiles {
  removeUnfinishedWrites: typeof removeUnfinishedWrites;
  startFit: typeof startFit;
  writeRunCheckpoint: typeof writeRunCheckpoint;
}

function checkCounts(epochs: number, logInterval: number, checkpointEvery: number): void {
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
}

/**
 * `fit` as steps: it yields after every batch (and every chunk of a test), so a page can draw in
 * between. Checkpoints and resuming go through `files`.
 */
export function* fitSteps(
  model: Module,
  opts: FitOptions,
  files: FitFiles | null,
  /** Samples per forward pass of the tests (evaluate's default unless given). */
  evalChunk?: number,
): Generator<void, FitResult> {
  const { trainLoader, testLoader, optimizer, lossFn, epochs, checkpointDir } = opts;
  const logInterval = opts.logInterval ?? 10;
  const checkpointEvery = opts.checkpointEvery ?? logInterval;
  checkCounts(epochs, logInterval, checkpointEvery);
  if (opts.resume && !checkpointDir) throw new Error('fit: resume needs checkpointDir');
  if (checkpointDir && !files)
    throw new Error(
      'fit: not supported: checkpointDir where there is no file system (in a page, save with io.saveModel from a callback)',
    );
  const report = new FitReporter(opts);
  const generators = generatorsOf(opts);
  const n = trainLoader.dataset.length;

  if (checkpointDir) files!.removeUnfinishedWrites(checkpointDir);
  if (opts.timeBudgetS !== undefined) checkBudget(opts.timeBudgetS);
  const after = opts.budgetTestsAfter;
  if (after !== undefined && !(after >= 0 && Number.isFinite(after)))
    throw new RangeError(`fit: budgetTestsAfter must be a number of test passes, 0 or more, got ${after}`);
  if (after !== undefined && opts.timeBudgetS === undefined)
    throw new RangeError('fit: budgetTestsAfter leaves time in a time budget; give timeBudgetS too');
  const S = trainLoader.length;
  const makeScheduler = (p: SchedulePlan): Scheduler | undefined =>
    typeof opts.scheduler === 'function' ? opts.scheduler(p) : opts.scheduler;
  let plan = epochPlan(epochs, S);
  const start = files
    ? files.startFit(
        opts,
        report.callbacks,
        generators,
        model,
        optimizer,
        (line) => report.say(line),
        (r) => makeScheduler((plan = r?.plan ?? plan)),
      )
    : freshStart(makeScheduler(plan));
  const { history } = start;
  let { epochLossSum, resumed, scheduler } = start;
  let lastTest: EvalResult | null = null;
  /** Whether the budget's first steps are being timed (no plan yet). */
  let timing = opts.timeBudgetS !== undefined && !resumed?.plan;
  const interval = schedulerInterval(scheduler, opts);
  const updater = clippingOptimizer(optimizer, opts.clipGradNorm);
  const step = opts.compile === false ? null : compileStep(model, lossFn, updater);
  const trainStep = step ?? ((x: Tensor, y: Tensor) => eagerStep(model, lossFn, updater, x, y));

  const segmentStart = performance.now();
  const previousTime = history.trainTimeS;
  const elapsed = () => previousTime + (performance.now() - segmentStart) / 1000;
  const keeping = statefulCallbacks(report.callbacks);
  const checkpoints = new FitCheckpointer(
    files?.writeRunCheckpoint ?? null,
    checkpointDir,
    model,
    optimizer,
    generators,
    trainLoader.length,
    opts.config,
    () => ({
      ...(scheduler && { scheduler: scheduler.stateDict() }),
      ...(keeping.length > 0 && { callbacks: keeping.map((c) => c.stateDict!()) }),
      ...(opts.timeBudgetS !== undefined && !timing && { plan }),
    }),
    start.serial,
    (state) => {
      for (const c of report.callbacks) c.onCheckpoint?.(state);
    },
  );
  /** Seconds spent testing in this segment, and the last test's. */
  const testing = { totalS: 0, lastS: null as number | null };
  function* test(ep: number): Generator<void, void> {
    if (!testLoader) return;
    const t0 = performance.now();
    lastTest = yield* evaluateSteps(model, testLoader, lossFn, {}, evalChunk);
    testing.lastS = (performance.now() - t0) / 1000;
    testing.totalS += testing.lastS;
    history.testLosses.push(lastTest.loss);
    history.testAccuracy.push(lastTest.accuracy);
    history.testCounter.push(ep * n);
    report.say(`\n${formatTestLine(lastTest, opts.testName)}\n`);
    for (const c of report.callbacks) c.onTest?.(ep, lastTest);
  }

  if (!resumed && (opts.testBeforeTraining ?? true)) yield* test(0);
  const timer = !timing
    ? null
    : new TimeBudget(
        opts.timeBudgetS!,
        S,
        epochs,
        (stepS) => {
          // Without a test before training, a test pass is taken as a third of a step per sample.
          const testLength = testLoader?.dataset.length ?? 0;
          return testing.lastS ?? (testLength * stepS) / (3 * trainLoader.batchSize);
        },
        opts.budgetTestsAfter,
      );
  /** Since the last plan: the steps, the seconds and the seconds of testing then. */
  let window = { steps: 0, s: 0, testS: 0 };
  /** A planned run's new plan, where the steps since the last one ran at another speed. */
  const replan = (done: number): SchedulePlan | null => {
    const now = elapsed();
    const steps = done - window.steps;
    if (now - window.s < REPLAN_EVERY * opts.timeBudgetS! || steps < 5) return null;
    const stepS = (now - window.s - (testing.totalS - window.testS)) / steps;
    const next = timer!.replan(done, now, stepS, plan);
    if (!next) window = { steps: done, s: now, testS: testing.totalS };
    return next;
  };
  for (let epoch = start.epoch, startBatch = start.startBatch; epoch <= plan.epochs; epoch++, startBatch = 0) {
    const stopper = report.callbacks.find((c) => c.stopTraining);
    if (stopper) {
      report.say(`Stopped before epoch ${epoch}: ${className(stopper)} saw no improvement`);
      break;
    }
    const { epochStart, batches } = epochBatches(trainLoader, generators, resumed, startBatch);
    resumed = null;
    model.train();
    let trained = startBatch;
    for (let batch = startBatch, r = batches.next(); !r.done; r = batches.next(), batch++) {
      if ((epoch - 1) * S + batch >= plan.totalSteps) break;
      trained = batch + 1;
      const [data, target] = r.value;
      const lr = (optimizer.paramGroups[0] as { lr?: unknown } | undefined)?.lr;
      const loss = trainStep(data, target);
      if (!Number.isFinite(loss) && opts.stopOnNaN !== false)
        throw new RangeError(
          `fit: the loss became ${loss} at epoch ${epoch}, batch ${batch} (a learning rate too high, or NaN in the data or weights); ` +
            'training stopped and the last checkpoint is kept (stopOnNaN: false, or --no-stop-on-nan, trains on)',
        );
      if (interval === 'batch') scheduler!.step();
      const done = (epoch - 1) * S + batch + 1;
      const planned = !timer ? null : timing ? timer.observe(done, elapsed()) : replan(done);
      if (planned) {
        const first = timing;
        plan = planned;
        timing = false;
        window = { steps: done, s: elapsed(), testS: testing.totalS };
        if (typeof opts.scheduler === 'function') {
          scheduler = makeScheduler(plan)!;
          const catchUp = interval === 'batch' ? done : epoch - 1;
          for (let i = 0; i < catchUp; i++) scheduler.step();
        }
        report.say(
          first
            ? `Time budget ${opts.timeBudgetS} s: ${plan.totalSteps} steps (${plan.epochs} epochs of ${S} batches) fit; the schedule is laid out over them`
            : `Time budget ${opts.timeBudgetS} s: at the speed of the last steps, ${plan.totalSteps} steps fit; the rest of the schedule is laid out over them`,
        );
      }
      report.untracedOnce(step?.traceReason ?? null, data.shape[0]);
      epochLossSum += loss;
      const info: BatchInfo = {
        epoch,
        batch,
        batches: S,
        loss,
        seen: batch * trainLoader.batchSize,
        datasetSize: n,
        ...(typeof lr === 'number' && { lr }),
      };
      for (const c of report.callbacks) c.onBatchEnd?.(info);
      if (batch % logInterval === 0) {
        history.trainLosses.push(loss);
        history.trainCounter.push(info.seen + (epoch - 1) * n);
        // A history resumed from before learning rates were kept stays without them.
        history.learningRates?.push(typeof lr === 'number' ? lr : NaN);
        report.trainLine(info);
      }
      if (batch % checkpointEvery === 0)
        checkpoints.save(epoch, batch + 1, false, epochStart, { ...history, trainTimeS: elapsed() }, epochLossSum);
      report.progress(info, plan.epochs);
      yield;
    }
    report.endEpoch();
    history.epochTrainLosses.push(epochLossSum / Math.max(1, trained));
    epochLossSum = 0;
    yield* test(epoch);
    if (interval === 'epoch')
      stepAfterEpoch(scheduler!, testLoader ? (lastTest as EvalResult | null)?.loss : undefined);
    history.trainTimeS = elapsed();
    for (const c of report.callbacks) c.onEpochEnd?.(epoch, history);
    checkpoints.save(epoch, trained, true, epochStart, { ...history, trainTimeS: elapsed() }, epochLossSum);
  }
  history.trainTimeS = elapsed();
  // Zero epochs from the start still leave a checkpoint: the untrained model, to test or draw.
  if (plan.epochs === 0 && start.epoch === 1)
    checkpoints.save(
      0,
      0,
      true,
      generators.map((g) => g.getState()),
      history,
      0,
    );
  return {
    history,
    test: lastTest,
    trainTimeS: history.trainTimeS,
    compiled: step?.compiled ?? false,
    reason: step ? step.reason : 'compile: false',
  };
}
