// The runs a dashboard shows: a run directory, or every run directory in a folder, and the
// files of each that it may serve (charts' data and pictures, nothing else).
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { RUN_CONFIG } from '../run/run_dir.js';
import { lockHolder } from '../run/run_lock.js';
import { UsageError } from '../run/usage_error.js';

/** A run as the dashboard's page lists it. */
export interface RunListing {
  name: string;
  /** A process holds the run's lock: it is training now. */
  training: boolean;
  /** The pictures the run has drawn, with their modification times (to reload them when redrawn). */
  pictures: { file: string; mtimeMs: number }[];
}

/** Names a file of a run may have for the dashboard to serve: charts' data and pictures. */
const SERVED_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]*\.(jsonl|json|png|svg)$/;

const isRun = (dir: string) => existsSync(join(dir, RUN_CONFIG));

/** The run directories under `root` (or `root` itself when it is one), by name. */
export class RunFolder {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    let stat;
    try {
      stat = statSync(this.root);
    } catch {
      throw new UsageError(
        `${root} does not exist: give a run directory or a folder of them (torchlit train writes runs/)`,
      );
    }
    if (!stat.isDirectory()) throw new UsageError(`${root} is not a folder: give a run directory or a folder of them`);
  }

  /** Name to directory, read anew each time so that runs started later appear. */
  runs(): Map<string, string> {
    if (isRun(this.root)) return new Map([[basename(this.root), this.root]]);
    const found = new Map<string, string>();
    let names: string[] = [];
    try {
      names = readdirSync(this.root).sort();
    } catch {
      return found;
    }
    for (const name of names) {
      const dir = join(this.root, name);
      if (!name.startsWith('.') && isRun(dir)) found.set(name, dir);
    }
    return found;
  }

  list(): RunListing[] {
    return [...this.runs()].map(([name, dir]) => ({
      name,
      training: lockHolder(dir) !== null,
      pictures: readdirSync(dir)
        .filter((f) => f.endsWith('.png') && SERVED_FILE.test(f))
        .sort()
        .flatMap((file) => {
          const stat = statSync(join(dir, file), { throwIfNoEntry: false });
          return stat?.isFile() ? [{ file, mtimeMs: Math.round(stat.mtimeMs) }] : [];
        }),
    }));
  }

  /** The path of run `name`'s `file`, or null: an unknown run, a file name outside the list, or a link out. */
  file(name: string, file: string): string | null {
    const dir = this.runs().get(name);
    if (!dir || !SERVED_FILE.test(file)) return null;
    try {
      const base = realpathSync(dir);
      const path = realpathSync(join(dir, file));
      return path.startsWith(base + sep) && statSync(path).isFile() ? path : null;
    } catch {
      return null;
    }
  }
}
