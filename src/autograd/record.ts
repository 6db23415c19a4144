import type { Tensor } from '../tensor/tensor.js';
import { reportOp } from './call_trace.js';
import { isGradEnabled } from './grad_mode.js';
import { Node, type BackwardFn } from './node.js';

/**
 * Connects `out` to the graph when gradients are enabled and an input needs them.
 * `backward` receives the gradient of `out` and returns one gradient (or null) per input.
 */
export function record(name: string, out: Tensor, inputs: readonly Tensor[], backward: BackwardFn): Tensor {
  reportOp(name, inputs, out);
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.gradFn = new Node(
    name,
    inputs.map((t) => (t.requiresGrad ? ((t.gradFn as Node | null) ?? t) : null)),
    backward,
  );
  return out;
}
