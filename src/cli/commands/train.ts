import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { modelNames } from '../../models/zoo.js';
import { evaluate, formatTestLine, type EvalResult } from '../../train/evaluate.js';
import type { History } from '../../train/history.js';
import { fit, formatTrainTime } from '../../train/fit.js';
import { writeFileAtomic } from '../../util/atomic_file.js';
import { choice, int, num, parse, str, UsageError, type OptionSpec, type Parsed } from '../args.js';
import { createModel, createOptimizer, loadRunData, lossFunction, newRunConfig, type RunConfig } from '../setup.js';
import { nextRunDir, readRunConfig, RUN_CONFIG } from '../run_dir.js';

export const trainHelp = `usage: torchlit train [--model NAME] [options]

Trains a model from the zoo with its tutorial's settings unless told otherwise, printing the
tutorial's log lines, testing after each epoch and checkpointing into the run directory.

options:
  --model NAME          ${modelNames.join(', ')} (default net)
  --dataset NAME        mnist or fashion-mnist (default: the model's tutorial)
  --epochs N            epochs to train (with --resume: the new total)
  --batch-size N        training batch size
  --test-batch-size N   batch size for testing
  --lr X                learning rate
  --momentum X          SGD momentum
  --optimizer NAME      sgd or adam
  --seed N              seed for the weights, shuffling and dropout (default 1)
  --val-split N         hold out N training images and test on them after each epoch
  --log-interval N      batches between log lines
  --checkpoint-every N  batches between checkpoints (default: the log interval)
  --train-size N        train on the first N training images only (quick trials)
  --data DIR            where datasets are found or downloaded to (default data)
  --out DIR             run directory (default runs/MODEL-DATASET, numbered if taken)
  --resume              continue the run in --out from its last checkpoint
  --eager               train eagerly instead of with the compiled step
  -h, --help            this help

writes into the run directory: config.json, checkpoint.json, model.safetensors,
optimizer.safetensors (PyTorch key names), history.json, metrics.json, and the pictures
samples.png, curve.png, curve.svg, loss.png, predictions.png and confusion.png.`;

const options: OptionSpec = {
  model: { type: 'string' },
  dataset: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'test-batch-size': { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  'val-split': { type: 'string' },
  'log-interval': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'train-size': { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  eager: { type: 'boolean' },
};

/** The settings given on the command line, checked; absent ones are undefined. */
function overrides(p: Parsed): Partial<RunConfig> {
  const o: Partial<RunConfig> = {
    dataset: choice(p, 'dataset', ['mnist', 'fashion-mnist'] as const),
    epochs: int(p, 'epochs', 0),
    batchSize: int(p, 'batch-size'),
    testBatchSize: int(p, 'test-batch-size'),
    lr: num(p, 'lr', 0, true),
    momentum: num(p, 'momentum', 0),
    optimizer: choice(p, 'optimizer', ['sgd', 'adam'] as const),
    seed: int(p, 'seed', 0),
    valSplit: int(p, 'val-split', 0),
    logInterval: int(p, 'log-interval'),
    checkpointEvery: int(p, 'checkpoint-every'),
    trainSize: int(p, 'train-size'),
    dataRoot: str(p, 'data'),
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A resumed run keeps its settings; only --epochs (a new total) and logging may change. */
function resumedConfig(out: string, given: Partial<RunConfig>, model: string | undefined): RunConfig {
  const cfg = readRunConfig(out);
  const mutable = new Set(['epochs', 'logInterval', 'checkpointEvery', 'dataRoot']);
  if (model !== undefined && model !== cfg.model)
    throw new UsageError(`${out} trained --model ${cfg.model}, not ${model}; a resumed run keeps its settings`);
  for (const [k, v] of Object.entries(given)) {
    if (!mutable.has(k) && JSON.stringify(v) !== JSON.stringify(cfg[k as keyof RunConfig])) {
      throw new UsageError(
        `${out} was trained with ${k} ${JSON.stringify(cfg[k as keyof RunConfig])}, not ${JSON.stringify(v)}; a resumed run keeps its settings (only --epochs may change)`,
      );
    }
  }
  return { ...cfg, ...given };
}

function describe(cfg: RunConfig): string {
  const opt = cfg.optimizer === 'sgd' ? `SGD lr=${cfg.lr} momentum=${cfg.momentum}` : `Adam lr=${cfg.lr}`;
  return `${cfg.model} on ${cfg.dataset}: ${opt}, batch ${cfg.batchSize}, ${cfg.epochs} epochs, seed ${cfg.seed}`;
}

export async function train(argv: string[]): Promise<number> {
  const p = parse(argv, options);
  if (p.values.help) {
    console.log(trainHelp);
    return 0;
  }
  const given = overrides(p);
  const model = str(p, 'model');
  let out = str(p, 'out');
  let cfg: RunConfig;
  if (p.values.resume) {
    if (!out) throw new UsageError('--resume needs --out DIR, the run directory to continue');
    cfg = resumedConfig(out, given, model);
  } else {
    cfg = newRunConfig(model ?? 'net', given);
    if (out && existsSync(join(out, RUN_CONFIG)))
      throw new UsageError(`${out} already holds a run; continue it with --resume or choose another --out`);
    out ??= nextRunDir(`runs/${cfg.model}-${cfg.dataset}`);
  }
  await runTraining(cfg, out, { resume: Boolean(p.values.resume), eager: Boolean(p.values.eager) });
  return 0;
}

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
  opts: { resume: boolean; eager?: boolean; log?: ((line: string) => void) | null },
): Promise<TrainingOutcome> {
  const say = opts.log === undefined ? (line: string) => console.log(line) : (opts.log ?? (() => {}));
  const data = await loadRunData(cfg);
  const net = createModel(cfg);
  const optimizer = createOptimizer(cfg, net);
  const lossFn = lossFunction(cfg.loss);
  writeFileAtomic(join(out, RUN_CONFIG), JSON.stringify(cfg, null, 2));
  say(
    `Training ${describe(cfg)}; ${data.train.length} training and ${data.monitor.length} ${data.monitorName.toLowerCase()} images -> ${out}`,
  );
  const result = fit(net, {
    trainLoader: data.trainLoader,
    testLoader: data.monitorLoader,
    testName: data.monitorName,
    optimizer,
    lossFn,
    epochs: cfg.epochs,
    logInterval: cfg.logInterval,
    checkpointEvery: cfg.checkpointEvery,
    checkpointDir: out,
    resume: opts.resume,
    compile: !opts.eager,
    config: cfg as unknown as Record<string, unknown>,
    log: opts.log,
  });
  const test = data.monitorName === 'Test' && result.test ? result.test : evaluate(net, data.testLoader, lossFn);
  if (data.monitorName !== 'Test') say(`\n${formatTestLine(test)}\n`);
  say(formatTrainTime(result.trainTimeS));
  writeFileAtomic(join(out, 'history.json'), JSON.stringify(result.history));
  const metrics = {
    model: cfg.model,
    modelName: test.modelName,
    dataset: cfg.dataset,
    testLoss: test.loss,
    testAccuracy: test.accuracy,
    correct: test.correct,
    total: test.total,
    trainTimeS: result.trainTimeS,
    compiled: result.compiled,
    classes: data.classes,
    confusion: test.confusion,
  };
  writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics));
  const pictures = drawRunPictures(out, cfg.dataRoot);
  const files = [
    'config.json',
    'model.safetensors',
    'optimizer.safetensors',
    'checkpoint.json',
    'history.json',
    'metrics.json',
  ].map((f) => join(out, f));
  say(`Wrote ${[...files, ...pictures].join(', ')}`);
  return { test, trainTimeS: result.trainTimeS, history: result.history, modelName: test.modelName };
}

/**
 * Draws the run's pictures (`torchlit viz run`) in a child process: the renderer's WebAssembly
 * memory (about 90 MB, never returned) then goes away with it instead of staying in the training process.
 */
function drawRunPictures(out: string, dataRoot: string): string[] {
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const r = spawnSync(process.execPath, [cli, 'viz', 'run', '--run', out, '--data', dataRoot], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0)
    throw new Error(
      `drawing the pictures of ${out} failed (exit code ${r.status}); the run itself is saved: redraw with torchlit viz run --run ${out}`,
    );
  return r.stdout.trim().split('\n');
}
