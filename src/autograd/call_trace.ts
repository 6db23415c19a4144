// What export tracing sees. While an observer is set (observeCalls), the functions that report
// their calls (nn.functional's layers and activations, BatchNorm) tell it their arguments and
// result, and every autograd op or in-place write outside such a call is told too; what a reported
// call does inside it is not. Without an observer each report is one null check.
import type { Tensor } from '../tensor/tensor.js';

/** Told of each outermost reported call, each autograd op outside one, and each in-place write. */
export interface CallObserver {
  call(fn: string, args: readonly unknown[], output: Tensor): void;
  op(name: string, inputs: readonly Tensor[], output: Tensor): void;
  inPlace(op: string, target: Tensor): void;
}

let observer: CallObserver | null = null;
let depth = 0;

/** Runs `fn` with `o` told of its calls and ops. */
export function observeCalls<T>(o: CallObserver, fn: () => T): T {
  if (observer) throw new Error('observeCalls: a trace is already running (one at a time)');
  observer = o;
  depth = 0;
  try {
    return fn();
  } finally {
    observer = null;
    depth = 0;
  }
}

/** `compute()`, reported as the call `fn(...args)` when it is the outermost one. */
export function reportedCall<T extends Tensor>(fn: string, args: readonly unknown[], compute: () => T): T {
  const o = observer;
  if (!o) return compute();
  depth++;
  let out: T;
  try {
    out = compute();
  } finally {
    depth--;
  }
  if (depth === 0) o.call(fn, args, out);
  return out;
}

/** An autograd op's result (called by `record` for every op). */
export function reportOp(name: string, inputs: readonly Tensor[], output: Tensor): void {
  if (observer && depth === 0) observer.op(name, inputs, output);
}

/** An in-place write into `target`. */
export function reportInPlace(op: string, target: Tensor): void {
  if (observer && depth === 0) observer.inPlace(op, target);
}
