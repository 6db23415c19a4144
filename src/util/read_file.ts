import { readFileSync, statSync } from 'node:fs';
import { withPath } from './fs_error.js';
import { oneLine } from './one_line.js';

/** The most bytes a file is read whole (Node's Buffers end near here). */
export const MAX_FILE_BYTES = 2 ** 31;

/**
 * The bytes of the regular file at `path`. A folder, device or pipe is refused before reading
 * (`/dev/zero` would be read forever), and so is a file larger than `maxBytes`.
 */
export function readRegularFile(path: string, maxBytes = MAX_FILE_BYTES): Buffer {
  let stats;
  try {
    stats = statSync(path);
  } catch (e) {
    throw withPath(e, path);
  }
  if (!stats.isFile())
    throw new Error(
      `${path}: not a regular file (${stats.isDirectory() ? 'a folder' : 'a device, pipe or socket'}); name a file`,
    );
  if (stats.size > maxBytes)
    throw new Error(`${path}: ${stats.size} bytes, more than the ${maxBytes} this file may have`);
  return readFileSync(path);
}

/** The most bytes a run's JSON file (config, checkpoint, history, metrics) may have. */
export const MAX_JSON_BYTES = 2 ** 28;

/** The JSON in the regular file at `path` (at most MAX_JSON_BYTES); bad JSON is an Error saying where, in one line. */
export function readJsonFile(path: string): unknown {
  const text = readRegularFile(path, MAX_JSON_BYTES).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON: ${oneLine((e as Error).message)}`);
  }
}
