import { Dropout, Flatten, Linear, ReLU, Sequential } from '../nn/layers.js';

/** The 784-64-64-10 multilayer perceptron with Dropout(0.1), built as an nn.Sequential. */
export function mlp(): Sequential {
  return new Sequential(new Flatten(), new Linear(784, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Dropout(0.1), new Linear(64, 10));
}
