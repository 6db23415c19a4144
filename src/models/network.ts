import * as F from '../nn/functional.js';
import { Conv2d, Linear } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** The LeNet-like CNN of the Fashion-MNIST Adam tutorial. */
export class Network extends Module {
  conv1 = new Conv2d(1, 6, 5);
  conv2 = new Conv2d(6, 12, 5);
  fc1 = new Linear(12 * 4 * 4, 120);
  fc2 = new Linear(120, 60);
  out = new Linear(60, 10);

  forward(t: Tensor): Tensor {
    t = F.maxPool2d(F.relu(this.conv1.forward(t)), 2, 2);
    t = F.maxPool2d(F.relu(this.conv2.forward(t)), 2, 2);
    t = F.relu(this.fc1.forward(t.reshape(-1, 12 * 4 * 4)));
    t = F.relu(this.fc2.forward(t));
    return this.out.forward(t);
  }
}
