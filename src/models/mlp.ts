import { Dropout, Flatten, Linear, ReLU, Sequential } from '../nn/layers.js';

/** The 784-64-64-10 multilayer perceptron with Dropout(0.1): an nn.Sequential under its own name. */
export class MLP extends Sequential {
  constructor() {
    super(
      new Flatten(),
      new Linear(784, 64),
      new ReLU(),
      new Linear(64, 64),
      new ReLU(),
      new Dropout(0.1),
      new Linear(64, 10),
    );
  }
}

/** The same layers as a plain nn.Sequential, printed as the tutorial prints it. */
export function mlp(): Sequential {
  return new Sequential(
    new Flatten(),
    new Linear(784, 64),
    new ReLU(),
    new Linear(64, 64),
    new ReLU(),
    new Dropout(0.1),
    new Linear(64, 10),
  );
}
