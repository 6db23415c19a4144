import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './usage_error.js';
import type { RunConfig } from './setup.js';
import { checkDatasetName } from './datasets.js';
import { modelNames } from '../models/zoo.js';
import { readJsonFile } from '../util/read_file.js';
import { TTA_MODES, type TtaMode } from '../train/tta_views.js';

export const RUN_CONFIG = 'config.json';

/** `base`, or `base-2`, `base-3`, ... whichever does not exist yet. */
export function nextRunDir(base: string): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

/** The settings of the run in `dir`; a missing or foreign directory is a UsageError. */
export function readRunConfig(dir: string): RunConfig {
  const path = join(dir, RUN_CONFIG);
  if (!existsSync(dir))
    throw new UsageError(`run directory ${dir} does not exist (torchlit train --out ${dir} creates it)`);
  if (!existsSync(path)) throw new UsageError(`${dir} is not a torchlit run: it has no ${RUN_CONFIG}`);
  try {
    const cfg = readJsonFile(path) as RunConfig;
    if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new Error('not an object');
    if (typeof cfg.dataset !== 'string') throw new Error('dataset is missing');
    checkRunConfig(cfg);
    return cfg;
  } catch (e) {
    throw new UsageError(`${path} is damaged (${(e as Error).message})`);
  }
}

/** Refuses settings no command line could have given, naming the field. */
function checkRunConfig(cfg: RunConfig): void {
  const positive = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
  const checks: [keyof RunConfig, (v: unknown) => boolean, string][] = [
    ['loss', (v) => v === 'nll' || v === 'cross-entropy', "'nll' or 'cross-entropy'"],
    ['optimizer', (v) => v === 'sgd' || v === 'adam', "'sgd' or 'adam'"],
    ['lr', (v) => typeof v === 'number' && v > 0 && Number.isFinite(v), 'a positive number'],
    ['momentum', (v) => typeof v === 'number' && v >= 0, 'a number >= 0'],
    ['batchSize', positive, 'a positive integer'],
    ['testBatchSize', positive, 'a positive integer'],
    ['epochs', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'an integer >= 0'],
    ['logInterval', positive, 'a positive integer'],
    ['checkpointEvery', positive, 'a positive integer'],
    ['seed', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'an integer >= 0'],
    ['valSplit', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'an integer >= 0'],
    ['trainSize', (v) => v === null || positive(v), 'null or a positive integer'],
    ['model', (v) => typeof v === 'string' && modelNames.includes(v), `one of ${modelNames.join(', ')}`],
    ['dataRoot', (v) => typeof v === 'string' && v !== '', 'a folder'],
    ['augment', (v) => v === undefined || typeof v === 'boolean', 'true or false'],
    ['nesterov', (v) => v === undefined || typeof v === 'boolean', 'true or false'],
    ['weightDecay', (v) => v === undefined || (typeof v === 'number' && v >= 0 && Number.isFinite(v)), 'a number >= 0'],
    ['labelSmoothing', (v) => v === undefined || (typeof v === 'number' && v >= 0 && v <= 1), 'a number from 0 to 1'],
    ['schedule', (v) => v === undefined || v === 'constant' || v === 'onecycle', "'constant' or 'onecycle'"],
    ['tta', (v) => v === undefined || TTA_MODES.includes(v as TtaMode), TTA_MODES.map((m) => `'${m}'`).join(', ')],
    [
      'timeBudgetS',
      (v) => v === undefined || (typeof v === 'number' && v > 0 && Number.isFinite(v)),
      'a positive number of seconds',
    ],
    ['imageSize', (v) => v === undefined || positive(v), 'a positive integer'],
    ['numWorkers', (v) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0), 'an integer >= 0'],
    [
      'normalize',
      (v) => v === null || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') && v[1] !== 0),
      'null or [mean, std] with std not 0',
    ],
  ];
  for (const [name, ok, what] of checks)
    if (!ok(cfg[name])) throw new Error(`${name} is ${JSON.stringify(cfg[name]) ?? 'missing'}, not ${what}`);
  checkDatasetName(cfg.dataset);
}

/**
 * A new run goes into a new or empty folder (or one holding only a run's config.json), never into
 * a system folder or one holding other files.
 */
export function checkNewRunDir(out: string): void {
  if (out.trim() === '') throw new UsageError('--out must name a folder');
  const full = resolve(out);
  if (/^\/(proc|sys|dev)(\/|$)/.test(full))
    throw new UsageError(`--out ${out} is a system folder; choose a folder of your own`);
  if (!existsSync(full)) return;
  if (!statSync(full).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
  const other = readdirSync(full).filter((f) => f !== RUN_CONFIG && f !== '.lock');
  if (!existsSync(join(full, RUN_CONFIG)) && other.length > 0)
    throw new UsageError(
      `--out ${out} already holds other files (${other.slice(0, 3).join(', ')}${other.length > 3 ? ', ...' : ''}); choose a new or empty folder`,
    );
}
