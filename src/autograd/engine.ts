import { backend } from '../backend/index.js';
import { sameShape, formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad_mode.js';
import { Node, type Edge } from './node.js';

function addInto(a: Tensor | undefined, b: Tensor): Tensor {
  if (!a) return b;
  const out = Tensor.empty(a.shape, a.dtype);
  backend().binary('add', a.values(), a.shape, b.values(), b.shape, out.data, out.shape);
  return out;
}

/** Nodes reachable from `root`, each after every node that feeds gradient into it. */
function topologicalOrder(root: Node): Node[] {
  const dependents = new Map<Node, number>();
  const stack: Node[] = [root];
  const seen = new Set<Node>([root]);
  while (stack.length) {
    const node = stack.pop()!;
    for (const e of node.next) {
      if (e instanceof Node) {
        dependents.set(e, (dependents.get(e) ?? 0) + 1);
        if (!seen.has(e)) {
          seen.add(e);
          stack.push(e);
        }
      }
    }
  }
  const order: Node[] = [];
  const ready: Node[] = [root];
  while (ready.length) {
    const node = ready.pop()!;
    order.push(node);
    for (const e of node.next) {
      if (e instanceof Node) {
        const left = dependents.get(e)! - 1;
        dependents.set(e, left);
        if (left === 0) ready.push(e);
      }
    }
  }
  return order;
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  if (!sameShape(leaf.shape, g.shape)) {
    throw new Error(
      `gradient of shape ${formatShape(g.shape)} does not match tensor of shape ${formatShape(leaf.shape)}`,
    );
  }
  if (leaf.grad) {
    const acc = leaf.grad;
    backend().binary('add', acc.values(), acc.shape, g.values(), g.shape, acc.data, acc.shape);
  } else {
    const grad = Tensor.empty(leaf.shape, leaf.dtype);
    backend().copy(g.values(), grad.data);
    leaf.grad = grad;
  }
}

/** `backward`'s keyword arguments: `retainGraph` keeps the saved tensors for a second backward pass. */
export interface BackwardOptions {
  retainGraph?: boolean;
}

/** Reverse-mode differentiation from `root`, accumulating into the `.grad` of leaves. */
export function runBackward(root: Tensor, gradient: Tensor, opts: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error('element 0 of tensors does not require grad and does not have a grad_fn: nothing to differentiate');
  }
  if (!sameShape(root.shape, gradient.shape)) {
    throw new Error(
      `gradient shape ${formatShape(gradient.shape)} does not match output shape ${formatShape(root.shape)}`,
    );
  }
  if (!(root.gradFn instanceof Node)) {
    accumulateLeaf(root, gradient);
    return;
  }
  const grads = new Map<Node, Tensor>([[root.gradFn, gradient]]);
  noGrad(() => {
    for (const node of topologicalOrder(root.gradFn as Node)) {
      const g = grads.get(node)!;
      grads.delete(node);
      const inputGrads = node.apply(g, opts.retainGraph ?? false);
      node.next.forEach((edge: Edge, i) => {
        const ig = inputGrads[i];
        if (!edge || !ig) return;
        if (edge instanceof Node) grads.set(edge, addInto(grads.get(edge), ig));
        else accumulateLeaf(edge, ig);
      });
    }
  });
}
