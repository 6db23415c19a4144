import * as F from '../nn/functional.js';
import { Conv2d, Dropout2d, Linear } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** The CNN of PyTorch's MNIST example. */
export class Net extends Module {
  conv1 = new Conv2d(1, 10, 5);
  conv2 = new Conv2d(10, 20, 5);
  conv2_drop = new Dropout2d();
  fc1 = new Linear(320, 50);
  fc2 = new Linear(50, 10);

  forward(x: Tensor): Tensor {
    x = F.relu(F.maxPool2d(this.conv1.forward(x), 2));
    x = F.relu(F.maxPool2d(this.conv2_drop.forward(this.conv2.forward(x)), 2));
    x = x.view(-1, 320);
    x = F.relu(this.fc1.forward(x));
    x = F.dropout(x, 0.5, this.training);
    return F.logSoftmax(this.fc2.forward(x), 1);
  }
}
