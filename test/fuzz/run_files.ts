// The JSON files of a run directory (config.json, checkpoint.json, history.json, metrics.json),
// taken from a real run and damaged: a value swapped for one of another type or out of range, a
// key dropped or added, or the text itself mutated. Each is read the way the command reads it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunConfig } from '../../src/run/run_dir.js';
import { readRunHistory, readRunMetrics } from '../../src/run/run_files.js';
import { runTraining } from '../../src/run/run_training.js';
import { createModel, newRunConfig } from '../../src/run/setup.js';
import { checkRunProgress } from '../../src/train/fit_resume.js';
import { readRunState } from '../../src/train/run_checkpoint.js';
import { tempDir, writeIdxDataset } from '../helpers/data.js';
import { mutate } from './file_formats.js';
import { pick, type FuzzFormat } from './harness.js';

let prepared: Promise<{ run: string; data: string }> | null = null;

/** A finished one-epoch run of the MLP on 100 images, made once per process. */
export function sampleRun(): Promise<{ run: string; data: string }> {
  prepared ??= (async () => {
    const data = writeIdxDataset(100, 20);
    const run = join(tempDir('torchlit-fuzz-'), 'run');
    const cfg = newRunConfig('mlp', { epochs: 1, dataRoot: data, logInterval: 2 });
    await runTraining(cfg, run, { resume: false, log: null });
    return { run, data };
  })();
  return prepared;
}

const ODD_VALUES: unknown[] = [
  null,
  -1,
  0,
  0.5,
  1e308,
  -1e308,
  2 ** 53,
  '',
  'abc',
  '__proto__',
  '../../etc',
  [],
  [1, 'x'],
  {},
  { __proto__: null, constructor: 1 },
  true,
];

/** A JSON value with one part damaged: a value replaced, a key removed or added, an array cut. */
function damage(value: unknown, random: () => number, depth = 0): unknown {
  const isObject = typeof value === 'object' && value !== null;
  if (!isObject || depth > 3 || random() < 0.25) return pick(random, ODD_VALUES);
  if (Array.isArray(value)) {
    const list = value as unknown[];
    if (list.length === 0 || random() < 0.3)
      return random() < 0.5 ? list.slice(0, -1) : [...list, pick(random, ODD_VALUES)];
    const i = Math.floor(random() * list.length);
    return list.map((v, j) => (j === i ? damage(v, random, depth + 1) : v));
  }
  const entries = Object.entries(value);
  const choice = random();
  if (choice < 0.15 && entries.length)
    return Object.fromEntries(entries.filter((_, j) => j !== Math.floor(random() * entries.length)));
  if (choice < 0.25)
    return { ...value, [pick(random, ['__proto__', 'constructor', 'extra', ''])]: pick(random, ODD_VALUES) };
  const i = Math.floor(random() * entries.length);
  return Object.fromEntries(entries.map(([k, v], j) => [k, j === i ? damage(v, random, depth + 1) : v]));
}

/** The run file `name`, damaged, written into a copy of the sample run and read by `read(dir)`. */
function runFile(name: string, read: (dir: string) => unknown): FuzzFormat<string> {
  let dir = '';
  let valid: unknown;
  return {
    async prepare() {
      dir = (await sampleRun()).run;
      valid = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    },
    generate(random) {
      const text = JSON.stringify(damage(valid, random));
      return random() < 0.2 ? Buffer.from(mutate(Buffer.from(text), random)).toString('latin1') : text;
    },
    read(text) {
      const original = readFileSync(join(dir, name));
      writeFileSync(join(dir, name), text, 'latin1');
      try {
        return read(dir);
      } finally {
        writeFileSync(join(dir, name), original);
      }
    },
    clear: (e) => e instanceof Error && e.message.includes(join(dir, name)) && !e.message.includes('\n'),
  };
}

/** The run files, each read as the commands read it. */
export const RUN_FILE_FORMATS: Record<string, FuzzFormat<string>> = {
  'config.json': runFile('config.json', (dir) => createModel(readRunConfig(dir))),
  'checkpoint.json': runFile('checkpoint.json', (dir) => checkRunProgress(dir, readRunState(dir), 1, 5)),
  'history.json': runFile('history.json', readRunHistory),
  'metrics.json': runFile('metrics.json', readRunMetrics),
};
