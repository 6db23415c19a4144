// Node's file-system errors say "ENOSPC: no space left on device, write" without the file; these
// helpers keep the path with the error and turn it into one line naming the file and the fix.

/** A Node system error: a code such as ENOSPC, the call, and the path where Node knows it. */
export interface FsError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

/** Whether `e` is one of Node's file-system errors. */
export function isFsError(e: unknown): e is FsError {
  return (
    e instanceof Error && typeof (e as Partial<FsError>).code === 'string' && /^E[A-Z]+$/.test((e as FsError).code)
  );
}

/** Gives a file-system error that names no file (a failed `write` on a descriptor) the path it was about. */
export function withPath(e: unknown, path: string): unknown {
  if (isFsError(e) && e.path === undefined) e.path = path;
  return e;
}

const PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device; free some space and run the command again',
  EDQUOT: 'the disk quota is used up; free some space and run the command again',
  EACCES: 'permission denied; choose a folder you can write to, or fix its permissions',
  EPERM: 'operation not permitted; choose a folder you can write to, or fix its permissions',
  EROFS: 'the file system is read-only; choose a folder on a writable disk',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many open files; close other programs or raise the limit (ulimit -n)',
  EIO: 'the device reported an input/output error',
};

/** One line for a file-system error, naming the path, the problem and the fix; null for other errors. */
export function describeFsError(e: unknown): string | null {
  if (!isFsError(e)) return null;
  const where = e.path === undefined ? '' : ` ${e.path}`;
  const action = e.syscall ? `${e.syscall}${where}` : `file${where}`;
  return `cannot ${action}: ${PROBLEMS[e.code] ?? e.message} (${e.code})`;
}
