import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Tensor } from '../../tensor/tensor.js';
import { writeFileAtomic } from '../../util/atomic_file.js';
import { downloadVerified, type RemoteFile } from '../download.js';
import { PickleDict, readPickle, type NumpyArray, type PickleValue } from '../pickle.js';
import { readTar } from '../tar.js';
import { ImageArrayDataset, type ImageArrayOptions } from './image_array.js';
import { readRegularFile } from '../../util/read_file.js';

/**
 * The options of `CIFAR10` and `CIFAR100`: torchvision's `root`, `train`, `download`, `transform`, `targetTransform`.
 * @pytorch `torchvision.datasets.CIFAR10`
 */
export interface CIFAROptions extends ImageArrayOptions {
  /**
   * The folder holding `cifar-10-batches-py` (torchvision's layout) or `cifar-10-batches-bin`
   * (the binary release), or those files themselves; downloads go there. Default
   * `$TORCHLIT_CACHE` or `~/.cache/torchlit`.
   */
  root?: string;
  download?: boolean;
  /** Override the download mirrors (tried in order). */
  mirrors?: string[];
}

interface CifarSpec {
  name: string;
  archive: RemoteFile;
  python: { folder: string; train: string[]; test: string[]; meta: string; namesKey: string; labelsKey: string };
  binary: { folder: string; train: string[]; test: string[]; names: string; labelBytes: number };
}

const CIFAR10_SPEC: CifarSpec = {
  name: 'CIFAR10',
  archive: { name: 'cifar-10-python.tar.gz', md5: 'c58f30108f718f92721af3b95e74349a' },
  python: {
    folder: 'cifar-10-batches-py',
    train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`),
    test: ['test_batch'],
    meta: 'batches.meta',
    namesKey: 'label_names',
    labelsKey: 'labels',
  },
  binary: {
    folder: 'cifar-10-batches-bin',
    train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
    test: ['test_batch.bin'],
    names: 'batches.meta.txt',
    labelBytes: 1,
  },
};

const CIFAR100_SPEC: CifarSpec = {
  name: 'CIFAR100',
  archive: { name: 'cifar-100-python.tar.gz', md5: 'eb9058c3a382ffc7106e4002c42a8d85' },
  python: {
    folder: 'cifar-100-python',
    train: ['train'],
    test: ['test'],
    meta: 'meta',
    namesKey: 'fine_label_names',
    labelsKey: 'fine_labels',
  },
  binary: {
    folder: 'cifar-100-binary',
    train: ['train.bin'],
    test: ['test.bin'],
    names: 'fine_label_names.txt',
    labelBytes: 2,
  },
};

const MIRRORS = ['https://www.cs.toronto.edu/~kriz/'];
const PIXELS = 3 * 32 * 32;

/** A CIFAR dataset: uint8 images [N, 3, 32, 32] (channels first, unlike torchvision's HWC `data`). */
export class CIFARDataset extends ImageArrayDataset {}

function rootOf(opts: CIFAROptions): string {
  return resolve(opts.root ?? process.env.TORCHLIT_CACHE ?? join(homedir(), '.cache', 'torchlit'));
}

/** The folder holding `files`: root/<folder>, or root itself. */
function findFolder(root: string, folder: string, files: string[]): string | null {
  for (const dir of [join(root, folder), root]) if (files.every((f) => existsSync(join(dir, f)))) return dir;
  return null;
}

function requireArray(v: PickleValue | undefined, path: string): NumpyArray {
  if (typeof v !== 'object' || v === null || (v as NumpyArray).kind !== 'ndarray' || (v as NumpyArray).dtype !== 'u1')
    throw new Error(`${path}: 'data' is not a uint8 numpy array; is this a CIFAR batch?`);
  const a = v as NumpyArray;
  if (a.shape.length !== 2 || a.shape[1] !== PIXELS)
    throw new Error(`${path}: 'data' has shape (${a.shape.join(', ')}), expected (N, ${PIXELS})`);
  return a;
}

function readPythonBatch(path: string, labelsKey: string): { pixels: Uint8Array; labels: number[] } {
  const entry = readPickle(readRegularFile(path), path);
  if (!(entry instanceof PickleDict)) throw new Error(`${path}: the pickle holds no dict; is this a CIFAR batch?`);
  const pixels = requireArray(entry.get('data'), path).data as Uint8Array;
  const labels = entry.get(labelsKey);
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'number'))
    throw new Error(`${path}: no list of integer '${labelsKey}'; is this the right CIFAR variant?`);
  if (labels.length * PIXELS !== pixels.length)
    throw new Error(`${path}: ${pixels.length / PIXELS} images but ${labels.length} labels`);
  return { pixels, labels: labels };
}

function readPythonNames(path: string, key: string): string[] {
  const meta = readPickle(readRegularFile(path), path);
  const names = meta instanceof PickleDict ? meta.get(key) : undefined;
  if (!Array.isArray(names)) throw new Error(`${path}: no '${key}' list; the metadata file is corrupted`);
  return names.map((n) => {
    if (n instanceof Uint8Array) return new TextDecoder('latin1').decode(n);
    if (typeof n !== 'string') throw new Error(`${path}: a class name in '${key}' is not a string`);
    return n;
  });
}

function readBinaryBatch(path: string, labelBytes: number): { pixels: Uint8Array; labels: number[] } {
  const bytes = readRegularFile(path);
  const record = labelBytes + PIXELS;
  if (bytes.length === 0 || bytes.length % record !== 0)
    throw new Error(
      `${path}: ${bytes.length} bytes is not a whole number of ${record}-byte CIFAR records (truncated?)`,
    );
  const n = bytes.length / record;
  const pixels = new Uint8Array(n * PIXELS);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(bytes[i * record + labelBytes - 1]);
    pixels.set(bytes.subarray(i * record + labelBytes, (i + 1) * record), i * PIXELS);
  }
  return { pixels, labels };
}

async function download(spec: CifarSpec, root: string, opts: CIFAROptions): Promise<void> {
  const archivePath = join(root, spec.archive.name);
  if (!existsSync(archivePath)) await downloadVerified(spec.archive, opts.mirrors ?? MIRRORS, archivePath, 1_800_000);
  const files = readTar(gunzipSync(readRegularFile(archivePath)), archivePath);
  for (const [path, body] of files) {
    if (path.startsWith(`${spec.python.folder}/`)) writeFileAtomic(join(root, path), body);
  }
}

async function load(spec: CifarSpec, opts: CIFAROptions): Promise<CIFARDataset> {
  const root = rootOf(opts);
  const train = opts.train ?? true;
  const py = spec.python;
  const bin = spec.binary;
  const pyFiles = [...(train ? py.train : py.test), py.meta];
  const binFiles = [...(train ? bin.train : bin.test), bin.names];
  let pyDir = findFolder(root, py.folder, pyFiles);
  const binDir = pyDir ? null : findFolder(root, bin.folder, binFiles);
  if (!pyDir && !binDir) {
    if (!opts.download)
      throw new Error(
        `${spec.name} ${train ? 'training' : 'test'} data not found: looked for ${pyFiles.join(', ')} in ` +
          `${join(root, py.folder)} (or ${binFiles.join(', ')} in ${join(root, bin.folder)}). ` +
          `Pass { download: true } to fetch ${spec.archive.name} from ${MIRRORS[0]}, or set root to the folder that holds ${py.folder}.`,
      );
    await download(spec, root, opts);
    pyDir = findFolder(root, py.folder, pyFiles);
    if (!pyDir) throw new Error(`${join(root, spec.archive.name)} does not hold ${py.folder}/${pyFiles.join(', ')}`);
  }
  const batches = pyDir
    ? (train ? py.train : py.test).map((f) => readPythonBatch(join(pyDir, f), py.labelsKey))
    : (train ? bin.train : bin.test).map((f) => readBinaryBatch(join(binDir!, f), bin.labelBytes));
  const classes = pyDir
    ? readPythonNames(join(pyDir, py.meta), py.namesKey)
    : readRegularFile(join(binDir!, bin.names))
        .toString('utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
  const n = batches.reduce((s, b) => s + b.labels.length, 0);
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Float64Array(n);
  let offset = 0;
  batches.forEach((b, k) => {
    const bad = b.labels.findIndex((l) => !Number.isInteger(l) || l < 0 || l >= classes.length);
    if (bad >= 0) {
      const file = (pyDir ? (train ? py.train : py.test) : train ? bin.train : bin.test)[k];
      throw new Error(`${file}: label ${b.labels[bad]} at index ${bad} is not one of the ${classes.length} classes`);
    }
    pixels.set(b.pixels, offset * PIXELS);
    labels.set(b.labels, offset);
    offset += b.labels.length;
  });
  const data = new Tensor(pixels, [n, 3, 32, 32], 'uint8');
  return new CIFARDataset(spec.name, classes, data, new Tensor(labels, [n], 'int64'), opts);
}

/**
 * `await datasets.CIFAR10({ root, train, download, transform })`: 60,000 32 x 32 colour images
 * in 10 classes, from torchvision's pickled batches (read without running anything) or the binary release.
 * @pytorch `torchvision.datasets.CIFAR10`
 */
export function CIFAR10(opts: CIFAROptions = {}): Promise<CIFARDataset> {
  return load(CIFAR10_SPEC, opts);
}

/**
 * `await datasets.CIFAR100({ root, train, download, transform })`: as CIFAR10 with 100 classes
 * (the fine labels, as torchvision returns).
 * @pytorch `torchvision.datasets.CIFAR100`
 */
export function CIFAR100(opts: CIFAROptions = {}): Promise<CIFARDataset> {
  return load(CIFAR100_SPEC, opts);
}
