import { BatchNorm2d } from '../nn/batchnorm.js';
import { Conv2d, Flatten, Linear, ReLU, Sequential } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d } from '../nn/pool_layers.js';
import type { Tensor } from '../tensor/tensor.js';

/** Conv (no bias), BatchNorm, ReLU. */
function convBnRelu(inC: number, outC: number, stride: number): Sequential {
  return new Sequential(
    new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false }),
    new BatchNorm2d(outC),
    new ReLU(),
  );
}

/**
 * A batch-normalised CNN for 28x28 images: four conv-BN-ReLU blocks (32, 64 with stride 2, 64,
 * 128 with stride 2), global average pooling, a linear classifier.
 */
export class BatchNormCNN extends Module {
  features: Sequential;
  classifier: Sequential;

  constructor(inChannels = 1, numClasses = 10) {
    super();
    this.features = new Sequential(
      convBnRelu(inChannels, 32, 1),
      convBnRelu(32, 64, 2),
      convBnRelu(64, 64, 1),
      convBnRelu(64, 128, 2),
      new AdaptiveAvgPool2d(1),
    );
    this.classifier = new Sequential(new Flatten(), new Linear(128, numClasses));
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.features.forward(x));
  }
}
