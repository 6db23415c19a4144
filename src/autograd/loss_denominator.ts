import type { Tensor } from '../tensor/tensor.js';

type Observer = (denominator: Tensor) => void;
let observer: Observer | null = null;

/**
 * Says which 0-d tensor a mean loss divides its sum by when that depends on the targets (class
 * weights, ignored targets), so a compiled step that splits the batch can weight each half by it.
 */
export function reportLossDenominator(denominator: Tensor): void {
  observer?.(denominator);
}

/** Runs `fn`, handing `o` each denominator a loss reports. */
export function observeLossDenominators<T>(o: Observer, fn: () => T): T {
  const prev = observer;
  observer = o;
  try {
    return fn();
  } finally {
    observer = prev;
  }
}
