export { MNIST, FashionMNIST, MNISTDataset, type MNISTOptions } from './mnist.js';
