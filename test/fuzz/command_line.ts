// Command lines: for each command, options read from its --help, given values drawn from what a
// user might type (good ones, edge numbers, paths that are missing, files, folders, devices,
// system folders) plus unknown options, repeats and stray words. train and compare are checked
// up to the training itself; the others run in full on a small run, with the network cut off.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/args.js';
import { compareHelp, planComparison } from '../../src/cli/commands/compare.js';
import { dataHelp } from '../../src/cli/commands/data.js';
import { evalHelp } from '../../src/cli/commands/eval.js';
import { commands } from '../../src/cli/commands/index.js';
import { inspectHelp } from '../../src/cli/commands/inspect.js';
import { predictHelp } from '../../src/cli/commands/predict.js';
import { planTraining, trainHelp } from '../../src/cli/commands/train.js';
import { vizHelp } from '../../src/cli/commands/viz.js';
import { modelNames } from '../../src/models/zoo.js';
import { fixtureDir } from '../helpers/fixtures.js';
import { pick, type FuzzFormat } from './harness.js';
import { sampleRun } from './run_files.js';

/** The options a help text lists, and whether each takes a value. */
function helpOptions(help: string): [string, boolean][] {
  const found = new Map<string, boolean>();
  for (const m of help.matchAll(/--([a-z][a-z-]*)(?:[ =]([A-Z][\w,.]*|\d+|[a-z]+\|[\w|]+))?/g))
    found.set(m[1], (found.get(m[1]) ?? false) || m[2] !== undefined);
  found.delete('help');
  return [...found];
}

const HELP: Record<string, string> = {
  train: trainHelp,
  eval: evalHelp,
  predict: predictHelp,
  compare: compareHelp,
  inspect: inspectHelp,
  data: dataHelp,
  viz: vizHelp,
};
const PICTURES = ['samples', 'augment', 'curve', 'confusion', 'featuremaps', 'run', 'bogus'];

let scratch = '';
let run = '';
let data = '';
let fresh = 0;

const NUMBERS = [
  '0',
  '1',
  '2',
  '3',
  '-1',
  '-0',
  '1.5',
  '1e308',
  '1e-3',
  'NaN',
  'Infinity',
  '0x10',
  ' 3',
  '٣',
  '9'.repeat(30),
  '',
];
const names = () => [
  ...modelNames,
  'mnist',
  'fashion-mnist',
  'cifar10',
  'emnist-letters',
  'emnist-bogus',
  'sgd',
  'adam',
  'test',
  'train',
  'resnet',
  '',
  'mnist ',
  '__proto__',
  `imagefolder:${join(fixtureDir, 'datasets', 'image_folder')}`,
  'imagefolder:/nonexistent',
];
const dirs = () => [
  run,
  run,
  data,
  data,
  join(scratch, `out-${fresh++}`),
  join(scratch, 'a-file.txt'),
  '',
  '.',
  '/',
  '/proc/x',
  '/dev/zero',
  '/nonexistent/run',
  scratch,
];
const files = () => [
  join(run, 'model.safetensors'),
  join(fixtureDir, 'datasets', 'image_folder', 'B', 'z.png'),
  join(scratch, `pic-${fresh++}.png`),
  join(scratch, `pic-${fresh++}.svg`),
  join(scratch, 'x.txt'),
  '/dev/zero',
  '/dev/null',
  '/nonexistent.png',
  scratch,
  '',
];

/** A value for an option whose help shows it as `metavar`. */
function value(option: string, random: () => number): string {
  if (random() < 0.1) return pick(random, ['', '-', '--', '--model', 'x'.repeat(5000), '\u0000', 'a\nb']);
  if (/^(data|run|out)$/.test(option) && option !== 'out') return pick(random, dirs());
  if (option === 'out') return pick(random, [...dirs(), ...files()]);
  if (option === 'weights') return pick(random, files());
  if (option === 'models') return pick(random, ['mlp', 'mlp,mlp', '', ',', 'mlp,net', 'bogus', 'mlp,resnet8']);
  if (option === 'invert') return pick(random, ['auto', 'yes', 'no', 'maybe']);
  if (option === 'cmap') return pick(random, ['gray', 'viridis', 'jet']);
  if (/^(model|dataset|optimizer|split)$/.test(option)) return pick(random, names());
  return pick(random, NUMBERS);
}

/** A command line for `command`: a few of its options with values, now and then something no command takes. */
function commandLine(command: string, random: () => number): string[] {
  const options = helpOptions(HELP[command]);
  const argv: string[] = command === 'viz' ? [pick(random, PICTURES)] : [];
  if (command === 'predict' || (command === 'viz' && random() < 0.5))
    argv.push(...files().filter(() => random() < 0.3));
  for (let k = Math.floor(random() * 6); k > 0; k--) {
    const [name, takes] = pick(random, options);
    if (!takes) argv.push(`--${name}`);
    else if (random() < 0.5) argv.push(`--${name}`, value(name, random));
    else argv.push(`--${name}=${value(name, random)}`);
  }
  const odd = random();
  if (odd < 0.05) argv.push('--bogus');
  else if (odd < 0.1) argv.push('stray');
  else if (odd < 0.15) argv.push(`--${pick(random, options)[0]}`);
  // Mostly on the small run and dataset, so that most lines get as far as the work itself.
  if (!argv.some((a) => a.startsWith('--run')) && /^(eval|predict|viz)$/.test(command) && random() < 0.7)
    argv.push('--run', run);
  if (!argv.some((a) => a.startsWith('--data')) && random() < 0.8) argv.push('--data', data);
  return argv;
}

/** Runs a command line in this process; train and compare stop once everything is checked. */
async function runCommand([command, ...argv]: string[]): Promise<unknown> {
  if (command === 'train') return planTraining(argv);
  if (command === 'compare') return planComparison(argv);
  return commands[command].run(argv);
}

export const COMMAND_LINE: FuzzFormat<string[]> = {
  async prepare() {
    ({ run, data } = await sampleRun());
    scratch = join(run, '..');
    writeFileSync(join(scratch, 'a-file.txt'), 'not a folder');
    mkdirSync(join(scratch, 'cwd'), { recursive: true });
    process.chdir(join(scratch, 'cwd'));
    globalThis.fetch = () => Promise.reject(new Error('the fuzzer has no network'));
    const quiet = () => undefined;
    console.log = quiet;
    console.error = quiet;
    console.warn = quiet;
  },
  generate(random) {
    const command = pick(random, Object.keys(HELP));
    return [command, ...commandLine(command, random)];
  },
  read: runCommand,
  // A failed download is the network's doing, not the command line's: clear when it names the file and each mirror.
  clear: (e) =>
    (e instanceof UsageError && !e.message.includes('\n')) ||
    (e instanceof Error && /^could not download \S+; nothing was kept:\n {2}https?:\/\//.test(e.message)),
  hangMs: 10_000,
};
