import type { GradFn, Tensor } from '../tensor/tensor.js';

/** Computes the gradients of an op's inputs from the gradient of its output. */
export type BackwardFn = (gradOutput: Tensor) => (Tensor | null)[];

/** Where an input's gradient goes: the node that produced it, or the leaf tensor itself. */
export type Edge = Node | Tensor | null;

/** A function run on a gradient as it arrives; what it returns (if anything) replaces the gradient. */
export type GradHook = (grad: Tensor) => Tensor | void;

/** What registering a hook returns: `remove()` unregisters it. */
export interface HookHandle {
  /** Unregisters the hook. */
  remove(): void;
}

export class Node implements GradFn {
  private backwardFn: BackwardFn | null;
  /** Hooks registered on the tensor this node produced. */
  readonly hooks: GradHook[] = [];
  /** The tensor this node produced, when it asked to keep its gradient (retainGrad). */
  retained: Tensor | null = null;

  constructor(
    readonly name: string,
    readonly next: readonly Edge[],
    backwardFn: BackwardFn,
  ) {
    this.backwardFn = backwardFn;
  }

  /** Runs the op's backward once, then drops its saved tensors. */
  apply(gradOutput: Tensor, retainGraph: boolean): (Tensor | null)[] {
    const fn = this.backwardFn;
    if (!fn) {
      throw new Error(
        `Trying to backward through the graph a second time (${this.name}): its saved tensors were freed by the first backward(). ` +
          'Pass { retainGraph: true } to the first backward() if you need to call it twice.',
      );
    }
    if (!retainGraph) this.backwardFn = null;
    return fn(gradOutput);
  }
}
