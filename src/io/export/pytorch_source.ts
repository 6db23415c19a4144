// model.py: the model as a plain torch.nn.Module subclass with the same submodule names (so that
// torchlit's state dict loads into it), its forward written from one traced forward pass.
import { Sequential } from '../../nn/layers.js';
import type { Module } from '../../nn/module.js';
import type { Tensor } from '../../tensor/tensor.js';
import { className } from '../../util/class_name.js';
import { checkOptions } from '../../util/options.js';
import { pythonForward } from './pytorch_forward.js';
import {
  attributePath,
  isIdentifier,
  isTorchModule,
  pyLiteral,
  torchConstructor,
  torchContainers,
} from './python_values.js';
import { describeModule, traceForward } from './trace.js';

/** `exportPytorch`'s options. */
export interface PytorchExportOptions {
  /** The Python class's name (default: the model's class name; `Model` for an nn.Sequential). */
  className?: string;
}

const I = '        ';

/** Lines of __init__ that build `m` at `expr` (a torch.nn module in one line, the user's own piece by piece). */
function buildLines(m: Module, path: string, root: boolean, indexable: (path: string) => boolean): string[] {
  const expr = attributePath(path, indexable);
  if (!root && isTorchModule(m)) return [assign(path, torchConstructor(m, I), indexable)];
  const lines = root ? [] : [assign(path, 'nn.Module()', indexable)];
  for (const [name, p] of m.namedParameters())
    if (!name.includes('.'))
      lines.push(`${I}${expr}.register_parameter(${pyLiteral(name)}, nn.Parameter(${empty(p)}))`);
  for (const [name, b] of m.namedBuffers())
    if (!name.includes('.')) lines.push(`${I}${expr}.register_buffer(${pyLiteral(name)}, ${empty(b)})`);
  for (const [name, child] of m.namedChildren())
    lines.push(...buildLines(child, path ? `${path}.${name}` : name, false, indexable));
  return lines;
}

/** `self.a.b = value`, or `self.a.add_module('0', value)` where the last name is not an identifier. */
function assign(path: string, value: string, indexable: (path: string) => boolean): string {
  const segments = path.split('.');
  const last = segments.pop()!;
  const parent = attributePath(segments.join('.'), indexable);
  return isIdentifier(last)
    ? `${I}${parent}.${last} = ${value}`
    : `${I}${parent}.add_module(${pyLiteral(last)}, ${value})`;
}

function empty(t: Tensor): string {
  return `torch.empty(${pyLiteral(t.shape)}, dtype=torch.${t.dtype})`;
}

/**
 * The source of a `model.py` for PyTorch: a `torch.nn.Module` subclass with the model's submodule
 * names, so that `Net().load_state_dict(load_file('model.safetensors'))` loads torchlit's
 * weights, and a forward written from one forward pass on `exampleInput` in eval mode (dropout and
 * BatchNorm follow the module's training flag in PyTorch). A call that cannot be written throws
 * `not supported`, naming it and the module that made it.
 */
export function pytorchSource(model: Module, exampleInput: Tensor, opts: PytorchExportOptions = {}): string {
  checkOptions('exportPytorch', opts, ['className']);
  const name = opts.className ?? (className(model) === 'Sequential' ? 'Model' : className(model));
  if (!isIdentifier(name)) throw new RangeError(`exportPytorch: the class name '${name}' is not a Python identifier`);
  const unsupported = (path: string, what: string) =>
    new Error(`exportPytorch: not supported: ${describeModule(model, path)}: ${what}`);
  const trace = traceForward(model, exampleInput, 'exportPytorch');
  // An nn.Sequential (or a subclass that keeps its forward) of torch.nn modules stays one.
  const sequential =
    model instanceof Sequential &&
    model.forward === Sequential.prototype.forward &&
    [...model.children()].every(isTorchModule);
  const header = [
    `"""${name}, exported by torchlit from a ${className(model)} (${[...model.parameters()].reduce((n, p) => n + p.numel(), 0)} parameters).`,
    '',
    'Load the weights torchlit saved beside this file:',
    `    model = ${name}()`,
    "    model.load_state_dict(load_file('model.safetensors'))",
    '"""',
    'import torch',
    'from torch import nn',
    'import torch.nn.functional as F',
    '',
    'try:',
    '    from safetensors.torch import load_file, save_file',
    'except ImportError:  # the same two functions for plain tensors, without the safetensors package',
    '    from safetensors_fallback import load_file, save_file',
    '',
    '',
  ];
  if (sequential) {
    const children = [...model.children()].map((c) => `${I}    ${torchConstructor(c, `${I}    `)},`);
    return [
      ...header,
      `class ${name}(nn.Sequential):`,
      '    def __init__(self):',
      `${I}super().__init__(`,
      ...children,
      `${I})`,
      '',
    ].join('\n');
  }
  const forward = pythonForward(model, trace, { unsupported });
  return [
    ...header,
    `class ${name}(nn.Module):`,
    '    def __init__(self):',
    `${I}super().__init__()`,
    ...buildLines(model, '', true, torchContainers(model)),
    '',
    '    def forward(self, x):',
    ...forward.map((l) => `${I}${l}`),
    '',
  ].join('\n');
}
