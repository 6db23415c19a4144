/** The numbers behind the MNIST tutorial's training curve, plus test accuracy and time. */
export interface History {
  /** Train loss at each logged batch, and the training examples seen by then. */
  trainLosses: number[];
  trainCounter: number[];
  /** Mean train loss of each epoch's batches. */
  epochTrainLosses: number[];
  /** Test loss and accuracy (percent) before training and after each epoch, with examples seen. */
  testLosses: number[];
  testAccuracy: number[];
  testCounter: number[];
  /** Seconds spent in fit(), summed over resumed runs. */
  trainTimeS: number;
}

/** A history with nothing recorded yet. */
export function emptyHistory(): History {
  return {
    trainLosses: [],
    trainCounter: [],
    epochTrainLosses: [],
    testLosses: [],
    testAccuracy: [],
    testCounter: [],
    trainTimeS: 0,
  };
}
