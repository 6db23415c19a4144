// The datasets the command trains on, by their command-line names: how to open each split, the
// shape of its images, its classes, and the augmentation `--augment` applies.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { Subset } from '../data/dataset.js';
import { CIFAR10, CIFAR100 } from '../data/datasets/cifar.js';
import { ImageArrayDataset } from '../data/datasets/image_array.js';
import { ImageFolder } from '../data/datasets/image_folder.js';
import {
  EMNIST,
  FashionMNIST,
  KMNIST,
  MNIST,
  QMNIST,
  FASHION_MNIST_CLASSES,
  KMNIST_CLASSES,
  MNIST_CLASSES,
  type EMNISTSplit,
} from '../data/datasets/mnist.js';
import { randperm } from '../tensor/creation.js';
import { Generator } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { RandomCrop, RandomHorizontalFlip, CenterCrop } from '../data/image_transforms.js';
import { RandomResizedCrop, Resize } from '../data/resize.js';
import type { Transform } from '../data/transform.js';
import { UsageError } from './usage_error.js';

/** What the command lists for --dataset. */
export const DATASET_NAMES =
  'mnist, fashion-mnist, kmnist, qmnist, emnist-SPLIT (byclass, bymerge, balanced, letters, digits, mnist), cifar10, cifar100, imagefolder:DIR';

const EMNIST_SPLITS = ['byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'];
const EMNIST_CLASSES: Record<string, number> = {
  byclass: 62,
  bymerge: 47,
  balanced: 47,
  letters: 27,
  digits: 10,
  mnist: 10,
};
const FIXED = ['mnist', 'fashion-mnist', 'kmnist', 'qmnist', 'cifar10', 'cifar100'];

/** A dataset split as the command uses it: samples, class names, and each stored image before transforms. */
export interface ImageDataset extends Dataset<[Tensor, number]> {
  readonly classes: string[];
  transform?: Transform;
  /** The stored image of sample `i`: uint8 [C, H, W]. */
  image(i: number): Tensor;
  /** The class of every sample. */
  labels(): number[];
}

/** `name` if the command knows it, else a usage error listing the names. */
export function checkDatasetName(name: string): string {
  if (FIXED.includes(name)) return name;
  if (name.startsWith('emnist-') && EMNIST_SPLITS.includes(name.slice(7))) return name;
  if (name.startsWith('imagefolder:') && name.length > 12) return name;
  throw new UsageError(`--dataset must be one of ${DATASET_NAMES}; got '${name}'`);
}

function folderOf(name: string): string {
  return name.slice('imagefolder:'.length);
}

/** The train and test folders of an image folder dataset: DIR/train and DIR/val (or DIR/test), or DIR for both. */
function imageFolderSplits(dir: string): { train: string; test: string | null } {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`imagefolder:${dir}: ${dir} is not a folder of class folders`);
  const test = ['val', 'test'].map((d) => join(dir, d)).find((d) => existsSync(d));
  if (existsSync(join(dir, 'train')) && test) return { train: join(dir, 'train'), test };
  return { train: dir, test: null };
}

/** Image channels, side and class count of a dataset, known without loading it. */
export function datasetShape(name: string): { channels: number; size: number | null; classes: number } {
  if (name.startsWith('emnist-')) return { channels: 1, size: 28, classes: EMNIST_CLASSES[name.slice(7)] };
  if (name === 'cifar10') return { channels: 3, size: 32, classes: 10 };
  if (name === 'cifar100') return { channels: 3, size: 32, classes: 100 };
  if (name.startsWith('imagefolder:')) {
    const root = imageFolderSplits(folderOf(name)).train;
    const classes = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).length;
    return { channels: 3, size: null, classes };
  }
  return { channels: 1, size: 28, classes: 10 };
}

/** Class names without loading the images (image folders: their sub-folder names). */
export function datasetClasses(name: string): string[] | null {
  if (name === 'mnist' || name === 'qmnist') return MNIST_CLASSES;
  if (name === 'fashion-mnist') return FASHION_MNIST_CLASSES;
  if (name === 'kmnist') return KMNIST_CLASSES;
  return null;
}

/** The augmentation --augment adds to the training split: crops for digits, crops and flips for photos. */
export function augmentation(name: string, imageSize: number): Transform[] {
  if (name.startsWith('imagefolder:')) return [new RandomResizedCrop(imageSize), new RandomHorizontalFlip()];
  if (name === 'cifar10' || name === 'cifar100')
    return [new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip()];
  return [new RandomCrop(28, { padding: 2 })];
}

/** The geometric steps every split of an image folder takes so its images share a size. */
export function sizing(name: string, imageSize: number): Transform[] {
  return name.startsWith('imagefolder:') ? [new Resize(imageSize), new CenterCrop(imageSize)] : [];
}

/** A dataset read from its files, refused when its images are not the dataset's size (an IDX header that reshapes the bytes). */
function inMemory(ds: ImageArrayDataset, name: string, root: string): ImageDataset {
  const size = datasetShape(name).size;
  const [h, w] = ds.data.shape.slice(-2);
  if (size !== null && (h !== size || w !== size))
    throw new UsageError(
      `${name} in ${root}: its images are ${h} x ${w}, but ${name} images are ${size} x ${size}; the files are damaged or of another dataset`,
    );
  return Object.assign(ds, { labels: () => Array.from(ds.targets.values()) });
}

function fromFolder(ds: ImageFolder): ImageFolder & ImageDataset {
  return Object.assign(ds, { labels: () => [...ds.targets] });
}

/** A deterministic tenth of an image folder held out as its test split, when it has no val or test folder. */
function heldOut(ds: ImageFolder & ImageDataset, train: boolean): ImageDataset {
  const order = randperm(ds.length, { generator: new Generator(0) }).toArray();
  const cut = Math.max(1, Math.round(ds.length / 10));
  // A Subset, so the DataLoader's workers see the folder underneath.
  const part = new Subset(ds, train ? order.slice(cut) : order.slice(0, cut));
  const labels = ds.labels();
  const view = Object.assign(part, {
    classes: ds.classes,
    image: (i: number) => ds.image(part.indices[i]),
    labels: () => part.indices.map((i) => labels[i]),
  });
  return Object.defineProperty(view, 'transform', {
    get: () => ds.transform,
    set: (t: Transform | undefined) => (ds.transform = t),
  });
}

/** One split of a dataset, found under `root` or downloaded there. */
export async function openDataset(
  name: string,
  root: string,
  train: boolean,
  transform: Transform | undefined,
): Promise<ImageDataset> {
  const opts = { root, train, download: true, transform };
  if (name === 'mnist') return inMemory(await MNIST(opts), name, root);
  if (name === 'fashion-mnist') return inMemory(await FashionMNIST(opts), name, root);
  if (name === 'kmnist') return inMemory(await KMNIST(opts), name, root);
  if (name === 'qmnist') return inMemory(await QMNIST(opts), name, root);
  if (name.startsWith('emnist-'))
    return inMemory(await EMNIST({ ...opts, split: name.slice(7) as EMNISTSplit }), name, root);
  if (name === 'cifar10') return inMemory(await CIFAR10(opts), name, root);
  if (name === 'cifar100') return inMemory(await CIFAR100(opts), name, root);
  const splits = imageFolderSplits(folderOf(name));
  if (splits.test) return fromFolder(new ImageFolder(train ? splits.train : splits.test, { transform }));
  return heldOut(fromFolder(new ImageFolder(splits.train, { transform })), train);
}
