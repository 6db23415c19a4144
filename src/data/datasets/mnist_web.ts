// MNIST-format datasets in a page: the two IDX files from a folder URL (as the mirrors name them,
// raw or .gz) or handed over as File, Blob or ArrayBuffer.
import { checkOptions } from '../../util/options.js';
import { parseIdx } from '../idx_format.js';
import { readMaybeGzipped, type BinarySource } from '../../util/web_bytes.js';
import type { ImageArrayOptions } from './image_array.js';
import { FASHION_MNIST_CLASSES, KMNIST_CLASSES, MNIST_CLASSES, mnistFromIdx, type MNISTDataset } from './mnist_idx.js';

/** The most bytes an IDX file may inflate to in a page (EMNIST's largest is 547 MB). */
const MAX_WEB_IDX_BYTES = 2 ** 30;

/**
 * Where a page's MNIST comes from: `url`, a folder holding `train-images-idx3-ubyte.gz` and the
 * other files (each gzipped or raw), or `images` and `labels` themselves.
 */
export interface WebMNISTOptions extends ImageArrayOptions {
  url?: string | URL;
  images?: BinarySource;
  labels?: BinarySource;
}

/** The file of a split, from the folder: the mirrors' `.gz` first, then the raw name. */
async function fromFolder(base: string, name: string): Promise<[Uint8Array, string]> {
  const errors: string[] = [];
  for (const file of [`${name}.gz`, name]) {
    const url = new URL(file, base.endsWith('/') ? base : `${base}/`).href;
    try {
      return [await readMaybeGzipped(url, url, MAX_WEB_IDX_BYTES), url];
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  throw new Error(`${name} not found: ${errors.join('; ')}`);
}

async function load(name: string, classes: string[], opts: WebMNISTOptions): Promise<MNISTDataset> {
  checkOptions(`${name} (browser)`, opts, ['url', 'images', 'labels', 'train', 'transform', 'targetTransform'], {
    download: false,
  });
  const prefix = opts.train === false ? 't10k' : 'train';
  const files = [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
  let parts: [Uint8Array, string][];
  if (opts.images !== undefined || opts.labels !== undefined) {
    if (opts.images === undefined || opts.labels === undefined || opts.url !== undefined)
      throw new RangeError(`${name}: give both images and labels, or a url, not a mix`);
    parts = await Promise.all(
      [opts.images, opts.labels].map(async (s, i) => {
        const label = typeof Blob !== 'undefined' && s instanceof Blob && 'name' in s ? String(s.name) : files[i];
        return [await readMaybeGzipped(s, label, MAX_WEB_IDX_BYTES), label] as [Uint8Array, string];
      }),
    );
  } else if (opts.url !== undefined) {
    const base = new URL(String(opts.url), globalThis.location?.href).href;
    parts = await Promise.all(files.map((f) => fromFolder(base, f)));
  } else throw new RangeError(`${name}: in the browser, give a url (the folder of the IDX files) or images and labels`);
  const [[imageBytes, imageName], [labelBytes, labelName]] = parts;
  return mnistFromIdx(
    name,
    classes,
    [parseIdx(imageBytes, imageName), imageName],
    [parseIdx(labelBytes, labelName), labelName],
    opts,
  );
}

/**
 * `await datasets.MNIST({ url: '/data/mnist/', train: false })` in a page.
 * @pytorch `torchvision.datasets.MNIST`
 */
export function MNIST(opts: WebMNISTOptions = {}): Promise<MNISTDataset> {
  return load('MNIST', MNIST_CLASSES, opts);
}

/**
 * `await datasets.FashionMNIST({ url })` in a page.
 * @pytorch `torchvision.datasets.FashionMNIST`
 */
export function FashionMNIST(opts: WebMNISTOptions = {}): Promise<MNISTDataset> {
  return load('FashionMNIST', FASHION_MNIST_CLASSES, opts);
}

/**
 * `await datasets.KMNIST({ url })` in a page.
 * @pytorch `torchvision.datasets.KMNIST`
 */
export function KMNIST(opts: WebMNISTOptions = {}): Promise<MNISTDataset> {
  return load('KMNIST', KMNIST_CLASSES, opts);
}
