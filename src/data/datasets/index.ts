/**
 * The built-in datasets: MNIST and Fashion-MNIST, found locally or downloaded with checksums.
 * @pytorch `torchvision.datasets`
 * @module
 */
export { MNIST, FashionMNIST, MNISTDataset, MNIST_CLASSES, FASHION_MNIST_CLASSES, type MNISTOptions } from './mnist.js';
