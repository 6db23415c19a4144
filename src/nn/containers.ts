import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * Holds submodules in a list, registered as `0`, `1`, ... (their parameters are the model's);
 * it has no forward of its own.
 * @pytorch `torch.nn.ModuleList`
 */
export class ModuleList extends Module implements Iterable<Module> {
  [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  /** The number of modules. */
  get length(): number {
    return [...this.children()].length;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.children();
  }

  /**
   * Adds `module` at the end.
   * @pytorch `torch.nn.ModuleList.append`
   */
  append(module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`ModuleList.append: ${typeof module} is not a Module`);
    this[this.length] = module;
    return this;
  }

  /**
   * Adds each of `modules` at the end.
   * @pytorch `torch.nn.ModuleList.extend`
   */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** A ModuleList has no forward: call its modules. */
  forward(): Tensor {
    throw new TypeError('ModuleList has no forward(): iterate over it and call its modules');
  }
}

/**
 * Holds submodules by name, registered under those names.
 * @pytorch `torch.nn.ModuleDict`
 */
export class ModuleDict extends Module {
  private readonly names: string[] = [];

  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  /**
   * Registers `module` under `name` (replacing one there).
   * @pytorch `torch.nn.ModuleDict.__setitem__`
   */
  set(name: string, module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict: '${name}' is not a Module`);
    if (name.includes('.') || name === '') throw new TypeError(`module name can't contain ".", got '${name}'`);
    if (name in this && !this.names.includes(name)) throw new Error(`attribute '${name}' already exists`);
    (this as unknown as Record<string, Module>)[name] = module;
    if (!this.names.includes(name)) this.names.push(name);
    return this;
  }

  /**
   * The module under `name`.
   * @pytorch `torch.nn.ModuleDict.__getitem__`
   */
  get(name: string): Module {
    if (!this.names.includes(name))
      throw new RangeError(`ModuleDict has no module '${name}' (it has ${this.names.join(', ') || 'none'})`);
    return (this as unknown as Record<string, Module>)[name];
  }

  /**
   * The names, in insertion order.
   * @pytorch `torch.nn.ModuleDict.keys`
   */
  keys(): string[] {
    return [...this.names];
  }

  /** A ModuleDict has no forward: call its modules. */
  forward(): Tensor {
    throw new TypeError('ModuleDict has no forward(): call its modules by name');
  }
}

/**
 * Holds parameters in a list, registered as `0`, `1`, ...
 * @pytorch `torch.nn.ParameterList`
 */
export class ParameterList extends Module implements Iterable<Parameter> {
  [index: number]: Parameter;

  constructor(parameters: Iterable<Parameter> = []) {
    super();
    for (const p of parameters) this.append(p);
  }

  /** The number of parameters. */
  get length(): number {
    return Object.keys(this).filter((k) => /^\d+$/.test(k)).length;
  }

  /** The parameters in order. */
  [Symbol.iterator](): Iterator<Parameter> {
    return Array.from({ length: this.length }, (_, i) => this[i])[Symbol.iterator]();
  }

  /**
   * Adds `parameter` at the end.
   * @pytorch `torch.nn.ParameterList.append`
   */
  append(parameter: Parameter): this {
    if (!(parameter instanceof Parameter)) throw new TypeError('ParameterList.append: not a Parameter');
    this[this.length] = parameter;
    return this;
  }

  /** A ParameterList has no forward. */
  forward(): Tensor {
    throw new TypeError('ParameterList has no forward()');
  }
}
