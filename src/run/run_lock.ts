// A run directory belongs to one writer at a time: `<dir>/.lock` holds the writer's pid, created
// atomically (O_EXCL); a lock whose process is gone (killed with -9) is taken over.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFsError, isFsError } from '../util/fs_error.js';
import { UsageError } from './usage_error.js';

const LOCK = '.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** The pid of the live process that holds `dir`'s lock (the run is training), or null. */
export function lockHolder(dir: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(dir, LOCK), 'utf8'), 10);
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/** Takes `dir`'s lock for this process until it exits; a live other holder is a UsageError naming it. */
export function lockRunDir(dir: string): void {
  const path = join(dir, LOCK);
  try {
    mkdirSync(dir, { recursive: true });
    tryLock(dir, path);
  } catch (e) {
    if (e instanceof UsageError || !isFsError(e)) throw e;
    throw new UsageError(`--out ${dir} cannot hold a run: ${describeFsError(e)}`);
  }
}

function tryLock(dir: string, path: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      process.on('exit', () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone.
        }
      });
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
    const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (holder === process.pid) return;
    if (Number.isInteger(holder) && holder > 0 && alive(holder))
      throw new UsageError(`${dir} is in use by process ${holder}; wait for it to finish or choose another --out`);
    unlinkSync(path);
  }
  throw new UsageError(`${dir}: could not take its lock file ${path}`);
}
