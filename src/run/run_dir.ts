import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage_error.js';
import type { RunConfig } from './setup.js';

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
    return cfg;
  } catch (e) {
    throw new UsageError(`${path} is damaged (${(e as Error).message})`);
  }
}
