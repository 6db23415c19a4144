import { backend } from '../backend/index.js';
import { sameShape, formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad_mode.js';
import { Node, type Edge, type GradHook } from './node.js';

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

/** Hooks registered on leaf tensors, run before their gradient accumulates. */
const leafHooks = new WeakMap<Tensor, GradHook[]>();

/** The hooks of a tensor: a leaf's own list, or its node's. */
export function hooksOf(t: Tensor): GradHook[] {
  if (t.gradFn instanceof Node) return t.gradFn.hooks;
  let hooks = leafHooks.get(t);
  if (!hooks) leafHooks.set(t, (hooks = []));
  return hooks;
}

function runHooks(hooks: readonly GradHook[] | undefined, g: Tensor): Tensor {
  for (const hook of hooks ?? []) {
    const replaced = hook(g);
    if (replaced) {
      if (!sameShape(replaced.shape, g.shape))
        throw new Error(
          `hook returned a gradient of shape ${formatShape(replaced.shape)} for one of shape ${formatShape(g.shape)}`,
        );
      g = replaced;
    }
  }
  return g;
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

function checkRoot(root: Tensor, gradient: Tensor, i = 0): void {
  if (!root.requiresGrad) {
    throw new Error(
      `element ${i} of tensors does not require grad and does not have a grad_fn: nothing to differentiate`,
    );
  }
  if (!sameShape(root.shape, gradient.shape)) {
    throw new Error(
      `gradient shape ${formatShape(gradient.shape)} does not match output shape ${formatShape(root.shape)}`,
    );
  }
}

/**
 * Runs the graph backward from `roots` with their gradients. Each gradient reaching a leaf goes to
 * `deliver` (after the leaf's hooks); a node's total gradient is offered to `atNode` first.
 */
function propagate(
  roots: readonly Tensor[],
  gradients: readonly Tensor[],
  retainGraph: boolean,
  deliver: (leaf: Tensor, g: Tensor) => void,
  atNode: (node: Node, g: Tensor) => void,
): void {
  const grads = new Map<Node, Tensor>();
  const start: Node[] = [];
  roots.forEach((root, i) => {
    if (root.gradFn instanceof Node) {
      grads.set(root.gradFn, addInto(grads.get(root.gradFn), gradients[i]));
      start.push(root.gradFn);
    } else deliver(root, runHooks(leafHooks.get(root), gradients[i]));
  });
  if (start.length === 0) return;
  const top = start.length === 1 ? start[0] : new Node('roots', start, () => []);
  noGrad(() => {
    for (const node of topologicalOrder(top)) {
      if (node === top && start.length > 1) continue;
      let g = grads.get(node)!;
      grads.delete(node);
      g = runHooks(node.hooks, g);
      if (node.retained) accumulateLeaf(node.retained, g);
      atNode(node, g);
      const inputGrads = node.apply(g, retainGraph);
      node.next.forEach((edge: Edge, i) => {
        const ig = inputGrads[i];
        if (!edge || !ig) return;
        if (edge instanceof Node) grads.set(edge, addInto(grads.get(edge), ig));
        else deliver(edge, runHooks(leafHooks.get(edge), ig));
      });
    }
  });
}

/** Reverse-mode differentiation from `root`, accumulating into the `.grad` of leaves. */
export function runBackward(root: Tensor, gradient: Tensor, opts: BackwardOptions = {}): void {
  checkRoot(root, gradient);
  propagate([root], [gradient], opts.retainGraph ?? false, accumulateLeaf, () => {});
}

/** `autograd.grad`'s keyword arguments. */
export interface GradOptions {
  /** The gradients of the outputs (ones for a scalar output by default). */
  gradOutputs?: Tensor | readonly (Tensor | null)[];
  retainGraph?: boolean;
  /** Return null for an input the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
  /** Only false: the gradients are not differentiable again here. */
  createGraph?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned instead of accumulated: no
 * `.grad` changes (except retained ones on the way).
 * @pytorch `torch.autograd.grad`
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: GradOptions = {},
): (Tensor | null)[] {
  if (opts.createGraph) throw new Error('autograd.grad: not supported: createGraph (higher-order gradients)');
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const given = opts.gradOutputs instanceof Tensor ? [opts.gradOutputs] : (opts.gradOutputs ?? []);
  const gradients = outs.map((o, i) => {
    const g = given[i];
    if (g) return g;
    if (o.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
    return fullOnes(o);
  });
  outs.forEach((o, i) => checkRoot(o, gradients[i], i));
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`One of the differentiated Tensors (input ${i}) does not require grad`);
  });
  const found = new Map<Tensor | Node, Tensor>();
  const wanted = new Set<Tensor | Node>(ins.map((t) => (t.gradFn instanceof Node ? t.gradFn : t)));
  const keep = (key: Tensor | Node, g: Tensor) => {
    if (wanted.has(key)) found.set(key, addInto(found.get(key), g));
  };
  propagate(outs, gradients, opts.retainGraph ?? false, keep, keep);
  return ins.map((t, i) => {
    const g = found.get(t.gradFn instanceof Node ? t.gradFn : t) ?? null;
    if (!g && !opts.allowUnused)
      throw new Error(
        `One of the differentiated Tensors (input ${i}) appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`,
      );
    return g;
  });
}

function fullOnes(t: Tensor): Tensor {
  const out = Tensor.empty(t.shape, t.dtype);
  backend().fill(out.data, 1);
  return out;
}
