// What both exporters read off an autograd op they see by name alone (no arguments): its
// PyTorch name, the target of a shape-only op, the dim of a cat.
import type { OpCall } from './trace.js';

/** Ops that only change the shape: a reshape to the result's. */
export const RESHAPE_OPS: ReadonlySet<string> = new Set([
  'ViewBackward0',
  'UnsqueezeBackward0',
  'SqueezeBackward0',
  'SqueezeBackward1',
]);

/** The autograd op's PyTorch name, for messages: ExpBackward0 -> exp. */
export function opName(node: string): string {
  const base = node.replace(/Backward\d+$/, '');
  return base.charAt(0).toLowerCase() + base.slice(1);
}

/** A shape-only op's target shape, the batch dim as -1 where it carries the example's batch through. */
export function reshapeTarget(c: OpCall, batch: number | null): number[] {
  const shape = [...c.output.shape];
  if (batch !== null && shape.length > 0 && shape[0] === batch && c.inputs[0].shape[0] === batch) shape[0] = -1;
  return shape;
}

/** The dim a cat joined along (its inputs' sizes add up to the result's there), or -1. */
export function catDim(c: OpCall): number {
  const out = c.output.shape;
  if (!c.inputs.every((t) => t.ndim === out.length)) return -1;
  return out.findIndex((s, d) => c.inputs.reduce((sum, t) => sum + t.shape[d], 0) === s);
}
