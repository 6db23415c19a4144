import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelNames } from '../../models/zoo.js';
import { checkNewRunDir, nextRunDir, readRunConfig, RUN_CONFIG } from '../../run/run_dir.js';
import { runTraining } from '../../run/run_training.js';
import { drawRunPictures } from '../run_pictures.js';
import { checkRecipe, newRunConfig, type RunConfig } from '../../run/setup.js';
import { choice, duration, int, num, parse, str, UsageError, type OptionSpec, type Parsed } from '../args.js';
import { checkDatasetName } from '../../run/datasets.js';
import { TTA_MODES } from '../../train/tta_views.js';
import { lockRunDir } from '../../run/run_lock.js';
import { readRunState } from '../../train/run_checkpoint.js';
import { describeFsError } from '../../util/fs_error.js';
import { serveDashboard } from '../../dashboard/server.js';
import { dashboardPort } from './dashboard.js';

export const trainHelp = `usage: torchlit train [--model NAME] [options]

Trains a model from the zoo with its tutorial's settings unless told otherwise, printing the
tutorial's log lines, testing after each epoch and checkpointing into the run directory.

options:
  --model NAME          ${modelNames.join(', ')} (default net)
  --dataset NAME        mnist, fashion-mnist, kmnist, qmnist, emnist-SPLIT, cifar10, cifar100
                        or imagefolder:DIR (DIR/train and DIR/val, or one folder of class
                        folders of which a tenth is held out); default: the model's tutorial
  --augment             augment the training images: random crops for digits, random crops
                        and flips for cifar and image folders (the presets do by default)
  --no-augment          train on the images as they are
  --image-size N        the side image folders are resized to (default 32)
  --num-workers N       worker threads that read and augment the training batches ahead
                        of the step (default 0): the same batches as without, for models
                        that draw no random numbers of their own (no dropout)
  --epochs N            epochs to train (with --resume: the new total)
  --batch-size N        training batch size
  --test-batch-size N   batch size for testing
  --lr X                learning rate
  --momentum X          SGD momentum
  --nesterov            SGD with Nesterov momentum
  --weight-decay X      L2 weight decay
  --optimizer NAME      sgd or adam
  --schedule NAME       constant (lr throughout) or onecycle (OneCycleLR up to lr and down,
                        per batch, over the run)
  --label-smoothing X   cross-entropy label smoothing, 0 to 1
  --tta MODE            test-time augmentation in the last test: none, hflip (each image and
                        its mirror image: photos and clothes, not digits) or shift (and its
                        four one-pixel shifts); the tests after each epoch stay plain
  --time-budget T       train for T (90s, 5m, 1h), each epoch's test included: the first
                        batches are timed and the run (and its schedule) laid out to end
                        on time; --epochs is then the most (default: as many as fit)
  --seed N              seed for the weights, shuffling and dropout (default 1)
  --val-split N         hold out N training images and test on them after each epoch
  --log-interval N      batches between log lines
  --checkpoint-every N  batches between checkpoints (default: the log interval)
  --train-size N        train on the first N training images only (quick trials)
  --data DIR            where datasets are found or downloaded to (default data)
  --out DIR             run directory (default runs/MODEL-DATASET, numbered if taken)
  --resume              continue the run in --out from its last checkpoint
  --eager               train eagerly instead of with the compiled step
  --no-stop-on-nan      train on when the loss becomes NaN or infinite (by default training
                        stops there with an error naming the batch, exit code 1)
  --dashboard           serve a live view of the run on 127.0.0.1 while it trains (loss,
                        accuracy, learning rate, samples per second, pictures); it stays up
                        after training until Ctrl-C (torchlit dashboard shows runs later)
  --port N              the dashboard's port (default 6006; 0 picks a free one)
  -h, --help            this help

writes into the run directory: config.json, checkpoint.json, model.safetensors,
optimizer.safetensors (PyTorch key names), history.json, metrics.json, live.jsonl (a line
per logged batch and test, as the run trains, for torchlit dashboard), and the pictures
samples.png, curve.png, curve.svg, loss.png, predictions.png and confusion.png.`;

/** The epochs a time budget may lay out when --epochs does not say. */
const MAX_BUDGET_EPOCHS = 100;

const options: OptionSpec = {
  model: { type: 'string' },
  dataset: { type: 'string' },
  augment: { type: 'boolean' },
  'no-augment': { type: 'boolean' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  'label-smoothing': { type: 'string' },
  tta: { type: 'string' },
  'time-budget': { type: 'string' },
  'image-size': { type: 'string' },
  'num-workers': { type: 'string' },
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
  'no-stop-on-nan': { type: 'boolean' },
  dashboard: { type: 'boolean' },
  port: { type: 'string' },
};

/** The settings given on the command line, checked; absent ones are undefined. */
function overrides(p: Parsed): Partial<RunConfig> {
  if (p.values.augment && p.values['no-augment'])
    throw new UsageError('--augment and --no-augment contradict each other');
  const smoothing = num(p, 'label-smoothing', 0);
  if (smoothing !== undefined && smoothing > 1)
    throw new UsageError(`--label-smoothing must be from 0 to 1, got ${smoothing}`);
  const o: Partial<RunConfig> = {
    dataset: str(p, 'dataset') === undefined ? undefined : checkDatasetName(str(p, 'dataset')!),
    augment: p.values.augment ? true : p.values['no-augment'] ? false : undefined,
    nesterov: p.values.nesterov ? true : undefined,
    weightDecay: num(p, 'weight-decay', 0),
    schedule: choice(p, 'schedule', ['constant', 'onecycle'] as const),
    labelSmoothing: num(p, 'label-smoothing', 0),
    tta: choice(p, 'tta', TTA_MODES),
    timeBudgetS: duration(p, 'time-budget'),
    imageSize: int(p, 'image-size', 1),
    numWorkers: int(p, 'num-workers', 0),
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
  const mutable = new Set(['epochs', 'logInterval', 'checkpointEvery', 'dataRoot', 'numWorkers']);
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

/** What `torchlit train ARGV` will do, every value checked; null when it asked for --help. */
export interface TrainingPlan {
  cfg: RunConfig;
  out: string;
  resume: boolean;
  eager: boolean;
  keepOnNaN: boolean;
  /** Serve the dashboard on this port while training; null without --dashboard. */
  dashboardPort: number | null;
}

/** Checks the command line and the run directory without writing anything; the help is printed instead. */
export function planTraining(argv: string[]): TrainingPlan | null {
  const p = parse(argv, options);
  if (p.values.help) {
    console.log(trainHelp);
    return null;
  }
  if (p.values.port !== undefined && !p.values.dashboard) throw new UsageError('--port is the port of --dashboard');
  const port = p.values.dashboard ? dashboardPort(p) : null;
  const given = overrides(p);
  const model = str(p, 'model');
  let out = str(p, 'out');
  let cfg: RunConfig;
  if (p.values.resume) {
    if (!out) throw new UsageError('--resume needs --out DIR, the run directory to continue');
    cfg = resumedConfig(out, given, model);
    if (!existsSync(join(out, 'checkpoint.json')))
      throw new UsageError(
        `${out} has no checkpoint.json to resume from; nothing was changed (train it anew with another --out)`,
      );
    try {
      readRunState(out);
    } catch (e) {
      throw new UsageError(describeFsError(e) ?? (e as Error).message);
    }
  } else {
    cfg = newRunConfig(model ?? 'net', {
      ...given,
      // A time budget decides the epochs; --epochs caps them.
      ...(given.timeBudgetS !== undefined && given.epochs === undefined ? { epochs: MAX_BUDGET_EPOCHS } : {}),
    });
    checkRecipe(cfg);
    out ??= nextRunDir(`runs/${cfg.model}-${cfg.dataset.replace(/^imagefolder:.*$/, 'imagefolder')}`);
    checkNewRunDir(out);
  }
  return {
    cfg,
    out,
    resume: Boolean(p.values.resume),
    eager: Boolean(p.values.eager),
    keepOnNaN: Boolean(p.values['no-stop-on-nan']),
    dashboardPort: port,
  };
}

export async function train(argv: string[]): Promise<number> {
  const plan = planTraining(argv);
  if (!plan) return 0;
  const { cfg, out } = plan;
  lockRunDir(out);
  if (!plan.resume && existsSync(join(out, RUN_CONFIG)))
    throw new UsageError(`${out} already holds a run; continue it with --resume or choose another --out`);
  const dashboard =
    plan.dashboardPort === null
      ? null
      : await serveDashboard({ root: out, port: plan.dashboardPort, title: `torchlit train: ${out}` });
  if (dashboard) console.log(`Dashboard: ${dashboard.url}`);
  await runTraining(cfg, out, {
    resume: plan.resume,
    eager: plan.eager,
    keepOnNaN: plan.keepOnNaN,
    drawPictures: drawRunPictures,
    yieldToEventLoop: dashboard !== null,
  });
  if (dashboard) console.log(`Training finished; the dashboard stays at ${dashboard.url} until Ctrl-C`);
  return 0;
}
