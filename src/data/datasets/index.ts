/**
 * The built-in datasets: MNIST, Fashion-MNIST, KMNIST, EMNIST, QMNIST, CIFAR-10/100 and
 * ImageFolder, found locally or downloaded with checksums, and FakeData.
 * @pytorch `torchvision.datasets`
 * @module
 */
export {
  MNIST,
  FashionMNIST,
  KMNIST,
  EMNIST,
  QMNIST,
  MNISTDataset,
  MNIST_CLASSES,
  FASHION_MNIST_CLASSES,
  KMNIST_CLASSES,
  type MNISTOptions,
  type EMNISTOptions,
  type EMNISTSplit,
  type QMNISTOptions,
  type QMNISTWhat,
} from './mnist.js';
export { FakeData, type FakeDataOptions } from './fake_data.js';
export { CIFAR10, CIFAR100, CIFARDataset, type CIFAROptions } from './cifar.js';
export { ImageArrayDataset, type ImageArrayOptions } from './image_array.js';
export { ImageFolder, type ImageFolderOptions } from './image_folder.js';
export { IMG_EXTENSIONS } from './image_extensions.js';
export { imageFolderFromFiles, ImageFilesDataset, type ImageFilesOptions, type PickedFile } from './image_files.js';
