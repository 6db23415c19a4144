import { noGrad } from '../autograd/grad_mode.js';
import type { HookHandle } from '../autograd/node.js';
import { isFloating, type DType } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { inSharedMemory, reviveTensor } from '../tensor/revive.js';
import { Parameter } from './parameter.js';
import { className } from '../util/class_name.js';

/**
 * Parameters (and later buffers) by dotted name, as `stateDict()` returns them.
 * @pytorch `torch.nn.Module.state_dict`
 */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` found: keys the model has that the dict lacked, and keys it did not know. */
export interface LoadResult {
  /** Keys of the model absent from the loaded dict. */
  missingKeys: string[];
  /** Keys of the loaded dict the model does not have. */
  unexpectedKeys: string[];
}

/**
 * A forward hook: sees the module, its inputs and its output; an output it returns replaces it.
 * @pytorch `torch.nn.Module.register_forward_hook`
 */
export type ForwardHook = (module: Module, inputs: Tensor[], output: Tensor) => Tensor | void;

const forwardHooks = new WeakMap<Module, ForwardHook[]>();

function indent(s: string, spaces: number): string {
  return s
    .split('\n')
    .map((line, i) => (i === 0 ? line : ' '.repeat(spaces) + line))
    .join('\n');
}

/**
 * Base class for layers and models. Submodules and parameters are the instance's fields,
 * found in declaration order; a subclass implements `forward`.
 * @pytorch `torch.nn.Module`
 */
export abstract class Module {
  /**
   * Whether the module is in training mode (`train()`) or evaluation mode (`eval()`).
   * @pytorch `torch.nn.Module.training`
   */
  training = true;

  /**
   * The computation; subclasses implement it and callers call it directly.
   * @pytorch `torch.nn.Module.forward`
   */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Fields that hold a Module or a Parameter, in declaration order. */
  private fields(): [string, unknown][] {
    return Object.entries(this).filter(([, v]) => v instanceof Module || v instanceof Parameter);
  }

  /** The names of this module's buffers in registration order, and whether each is saved in the state dict. */
  private readonly bufferNames = new Map<string, boolean>();

  /**
   * Makes the tensor field `name` a buffer: state that is not a parameter (BatchNorm's running
   * statistics), saved in the state dict unless `persistent` is false, converted by `to()`.
   * @pytorch `torch.nn.Module.register_buffer`
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (name.includes('.') || name === '') throw new TypeError(`buffer name can't contain ".", got '${name}'`);
    if (name in this && !this.bufferNames.has(name)) throw new Error(`attribute '${name}' already exists`);
    (this as unknown as Record<string, Tensor | null>)[name] = tensor;
    this.bufferNames.set(name, persistent);
  }

  /**
   * Every buffer below this module with dotted names (`bn1.running_mean`), in PyTorch's order.
   * @pytorch `torch.nn.Module.named_buffers`
   */
  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [path, m] of this.namedModules(prefix)) {
      for (const name of m.bufferNames.keys()) {
        const t = (m as unknown as Record<string, Tensor | null>)[name];
        if (t) yield [path ? `${path}.${name}` : name, t];
      }
    }
  }

  /**
   * Every buffer below this module.
   * @pytorch `torch.nn.Module.buffers`
   */
  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, t]) => t);
  }

  /**
   * The parameters (each once) and the buffers, in one walk over the modules: what a compiled
   * step checks before every batch.
   */
  parametersAndBuffers(): { parameters: Parameter[]; buffers: Tensor[] } {
    const parameters = new Set<Parameter>();
    const buffers: Tensor[] = [];
    for (const m of this.modules()) {
      for (const [, v] of m.fields()) if (v instanceof Parameter) parameters.add(v);
      for (const k of m.bufferNames.keys()) {
        const t = (m as unknown as Record<string, Tensor | null>)[k];
        if (t) buffers.push(t);
      }
    }
    return { parameters: [...parameters], buffers };
  }

  /**
   * The direct submodules with their field names, in declaration order.
   * @pytorch `torch.nn.Module.named_children`
   */
  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of this.fields()) if (v instanceof Module) yield [k, v];
  }

  /**
   * The direct submodules, in declaration order.
   * @pytorch `torch.nn.Module.children`
   */
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /**
   * This module and every submodule below it with dotted names, each once.
   * @pytorch `torch.nn.Module.named_modules`
   */
  *namedModules(prefix = '', seen = new Set<Module>()): Generator<[string, Module]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k, seen);
  }

  /**
   * This module and every submodule below it, each once.
   * @pytorch `torch.nn.Module.modules`
   */
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /**
   * Parameters with dotted names (`conv1.weight`), each once even when shared.
   * @pytorch `torch.nn.Module.named_parameters`
   */
  *namedParameters(prefix = ''): Generator<[string, Parameter]> {
    const seen = new Set<Parameter>();
    for (const [path, m] of this.namedModules(prefix)) {
      for (const [k, v] of m.fields()) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          yield [path ? `${path}.${k}` : k, v];
        }
      }
    }
  }

  /**
   * Every parameter, each once, in declaration order (what an optimizer takes).
   * @pytorch `torch.nn.Module.parameters`
   */
  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /**
   * Calls `fn` on every submodule (children first) and then on this module; returns this.
   * @pytorch `torch.nn.Module.apply`
   */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Sets `requiresGrad` on every parameter (false freezes them); returns this.
   * @pytorch `torch.nn.Module.requires_grad_`
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * The submodule at a dotted path (`'layer1.0.conv1'`); '' is this module.
   * @pytorch `torch.nn.Module.get_submodule`
   */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    return target.split('.').reduce<Module>((m, part) => {
      const next = [...m.namedChildren()].find(([k]) => k === part)?.[1];
      if (!next) throw new RangeError(`${className(m)} has no attribute \`${part}\` (looking for '${target}')`);
      return next;
    }, this);
  }

  /**
   * Adds a submodule under `name` (as assigning the field does).
   * @pytorch `torch.nn.Module.add_module`
   */
  addModule(name: string, module: Module | null): void {
    if (name === '') throw new RangeError('module name can\'t be empty string ""');
    if (name.includes('.')) throw new RangeError(`module name can't contain ".", got: ${name}`);
    const self = this as unknown as Record<string, unknown>;
    if (name in this && !(self[name] instanceof Module) && self[name] !== null)
      throw new RangeError(`attribute '${name}' already exists`);
    self[name] = module;
  }

  /**
   * Calls `hook(module, inputs, output)` after every forward; an output it returns replaces the
   * output. The handle's `remove()` unregisters it.
   * @pytorch `torch.nn.Module.register_forward_hook`
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    let hooks = forwardHooks.get(this);
    if (!hooks) {
      const list: ForwardHook[] = [];
      hooks = list;
      forwardHooks.set(this, list);
      const forward = this.forward.bind(this);
      Object.defineProperty(this, 'forward', {
        configurable: true,
        writable: true,
        enumerable: false,
        value: (...inputs: Tensor[]) => {
          let out = forward(...inputs);
          for (const h of [...list]) out = h(this, inputs, out) ?? out;
          return out;
        },
      });
    }
    const list = hooks;
    list.push(hook);
    return {
      remove() {
        const i = list.indexOf(hook);
        if (i >= 0) list.splice(i, 1);
      },
    };
  }

  /**
   * Sets training mode on this module and every submodule (dropout drops; `train(false)` is `eval()`).
   * @pytorch `torch.nn.Module.train`
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode on this module and every submodule.
   * @pytorch `torch.nn.Module.eval`
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Converts every parameter to `dtype` (as PyTorch's `model.double()`); build optimizers afterwards.
   * @pytorch `torch.nn.Module.to`
   */
  to(dtype: DType): this {
    for (const m of this.modules()) {
      for (const [k, v] of m.fields()) {
        if (v instanceof Parameter && v.dtype !== dtype) {
          (m as unknown as Record<string, Parameter>)[k] = new Parameter(
            noGrad(() => v.to(dtype)),
            v.requiresGrad,
          );
        }
      }
      // Floating buffers follow; integer ones (num_batches_tracked) keep their dtype, as in PyTorch.
      const fields = m as unknown as Record<string, Tensor | null>;
      for (const k of m.bufferNames.keys()) {
        const t = fields[k];
        if (t && isFloating(t.dtype) && isFloating(dtype) && t.dtype !== dtype) fields[k] = noGrad(() => t.to(dtype));
      }
    }
    return this;
  }

  /**
   * Converts every parameter to float32.
   * @pytorch `torch.nn.Module.float`
   */
  float(): this {
    return this.to('float32');
  }

  /**
   * Converts every parameter to float64.
   * @pytorch `torch.nn.Module.double`
   */
  double(): this {
    return this.to('float64');
  }

  /**
   * Clears every parameter's gradient (to null by default, to zeros with `setToNone = false`).
   * @pytorch `torch.nn.Module.zero_grad`
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone || !p.grad) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /**
   * Parameters by name, sharing storage with the model (detach-like, as PyTorch), except where a
   * compiled step moved them into WebAssembly's shared memory: those are copies, which structured
   * clone, IndexedDB and Blob take.
   * @pytorch `torch.nn.Module.state_dict`
   */
  stateDict(): StateDict {
    const sd: StateDict = {};
    for (const [k, t] of this.stateEntries()) {
      sd[k] = inSharedMemory(t.data)
        ? new Tensor(t.values().slice(), t.shape, t.dtype)
        : new Tensor(t.data, t.shape, t.dtype, t.strides, t.offset);
    }
    return sd;
  }

  /** What the state dict holds, as PyTorch orders it: each module's parameters, then its persistent buffers. */
  private *stateEntries(): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [path, m] of this.namedModules()) {
      const key = (k: string) => (path ? `${path}.${k}` : k);
      for (const [k, v] of m.fields()) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          yield [key(k), v];
        }
      }
      for (const [k, persistent] of m.bufferNames) {
        const t = (m as unknown as Record<string, Tensor | null>)[k];
        if (persistent && t) yield [key(k), t];
      }
    }
  }

  /**
   * Copies values into this model's parameters; with `strict`, any key mismatch is an error and nothing is copied.
   * @pytorch `torch.nn.Module.load_state_dict`
   */
  loadStateDict(sd: StateDict, opts: { strict?: boolean } = {}): LoadResult {
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>(this.stateEntries());
    const missingKeys = [...own.keys()].filter((k) => !(k in sd));
    const unexpectedKeys = Object.keys(sd).filter((k) => !own.has(k));
    const errors: string[] = [];
    const values = new Map<string, Tensor>();
    for (const [k, p] of own) {
      if (!sd[k]) continue;
      const v = reviveTensor(sd[k]);
      if (v) values.set(k, v);
      if (!v) errors.push(`While copying the parameter named "${k}", expected a Tensor but got ${typeof sd[k]}.`);
      else if (!sameShape(v.shape, p.shape)) {
        errors.push(
          `size mismatch for ${k}: copying a param with shape torch.Size(${formatShape(v.shape)}) from checkpoint, ` +
            `the shape in current model is torch.Size(${formatShape(p.shape)}).`,
        );
      }
    }
    if (strict) {
      if (unexpectedKeys.length)
        errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length)
        errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${className(this)}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [k, p] of own) {
        const v = values.get(k);
        if (!v) continue;
        if (!p.isContiguous()) throw new Error(`cannot load into non-contiguous parameter ${k}`);
        p.data.set(v.to(p.dtype).values(), p.offset);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * The text inside the parentheses of this module's printed form.
   * @pytorch `torch.nn.Module.extra_repr`
   */
  extraRepr(): string {
    return '';
  }

  /**
   * The printed form, character for character what PyTorch's `print(model)` shows.
   * @pytorch `torch.nn.Module.__repr__`
   */
  toString(): string {
    const extra = this.extraRepr() ? this.extraRepr().split('\n') : [];
    const children = [...this.namedChildren()].map(([k, m]) => `(${k}): ${indent(m.toString(), 2)}`);
    const lines = [...extra, ...children];
    let body = '';
    if (lines.length === 1 && children.length === 0) body = extra[0];
    else if (lines.length) body = `\n  ${lines.join('\n  ')}\n`;
    return `${className(this)}(${body})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
