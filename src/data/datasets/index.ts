export { MNIST, FashionMNIST, MNISTDataset, MNIST_CLASSES, FASHION_MNIST_CLASSES, type MNISTOptions } from './mnist.js';
