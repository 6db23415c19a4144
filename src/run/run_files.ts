// The JSON files a finished run leaves for the pictures: history.json and metrics.json, read and
// checked so that a damaged one is an error naming the file and what is wrong.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isHistory, type History } from '../train/history.js';
import { readRunConfig } from './run_dir.js';
import { UsageError } from './usage_error.js';
import { readJsonFile } from '../util/read_file.js';

/** The fields of a run's metrics.json that the pictures use. */
export interface RunMetrics {
  model: string;
  classes: string[];
  confusion: number[][];
}

function readRunJson(run: string, file: string, what: string): unknown {
  readRunConfig(run);
  const path = join(run, file);
  if (!existsSync(path))
    throw new UsageError(`${run} has no ${file} yet (it is written when training finishes): no ${what} to draw`);
  try {
    return readJsonFile(path);
  } catch (e) {
    throw new UsageError(`${path} is damaged (${(e as Error).message})`);
  }
}

/** The run's history.json: the losses and accuracies the curves draw. */
export function readRunHistory(run: string): History {
  const history = readRunJson(run, 'history.json', 'curve');
  if (!isHistory(history))
    throw new UsageError(
      `${join(run, 'history.json')} is damaged (not a training history: lists of numbers, losses as long as their counters)`,
    );
  return history;
}

/** The run's metrics.json: the model, its classes and the test set's confusion matrix. */
export function readRunMetrics(run: string): RunMetrics {
  const m = readRunJson(run, 'metrics.json', 'confusion matrix') as Partial<RunMetrics> | null;
  const classes = m?.classes;
  const counts = (row: unknown) =>
    Array.isArray(row) && row.length === classes?.length && row.every((c) => Number.isSafeInteger(c) && c >= 0);
  const problem =
    typeof m !== 'object' || m === null || Array.isArray(m)
      ? 'not an object'
      : typeof m.model !== 'string'
        ? 'model is not a name'
        : !Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string')
          ? 'classes is not a list of names'
          : !Array.isArray(m.confusion) || m.confusion.length !== classes.length || !m.confusion.every(counts)
            ? `confusion is not a ${classes.length} x ${classes.length} matrix of counts`
            : null;
  if (problem) throw new UsageError(`${join(run, 'metrics.json')} is damaged (${problem})`);
  return m as RunMetrics;
}
