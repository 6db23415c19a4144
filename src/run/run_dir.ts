import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage_error.js';
import type { RunConfig } from './setup.js';
import { checkDatasetName } from './datasets.js';

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
    const cfg = JSON.parse(readFileSync(path, 'utf8')) as RunConfig;
    if (typeof cfg.model !== 'string' || typeof cfg.dataset !== 'string') throw new Error('model or dataset missing');
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
