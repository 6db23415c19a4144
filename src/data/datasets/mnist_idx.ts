import { Tensor } from '../../tensor/tensor.js';
import type { IdxArray } from '../idx_format.js';
import { ImageArrayDataset, type ImageArrayOptions } from './image_array.js';

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * MNIST's class names, as torchvision's `MNIST.classes` (`'0 - zero'`, ...).
 * @pytorch `torchvision.datasets.MNIST.classes`
 */
export const MNIST_CLASSES = DIGITS.map((d, i) => `${i} - ${d}`);
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
/**
 * Kuzushiji-MNIST's class names, as torchvision's `KMNIST.classes`.
 * @pytorch `torchvision.datasets.KMNIST.classes`
 */
export const KMNIST_CLASSES = ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'];

/** An MNIST-format image classification dataset held in memory as uint8 [N, 28, 28]. */
export class MNISTDataset extends ImageArrayDataset {}

/** How `mnistFromIdx` reads the labels and which part of the images it keeps. */
export interface MnistIdxOptions extends ImageArrayOptions {
  /** QMNIST's label rows: the class first, then NIST's writer and record numbers. */
  table?: boolean;
  what?: string;
}

/**
 * The dataset of an image IDX array and its label IDX array (each with the name errors give it),
 * checked against each other and against the class list.
 */
export function mnistFromIdx(
  name: string,
  classNames: string[],
  [images, imagePath]: [IdxArray, string],
  [labels, labelPath]: [IdxArray, string],
  opts: MnistIdxOptions,
): MNISTDataset {
  if (images.shape.length !== 3 || images.type !== 'ubyte')
    throw new Error(
      `${imagePath}: expected an image file of unsigned bytes, N x rows x cols, got ${images.type} ${images.shape.join('x')}`,
    );
  const table = opts.table ?? false;
  if (table ? labels.shape.length !== 2 || labels.shape[1] < 1 : labels.shape.length !== 1 || labels.type !== 'ubyte')
    throw new Error(
      `${labelPath}: expected a label file of shape ${table ? 'N x 8' : 'N'}, got ${labels.type} ${labels.shape.join('x')}`,
    );
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `${imagePath} holds ${images.shape[0]} images but ${labelPath} holds ${labels.shape[0]} labels; the files do not belong together`,
    );
  }
  // QMNIST's label rows hold the class first, then NIST's writer and record numbers.
  const stride = table ? labels.shape[1] : 1;
  let classes = Float64Array.from({ length: labels.shape[0] }, (_, i) => labels.data[i * stride]);
  let pixels = images.data as Uint8Array;
  const [n, h, w] = images.shape;
  let range = [0, n];
  if (opts.what === 'test10k') range = [0, Math.min(10000, n)];
  if (opts.what === 'test50k') range = [Math.min(10000, n), n];
  if (range[0] !== 0 || range[1] !== n) {
    classes = classes.subarray(range[0], range[1]);
    pixels = pixels.subarray(range[0] * h * w, range[1] * h * w);
  }
  const bad = classes.findIndex((l) => l < 0 || l >= classNames.length);
  if (bad >= 0)
    throw new Error(
      `${labelPath}: label ${classes[bad]} at index ${bad} is not a class of ${name} (0-${classNames.length - 1})`,
    );
  const data = new Tensor(pixels, [classes.length, h, w], 'uint8');
  const targets = new Tensor(classes, [classes.length], 'int64');
  return new MNISTDataset(name, classNames, data, targets, opts);
}
