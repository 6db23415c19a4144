let enabled = true;

/**
 * Whether operations record the autograd graph now.
 * @pytorch `torch.is_grad_enabled`
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` without recording operations for autograd, as `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new TypeError('noGrad(fn) takes a synchronous function; await outside it, or wrap each synchronous step');
    }
    return result;
  } finally {
    enabled = prev;
  }
}

/**
 * Turns recording of the autograd graph on or off.
 * @pytorch `torch.set_grad_enabled`
 */
export function setGradEnabled(on: boolean): void {
  enabled = on;
}
