// A deep copy of a module, as Python's copy.deepcopy makes one: its own parameters and buffers
// (cloned), submodules copied in turn, settings shared. Forward hooks are not copied.
import { noGrad } from '../autograd/grad_mode.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

function copyValue(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (seen.has(v)) return seen.get(v);
  let copy: unknown;
  if (v instanceof Parameter) copy = new Parameter(v.detach().clone(), v.requiresGrad);
  else if (v instanceof Tensor) copy = v.detach().clone();
  else if (v instanceof Module) copy = copyModule(v, seen);
  else if (Array.isArray(v)) copy = v.map((x) => copyValue(x, seen));
  else if (v instanceof Map) copy = new Map([...v].map(([k, x]) => [k, copyValue(x, seen)]));
  else return v;
  seen.set(v, copy);
  return copy;
}

function copyModule<M extends Module>(m: M, seen: Map<object, unknown>): M {
  const copy = Object.create(Object.getPrototypeOf(m) as object) as M;
  seen.set(m, copy);
  for (const [k, v] of Object.entries(m)) (copy as unknown as Record<string, unknown>)[k] = copyValue(v, seen);
  return copy;
}

/** A copy of `module` whose parameters and buffers are its own (a shared submodule stays shared once). */
export function deepCopyModule<M extends Module>(module: M): M {
  return noGrad(() => copyModule(module, new Map()));
}
