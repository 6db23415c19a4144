import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** The Fashion-MNIST tutorial's linear baseline. */
export class FashionMNISTModelV0 extends Module {
  layer_stack: Sequential;

  constructor(inputShape = 784, hiddenUnits = 10, outputShape = 10) {
    super();
    this.layer_stack = new Sequential(
      new Flatten(),
      new Linear(inputShape, hiddenUnits),
      new Linear(hiddenUnits, outputShape),
    );
  }

  forward(x: Tensor): Tensor {
    return this.layer_stack.forward(x);
  }
}

/** The Fashion-MNIST tutorial's model with non-linearities. */
export class FashionMNISTModelV1 extends Module {
  layer_stack: Sequential;

  constructor(inputShape = 784, hiddenUnits = 10, outputShape = 10) {
    super();
    this.layer_stack = new Sequential(
      new Flatten(),
      new Linear(inputShape, hiddenUnits),
      new ReLU(),
      new Linear(hiddenUnits, outputShape),
      new ReLU(),
    );
  }

  forward(x: Tensor): Tensor {
    return this.layer_stack.forward(x);
  }
}

/** TinyVGG, the Fashion-MNIST tutorial's CNN. */
export class FashionMNISTModelV2 extends Module {
  block_1: Sequential;
  block_2: Sequential;
  classifier: Sequential;

  constructor(inputShape = 1, hiddenUnits = 10, outputShape = 10) {
    super();
    this.block_1 = new Sequential(
      new Conv2d(inputShape, hiddenUnits, 3, { stride: 1, padding: 1 }),
      new ReLU(),
      new Conv2d(hiddenUnits, hiddenUnits, 3, { stride: 1, padding: 1 }),
      new ReLU(),
      new MaxPool2d(2, { stride: 2 }),
    );
    this.block_2 = new Sequential(
      new Conv2d(hiddenUnits, hiddenUnits, 3, { padding: 1 }),
      new ReLU(),
      new Conv2d(hiddenUnits, hiddenUnits, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
    );
    this.classifier = new Sequential(new Flatten(), new Linear(hiddenUnits * 7 * 7, outputShape));
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.block_2.forward(this.block_1.forward(x)));
  }
}
