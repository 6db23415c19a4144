/**
 * The datasets in a page: MNIST, Fashion-MNIST and KMNIST from a URL or from files the user
 * picked, in-memory image arrays, and FakeData.
 * @module
 */
export { MNIST, FashionMNIST, KMNIST, type WebMNISTOptions } from './mnist_web.js';
export { MNISTDataset, mnistFromIdx, MNIST_CLASSES, FASHION_MNIST_CLASSES, KMNIST_CLASSES } from './mnist_idx.js';
export { FakeData, type FakeDataOptions } from './fake_data.js';
export { ImageArrayDataset, type ImageArrayOptions } from './image_array.js';
