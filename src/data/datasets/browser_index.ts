/**
 * The datasets in a page: MNIST, Fashion-MNIST and KMNIST from a URL or from files the user
 * picked, a picked folder of images per class (`imageFolderFromFiles`), in-memory image arrays,
 * and FakeData.
 * @module
 */
export { MNIST, FashionMNIST, KMNIST, type WebMNISTOptions } from './mnist_web.js';
export { MNISTDataset, mnistFromIdx, MNIST_CLASSES, FASHION_MNIST_CLASSES, KMNIST_CLASSES } from './mnist_idx.js';
export { FakeData, type FakeDataOptions } from './fake_data.js';
export { ImageArrayDataset, type ImageArrayOptions } from './image_array.js';
export { imageFolderFromFiles, ImageFilesDataset, type ImageFilesOptions, type PickedFile } from './image_files.js';
export { IMG_EXTENSIONS } from './image_extensions.js';
