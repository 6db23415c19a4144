/**
 * The tutorials' models and the zoo of their training settings.
 * @module
 */
export { Net } from './net.js';
export { MLP, mlp } from './mlp.js';
export { FashionMNISTModelV0, FashionMNISTModelV1, FashionMNISTModelV2 } from './fashion.js';
export { Network } from './network.js';
export { BatchNormCNN } from './bn_cnn.js';
export { ResNet8, BasicBlock } from './resnet.js';
export { FastCNN } from './fast_cnn.js';
export {
  zoo,
  zooEntry,
  modelNames,
  type ZooEntry,
  type HyperParams,
  type DatasetName,
  type OptimizerName,
  type LossName,
} from './zoo.js';
