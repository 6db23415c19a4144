// A training run's checkpoint: model and optimizer safetensors plus `checkpoint.json` (where the run
// stands, the generator, the history). `checkpoint.json` is written last and names the files it
// goes with, so a process killed at any moment leaves the previous checkpoint whole.
import { existsSync, linkSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, loadOptimizer, saveModel, saveOptimizer } from '../io/checkpoint.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { SchedulerState } from '../optim/lr_scheduler.js';
import type { SchedulePlan } from './fit_budget.js';
import type { GeneratorState } from '../tensor/generator.js';
import { writeFileAtomic } from '../util/atomic_file.js';
import { isHistory, type History } from './history.js';
import { readJsonFile } from '../util/read_file.js';

/** The name of a run's checkpoint file, written last of each checkpoint. */
export const CHECKPOINT_FILE = 'checkpoint.json';
const FORMAT = 'torchlit.run.v1';

/** What `checkpoint.json` holds: where the run stands, its generators, its history and its files. */
export interface RunState {
  format: typeof FORMAT;
  /** Counts the checkpoints written; names their files. */
  serial: number;
  /** The epoch in progress (1-based) or just finished. */
  epoch: number;
  /** Batches of `epoch` already trained. */
  batchesDone: number;
  /** Optimizer steps taken in the whole run. */
  step: number;
  /** True once `epoch` is trained and tested. */
  epochComplete: boolean;
  /**
   * The generators (the global one, then the loaders' own) now, and where they stood when `epoch`
   * began, to redraw that epoch's sample order.
   */
  generators: GeneratorState[];
  epochStartGenerators: GeneratorState[];
  history: History;
  /** Sum of the train losses of `epoch`'s batches so far (for its mean when resumed mid-epoch). */
  epochLossSum: number;
  model: string;
  optimizer: string;
  config?: Record<string, unknown>;
  /** The learning-rate scheduler's state, when the run has one. */
  scheduler?: SchedulerState;
  /** The states of the callbacks that keep one (EarlyStopping, BestCheckpoint), in their order. */
  callbacks?: Record<string, unknown>[];
  /** The steps a time budget laid the run out over, once decided. */
  plan?: SchedulePlan;
}

export type RunStateFields = Omit<RunState, 'format' | 'model' | 'optimizer' | 'serial'>;

/** Replaces `name` in `dir` by a hard link to `target`, atomically (a copy where links fail). */
function pointAt(dir: string, name: string, target: string): void {
  const tmp = join(dir, `${name}.${process.pid}.link.tmp`);
  rmSync(tmp, { force: true });
  try {
    linkSync(join(dir, target), tmp);
    renameSync(tmp, join(dir, name));
  } catch {
    rmSync(tmp, { force: true });
    writeFileAtomic(join(dir, name), readFileSync(join(dir, target)));
  }
}

/** Writes a checkpoint of the run into `dir`; older checkpoint files are removed once it is committed. */
export function writeRunCheckpoint(
  dir: string,
  model: Module,
  optimizer: Optimizer<object>,
  fields: RunStateFields,
  previousSerial: number,
): RunState {
  const serial = previousSerial + 1;
  const tag = String(serial).padStart(6, '0');
  const state: RunState = {
    format: FORMAT,
    serial,
    ...fields,
    model: `model-${tag}.safetensors`,
    optimizer: `optimizer-${tag}.safetensors`,
  };
  saveModel(model, join(dir, state.model), { epoch: String(fields.epoch), batches_done: String(fields.batchesDone) });
  saveOptimizer(optimizer, join(dir, state.optimizer));
  writeFileAtomic(join(dir, CHECKPOINT_FILE), JSON.stringify(state));
  pointAt(dir, 'model.safetensors', state.model);
  pointAt(dir, 'optimizer.safetensors', state.optimizer);
  for (const f of readdirSync(dir)) {
    if (/^(model|optimizer)-\d+\.safetensors$/.test(f) && f !== state.model && f !== state.optimizer)
      rmSync(join(dir, f), { force: true });
  }
  return state;
}

/** Temporary files of writes that a killed process never finished. */
export function removeUnfinishedWrites(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
}

/** Reads `checkpoint.json` of `dir`, checking that it is one and that its files are there. */
export function readRunState(dir: string): RunState {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path))
    throw new Error(
      `${dir} has no ${CHECKPOINT_FILE}: no checkpoint to resume from (was the run started with a checkpoint directory?)`,
    );
  let state: RunState;
  try {
    state = readJsonFile(path) as RunState;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}; the run directory is damaged`);
  }
  if (state?.format !== FORMAT)
    throw new Error(
      `${path} is not a torchlit run checkpoint (format ${JSON.stringify(state?.format ?? null)}, expected ${FORMAT})`,
    );
  const field = (name: keyof RunState, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(state[name]))
      throw new Error(
        `${path}: ${name} is ${JSON.stringify(state[name]) ?? 'missing'}, not ${what}; the run directory is damaged`,
      );
  };
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const states = (v: unknown) =>
    Array.isArray(v) &&
    v.every((g) => typeof g === 'object' && g !== null && Array.isArray((g as { mt?: unknown }).mt));
  const untrained = state.epochComplete === true && state.batchesDone === 0 && state.step === 0;
  field(
    'epoch',
    (v) => count(v) && ((v as number) >= 1 || untrained),
    'an epoch number (1 or more; 0 for no training)',
  );
  field('batchesDone', count, 'a count of batches');
  field('step', count, 'a count of steps');
  field('serial', count, 'a checkpoint number');
  field('epochComplete', (v) => typeof v === 'boolean', 'true or false');
  field('epochLossSum', (v) => typeof v === 'number' && Number.isFinite(v), 'a finite number');
  field('generators', states, 'a list of generator states');
  field('epochStartGenerators', states, 'a list of generator states');
  field(
    'scheduler',
    (v) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v)),
    'a scheduler state',
  );
  field(
    'callbacks',
    (v) => v === undefined || (Array.isArray(v) && v.every((c) => typeof c === 'object' && c !== null)),
    'a list of callback states',
  );
  field(
    'plan',
    (v) => {
      if (v === undefined) return true;
      if (typeof v !== 'object' || v === null) return false;
      const { epochs, stepsPerEpoch, totalSteps } = v as Record<string, unknown>;
      const positive = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 1;
      return (
        positive(epochs) &&
        positive(stepsPerEpoch) &&
        positive(totalSteps) &&
        Math.ceil(totalSteps / stepsPerEpoch) === epochs
      );
    },
    'a plan of epochs, stepsPerEpoch and totalSteps',
  );
  field('history', isHistory, 'a history (lists of numbers and trainTimeS)');
  for (const f of [state.model, state.optimizer]) {
    if (typeof f !== 'string' || f.includes('/') || !existsSync(join(dir, f)))
      throw new Error(`${path} names ${JSON.stringify(f)}, which is missing from ${dir}`);
  }
  return state;
}

/** Loads the checkpoint's weights and optimizer state; errors name the file and change nothing. */
export function restoreRunCheckpoint(dir: string, state: RunState, model: Module, optimizer: Optimizer<object>): void {
  const before = model.stateDict();
  const saved = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.clone()]));
  loadModel(model, join(dir, state.model));
  try {
    loadOptimizer(optimizer, join(dir, state.optimizer));
  } catch (e) {
    model.loadStateDict(saved);
    throw e;
  }
}
