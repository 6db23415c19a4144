// Python spellings: literals, attribute paths of submodules and state, PyTorch's constructors.
import type { Module } from '../../nn/module.js';
import * as torchlitNN from '../../nn/index.js';
import { Upsample } from '../../nn/interpolate.js';
import { className } from '../../util/class_name.js';

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** Whether `s` can follow a dot in Python. */
export function isIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !KEYWORDS.has(s);
}

/** A Python literal: numbers, booleans, None, strings, tuples. */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "-float('inf')";
    return String(v);
  }
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return v.length === 1 ? `(${pyLiteral(v[0])},)` : `(${v.map(pyLiteral).join(', ')})`;
  throw new TypeError(`no Python literal for a ${typeof v}`);
}

/** A float32 value as the shortest decimal that rounds to it (0.1, not 0.10000000149011612). */
export function float32Literal(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return pyLiteral(v);
  for (let digits = 1; digits < 17; digits++) {
    const s = v.toPrecision(digits);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/**
 * `self.layer1.conv1`, `self.features[0]` (where `indexable` says the parent path is an
 * nn.Sequential or nn.ModuleList in the Python), `getattr(self, '0')` otherwise.
 */
export function attributePath(path: string, indexable: (parent: string) => boolean = () => false): string {
  let expr = 'self';
  let parent = '';
  for (const seg of path.split('.').filter(Boolean)) {
    if (/^\d+$/.test(seg) && indexable(parent)) expr += `[${seg}]`;
    else if (isIdentifier(seg)) expr += `.${seg}`;
    else expr = `getattr(${expr}, ${pyLiteral(seg)})`;
    parent = parent ? `${parent}.${seg}` : seg;
  }
  return expr;
}

/** Which paths of the model become an indexable torch container in the Python. */
export function torchContainers(model: Module): (path: string) => boolean {
  const modules = new Map(model.namedModules());
  return (path) => {
    const m = modules.get(path);
    // The model itself is an nn.Module subclass in the Python (or an nn.Sequential whose forward is not written).
    return path !== '' && m !== undefined && CONTAINERS.has(className(m)) && isTorchModule(m);
  };
}

/** The torch.nn classes whose printed arguments (`extraRepr`) are also their constructor's. */
const CONSTRUCTIBLE = new Set([
  'Linear',
  'Conv1d',
  'Conv2d',
  'ConvTranspose2d',
  'MaxPool2d',
  'AvgPool2d',
  'AdaptiveAvgPool2d',
  'AdaptiveMaxPool2d',
  'BatchNorm1d',
  'BatchNorm2d',
  'LayerNorm',
  'GroupNorm',
  'Dropout',
  'Dropout1d',
  'Dropout2d',
  'Flatten',
  'Unflatten',
  'Identity',
  'ReLU',
  'Sigmoid',
  'Tanh',
  'LeakyReLU',
  'ELU',
  'SiLU',
  'Softplus',
  'Hardtanh',
  'ReLU6',
  'Hardsigmoid',
  'Hardswish',
  'Softmax',
  'LogSoftmax',
  'GELU',
  'PReLU',
  'ZeroPad2d',
  'Upsample',
  'Embedding',
]);
const CONTAINERS = new Set(['Sequential', 'ModuleList']);

/** Whether the module (and all it holds) is made of torch.nn's own classes, so that calling it is one line. */
export function isTorchModule(m: Module): boolean {
  const name = className(m);
  // A class of the user's that happens to share a torch.nn name is the user's own.
  if (m.constructor !== (torchlitNN as Record<string, unknown>)[name]) return false;
  if (CONSTRUCTIBLE.has(name)) return true;
  return CONTAINERS.has(name) && [...m.children()].every(isTorchModule);
}

/** The Python that constructs a torch.nn module (`isTorchModule`). */
export function torchConstructor(m: Module, indent: string): string {
  const name = className(m);
  if (CONTAINERS.has(name)) {
    const inner = [...m.children()].map((c) => `${indent}    ${torchConstructor(c, `${indent}    `)},`);
    const open = name === 'ModuleList' ? 'nn.ModuleList([' : 'nn.Sequential(';
    const close = name === 'ModuleList' ? '])' : ')';
    return inner.length ? `${open}\n${inner.join('\n')}\n${indent}${close}` : `${open}${close}`;
  }
  if (m instanceof Upsample) {
    const o = m.options;
    const size = o.size !== undefined ? `size=${pyLiteral(o.size)}` : `scale_factor=${pyLiteral(o.scaleFactor)}`;
    const align = o.alignCorners !== undefined ? `, align_corners=${pyLiteral(o.alignCorners)}` : '';
    return `nn.Upsample(${size}, mode=${pyLiteral(o.mode ?? 'nearest')}${align})`;
  }
  // The printed form leaves string options unquoted (padding=same, mode=nearest), as PyTorch's does.
  const args = m.extraRepr().replace(/=(same|valid|nearest|bilinear|zeros|reflect|replicate|circular)\b/g, "='$1'");
  return `nn.${name}(${args})`;
}
