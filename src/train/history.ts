/** The numbers behind the MNIST tutorial's training curve, plus test accuracy and time. */
export interface History {
  /** Train loss at each logged batch, and the training examples seen by then. */
  trainLosses: number[];
  trainCounter: number[];
  /** The learning rate of each logged batch (of the first parameter group); absent in histories from before it was kept. */
  learningRates?: number[];
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
    learningRates: [],
    epochTrainLosses: [],
    testLosses: [],
    testAccuracy: [],
    testCounter: [],
    trainTimeS: 0,
  };
}

const HISTORY_LISTS = [
  'trainLosses',
  'trainCounter',
  'epochTrainLosses',
  'testLosses',
  'testAccuracy',
  'testCounter',
] as const;

/**
 * A history as `fit` writes it: lists of numbers (null for a NaN loss, as JSON writes it), losses
 * as long as their counters, and the seconds trained.
 */
export function isHistory(v: unknown): v is History {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const h = v as Record<string, unknown>;
  const numbers = (l: unknown) => Array.isArray(l) && l.every((x) => x === null || typeof x === 'number');
  if (!HISTORY_LISTS.every((k) => numbers(h[k]))) return false;
  const length = (k: (typeof HISTORY_LISTS)[number]) => (h[k] as unknown[]).length;
  return (
    length('trainLosses') === length('trainCounter') &&
    length('testLosses') === length('testCounter') &&
    length('testAccuracy') === length('testCounter') &&
    (h.learningRates === undefined ||
      (numbers(h.learningRates) && (h.learningRates as unknown[]).length === length('trainCounter'))) &&
    typeof h.trainTimeS === 'number' &&
    h.trainTimeS >= 0
  );
}
