// The ONNX graph as the exporter builds it: nodes in order, initializers by name, and the name of
// each tensor of the traced forward that a node produced.
import type { Tensor } from '../../tensor/tensor.js';
import type { AttributeValue, OnnxNode, OnnxTensor } from './model_proto.js';

export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, OnnxTensor>();
  /** The graph value of each traced tensor computed from the input. */
  readonly values = new Map<Tensor, string>();
  private count = 0;

  constructor(
    /** The state-dict name of each parameter and buffer: the names their initializers take. */
    private readonly stateNames: Map<Tensor, string>,
  ) {}

  /** Whether `t` was computed from the input (rather than a weight or a constant). */
  computed(t: Tensor): boolean {
    return this.values.has(t);
  }

  /** The graph value of a tensor an op reads: computed, a weight under its state-dict name, or a new constant. */
  value(t: Tensor): string {
    const v = this.values.get(t);
    if (v !== undefined) return v;
    const name = this.stateNames.get(t) ?? this.fresh('constant');
    if (!this.initializers.has(name)) this.floats(name, t.shape, t.toArray());
    return name;
  }

  /** A float32 initializer. */
  floats(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    this.initializers.set(name, { name, dims, floats: Float32Array.from(values) });
    return name;
  }

  /** An int64 initializer (shapes, pads, axes) under a new name. */
  ints(hint: string, values: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.set(name, { name, dims: [values.length], ints: values });
    return name;
  }

  /** A name no value has yet. */
  fresh(hint: string): string {
    return `${hint}_${this.count++}`;
  }

  /** Adds a node and returns its (single) output's name. */
  node(op: string, inputs: string[], where: string, attributes?: Record<string, AttributeValue>): string {
    const output = this.fresh(where ? `${where}/${op}` : op);
    this.nodes.push({ op, name: output, inputs, outputs: [output], ...(attributes && { attributes }) });
    return output;
  }
}
