// One forward pass in eval mode with every module's forward watched and every reported call and
// op observed: the tree of what the forward did, for the exporters to translate.
import { observeCalls } from '../../autograd/call_trace.js';
import { noGrad } from '../../autograd/grad_mode.js';
import type { Module } from '../../nn/module.js';
import { Tensor } from '../../tensor/tensor.js';
import { className } from '../../util/class_name.js';

/** A reported call of nn.functional (or BatchNorm's forward, as `batchNorm`), with its arguments. */
export interface FunctionCall {
  kind: 'function';
  fn: string;
  args: readonly unknown[];
  output: Tensor;
  /** The innermost module whose forward made the call ('' for the model's own). */
  path: string;
}

/** An autograd op outside any reported call (x.view, a + b, torch.relu, ...), by its node's name. */
export interface OpCall {
  kind: 'op';
  op: string;
  inputs: readonly Tensor[];
  output: Tensor;
  path: string;
}

/** An in-place write (add_, copy_, ...) outside any reported call. */
export interface InPlaceCall {
  kind: 'inPlace';
  op: string;
  target: Tensor;
  path: string;
}

/** A module's forward, with the calls it made. */
export interface ModuleCall {
  kind: 'module';
  path: string;
  module: Module;
  inputs: readonly unknown[];
  output: unknown;
  calls: TracedCall[];
}

export type TracedCall = FunctionCall | OpCall | InPlaceCall | ModuleCall;

/** What the forward did on the example input. */
export interface ForwardTrace {
  /** The model's own forward. */
  root: ModuleCall;
  input: Tensor;
  output: Tensor;
  /** The state-dict name of every parameter and buffer. */
  stateNames: Map<Tensor, string>;
}

/** The module at `path` as a message names it: `layer1.conv1 (Conv2d)`. */
export function describeModule(model: Module, path: string): string {
  if (!path) return `${className(model)}.forward`;
  const m = [...model.namedModules()].find(([p]) => p === path)?.[1];
  return m ? `${path} (${className(m)})` : path;
}

/** Every call in order, module calls flattened into the calls they made. */
export function* leafCalls(calls: readonly TracedCall[]): Generator<FunctionCall | OpCall | InPlaceCall> {
  for (const c of calls) {
    if (c.kind === 'module') yield* leafCalls(c.calls);
    else yield c;
  }
}

/** Runs `model.forward(exampleInput)` once in eval mode under noGrad and returns what it did. */
export function traceForward(model: Module, exampleInput: Tensor, where: string): ForwardTrace {
  if (!(exampleInput instanceof Tensor)) throw new TypeError(`${where}: the example input must be a Tensor`);
  const stateNames = new Map<Tensor, string>();
  for (const [name, t] of model.namedParameters()) if (!stateNames.has(t)) stateNames.set(t, name);
  for (const [name, t] of model.namedBuffers()) if (!stateNames.has(t)) stateNames.set(t, name);
  const root: ModuleCall = { kind: 'module', path: '', module: model, inputs: [exampleInput], output: null, calls: [] };
  const stack: ModuleCall[] = [root];
  const top = () => stack[stack.length - 1];
  const watched: [Module, PropertyDescriptor | undefined][] = [];
  for (const [path, m] of model.namedModules()) {
    if (m === model) continue;
    const forward = m.forward.bind(m) as (...args: unknown[]) => unknown;
    watched.push([m, Object.getOwnPropertyDescriptor(m, 'forward')]);
    (m as { forward: unknown }).forward = (...inputs: unknown[]) => {
      const call: ModuleCall = { kind: 'module', path, module: m, inputs, output: null, calls: [] };
      top().calls.push(call);
      stack.push(call);
      try {
        call.output = forward(...inputs);
      } finally {
        stack.pop();
      }
      return call.output;
    };
  }
  const wasTraining = model.training;
  model.eval();
  let output: unknown;
  try {
    output = noGrad(() =>
      observeCalls(
        {
          call: (fn, args, out) => top().calls.push({ kind: 'function', fn, args, output: out, path: top().path }),
          op: (op, inputs, out) => top().calls.push({ kind: 'op', op, inputs, output: out, path: top().path }),
          inPlace: (op, target) => top().calls.push({ kind: 'inPlace', op, target, path: top().path }),
        },
        () => model.forward(exampleInput),
      ),
    );
  } finally {
    for (const [m, own] of watched) {
      delete (m as { forward?: unknown }).forward;
      if (own) Object.defineProperty(m, 'forward', own);
    }
    model.train(wasTraining);
  }
  if (!(output instanceof Tensor))
    throw new TypeError(`${where}: not supported: a forward that returns anything but one Tensor`);
  root.output = output;
  return { root, input: exampleInput, output, stateNames };
}
