import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { withPath } from './fs_error.js';

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes through a temporary file, fsync and rename, then syncs the directory: the final name
 * holds either the old file or the whole new one, even if the process is killed mid-write. A
 * folder, device or pipe at `path` is refused (a rename would replace `/dev/null` itself).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile())
    throw new Error(
      `cannot write ${path}: it is ${existing.isDirectory() ? 'a folder' : 'a device, pipe or socket'}, not a file; choose another path`,
    );
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw withPath(e, dir);
  }
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    fsyncPath(tmp, 'r');
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw withPath(e, path);
  }
  try {
    fsyncPath(dir, 'r');
  } catch {
    // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
  }
}
