import { add } from '../autograd/ops/elementwise.js';
import { relu } from '../nn/functional.js';
import { BatchNorm2d } from '../nn/batchnorm.js';
import { Conv2d, Flatten, Linear, Sequential } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d } from '../nn/pool_layers.js';
import type { Tensor } from '../tensor/tensor.js';

/** torchvision's ResNet BasicBlock: two 3x3 conv-BN pairs and a shortcut (1x1 conv-BN where the shape changes). */
export class BasicBlock extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  downsample: Sequential | null;

  constructor(inC: number, outC: number, stride = 1) {
    super();
    this.conv1 = new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(outC);
    this.conv2 = new Conv2d(outC, outC, 3, { padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(outC);
    this.downsample =
      stride !== 1 || inC !== outC
        ? new Sequential(new Conv2d(inC, outC, 1, { stride, bias: false }), new BatchNorm2d(outC))
        : null;
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
    return relu(add(out, this.downsample ? this.downsample.forward(x) : x));
  }
}

/**
 * A ResNet-8 for 28x28 images: a 3x3 conv-BN-ReLU stem of 16 channels, three BasicBlocks of 16,
 * 32 (stride 2) and 64 (stride 2) channels, global average pooling, a linear classifier.
 */
export class ResNet8 extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  layer1: BasicBlock;
  layer2: BasicBlock;
  layer3: BasicBlock;
  avgpool: AdaptiveAvgPool2d;
  flatten: Flatten;
  fc: Linear;

  constructor(inChannels = 1, numClasses = 10) {
    super();
    this.conv1 = new Conv2d(inChannels, 16, 3, { padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(16);
    this.layer1 = new BasicBlock(16, 16);
    this.layer2 = new BasicBlock(16, 32, 2);
    this.layer3 = new BasicBlock(32, 64, 2);
    this.avgpool = new AdaptiveAvgPool2d(1);
    this.flatten = new Flatten();
    this.fc = new Linear(64, numClasses);
  }

  forward(x: Tensor): Tensor {
    const h = relu(this.bn1.forward(this.conv1.forward(x)));
    const f = this.layer3.forward(this.layer2.forward(this.layer1.forward(h)));
    return this.fc.forward(this.flatten.forward(this.avgpool.forward(f)));
  }
}
