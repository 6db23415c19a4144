import { join } from 'node:path';
import { evaluate, formatTestLine, type EvalResult } from '../train/evaluate.js';
import type { History } from '../train/history.js';
import { fit, fitAsync, formatTrainTime } from '../train/fit.js';
import type { FitOptions } from '../train/fit_options.js';
import { LiveEventLog } from './live_events.js';
import { writeFileAtomic } from '../util/atomic_file.js';
import { RUN_CONFIG } from './run_dir.js';
import {
  createModel,
  createOptimizer,
  createScheduler,
  loadRunData,
  lossFunction,
  type RunConfig,
  type RunData,
} from './setup.js';
import { TTA_VIEWS } from '../train/tta_views.js';

export interface TrainingOutcome {
  test: EvalResult;
  trainTimeS: number;
  history: History;
  modelName: string;
}

/** Trains a run into `out` (new, or resumed from its checkpoint) and writes its results there. */
export async function runTraining(
  cfg: RunConfig,
  out: string,
  opts: {
    resume: boolean;
    eager?: boolean;
    /** Train on through a NaN or infinite loss (`--no-stop-on-nan`). */
    keepOnNaN?: boolean;
    log?: ((line: string) => void) | null;
    /** Draws the run's pictures from what it wrote to `out` and returns their paths. */
    drawPictures?: (out: string, dataRoot: string) => string[];
    /** Train a slice at a time, so that this process can serve requests (a dashboard) meanwhile. */
    yieldToEventLoop?: boolean;
  },
): Promise<TrainingOutcome> {
  const say = opts.log === undefined ? (line: string) => console.log(line) : (opts.log ?? (() => {}));
  const data = await loadRunData(cfg);
  const net = createModel(cfg);
  const optimizer = createOptimizer(cfg, net);
  const lossFn = lossFunction(cfg);
  writeFileAtomic(join(out, RUN_CONFIG), JSON.stringify(cfg, null, 2));
  say(
    `Training ${describe(cfg)}; ${data.train.length} training and ${data.monitor.length} ${data.monitorName.toLowerCase()} images -> ${out}`,
  );
  const live = new LiveEventLog(out);
  live.write({
    event: 'start',
    time: Date.now(),
    model: cfg.model,
    dataset: cfg.dataset,
    epochs: cfg.epochs,
    batchesPerEpoch: data.trainLoader.length,
    trainSize: data.train.length,
    testName: data.monitorName,
  });
  const fitOptions: FitOptions = {
    trainLoader: data.trainLoader,
    testLoader: data.monitorLoader,
    testName: data.monitorName,
    optimizer,
    lossFn,
    epochs: cfg.epochs,
    scheduler: createScheduler(cfg, optimizer),
    ...(cfg.timeBudgetS ? { timeBudgetS: cfg.timeBudgetS, budgetTestsAfter: testsAfterFit(cfg, data) } : {}),
    logInterval: cfg.logInterval,
    checkpointEvery: cfg.checkpointEvery,
    checkpointDir: out,
    resume: opts.resume,
    compile: !opts.eager,
    stopOnNaN: !opts.keepOnNaN,
    config: cfg as unknown as Record<string, unknown>,
    log: opts.log,
    callbacks: live.callbacks(cfg.batchSize, data.train.length),
  };
  let result;
  try {
    result = opts.yieldToEventLoop ? await fitAsync(net, fitOptions) : fit(net, fitOptions);
  } catch (e) {
    live.write({ event: 'error', time: Date.now(), message: (e as Error).message });
    throw e;
  }
  const tta = cfg.tta ?? 'none';
  const testStart = performance.now();
  const test =
    data.monitorName === 'Test' && result.test && tta === 'none'
      ? result.test
      : evaluate(net, data.testLoader, lossFn, { tta });
  const trainTimeS = result.trainTimeS + (performance.now() - testStart) / 1000;
  if (data.monitorName !== 'Test' || tta !== 'none')
    say(`\n${formatTestLine(test)}${tta === 'none' ? '' : ` (${tta} test-time augmentation)`}\n`);
  say(formatTrainTime(trainTimeS));
  writeFileAtomic(join(out, 'history.json'), JSON.stringify(result.history));
  const metrics = {
    model: cfg.model,
    modelName: test.modelName,
    dataset: cfg.dataset,
    testLoss: test.loss,
    testAccuracy: test.accuracy,
    correct: test.correct,
    total: test.total,
    trainTimeS,
    compiled: result.compiled,
    classes: data.classes,
    confusion: test.confusion,
  };
  writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics));
  const pictures = opts.drawPictures?.(out, cfg.dataRoot) ?? [];
  live.write({ event: 'end', time: Date.now(), accuracy: test.accuracy, trainTimeS });
  const files = [
    'config.json',
    'model.safetensors',
    'optimizer.safetensors',
    'checkpoint.json',
    'history.json',
    'metrics.json',
    'live.jsonl',
  ].map((f) => join(out, f));
  say(`Wrote ${[...files, ...pictures].join(', ')}`);
  return { test, trainTimeS, history: result.history, modelName: test.modelName };
}

function describe(cfg: RunConfig): string {
  const opt =
    cfg.optimizer === 'sgd'
      ? `SGD lr=${cfg.lr} momentum=${cfg.momentum}${cfg.nesterov ? ' nesterov' : ''}`
      : `Adam lr=${cfg.lr}`;
  const extras = [
    cfg.weightDecay ? `weight decay ${cfg.weightDecay}` : '',
    cfg.schedule === 'onecycle' ? 'OneCycleLR' : '',
    cfg.labelSmoothing ? `label smoothing ${cfg.labelSmoothing}` : '',
    cfg.augment ? 'augmented' : '',
    cfg.tta && cfg.tta !== 'none' ? `${cfg.tta} TTA in the last test` : '',
  ].filter(Boolean);
  const length = cfg.timeBudgetS ? `at most ${cfg.epochs} epochs in ${cfg.timeBudgetS} s` : `${cfg.epochs} epochs`;
  return `${cfg.model} on ${cfg.dataset}: ${[opt, ...extras].join(', ')}, batch ${cfg.batchSize}, ${length}, seed ${cfg.seed}`;
}

/** The test passes (of the monitored split) that the last test after `fit` costs: none when fit's last test is it. */
function testsAfterFit(cfg: RunConfig, data: RunData): number {
  const tta = cfg.tta ?? 'none';
  if (data.monitorName === 'Test' && tta === 'none') return 0;
  return (TTA_VIEWS[tta] * data.test.length) / Math.max(1, data.monitor.length);
}
