// The traced forward as Python statements: a call of a torch.nn module is one line
// (`x = self.conv1(x)`), a module of the user's own is written out inline, nn.functional calls and
// tensor ops become their PyTorch spellings. Variables are reused once their value is dead.
import type { Module } from '../../nn/module.js';
import { Tensor } from '../../tensor/tensor.js';
import { catDim, opName, RESHAPE_OPS, reshapeTarget } from './op_shapes.js';
import type { FunctionCall, ForwardTrace, OpCall, TracedCall } from './trace.js';
import { attributePath, float32Literal, isTorchModule, pyLiteral, torchContainers } from './python_values.js';

type Name = (t: Tensor) => string;

interface Statement {
  out: Tensor;
  reads: Tensor[];
  code: (name: Name) => string;
  comment?: string;
}

/** How the generator reports what it cannot write. */
export interface ForwardContext {
  unsupported(path: string, what: string): Error;
}

const OPTIONS = (pairs: [string, unknown][]) =>
  pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `, ${k}=${v as string}`)
    .join('');

const UNARY: Record<string, string> = {
  ReluBackward0: 'F.relu',
  SigmoidBackward0: 'torch.sigmoid',
  TanhBackward0: 'torch.tanh',
  ExpBackward0: 'torch.exp',
  LogBackward0: 'torch.log',
  Log1PBackward0: 'torch.log1p',
  SqrtBackward0: 'torch.sqrt',
  AbsBackward0: 'torch.abs',
  ErfBackward0: 'torch.erf',
  SinBackward0: 'torch.sin',
  CosBackward0: 'torch.cos',
  ReciprocalBackward0: 'torch.reciprocal',
};
const BINARY: Record<string, string> = {
  AddBackward0: '+',
  SubBackward0: '-',
  MulBackward0: '*',
  DivBackward0: '/',
  MmBackward0: '@',
  BmmBackward0: '@',
};

export function pythonForward(model: Module, trace: ForwardTrace, ctx: ForwardContext): string[] {
  const computed = new Set<Tensor>([trace.input]);
  const indexable = torchContainers(model);
  const self = (path: string) => attributePath(path, indexable);
  const statements: Statement[] = [];
  const isConstantOnly = (ts: Tensor[]) => !ts.some((t) => computed.has(t));

  /** A tensor argument: a variable, a parameter or buffer by its attribute path, or a small constant. */
  const arg = (name: Name, t: unknown, path: string): string => {
    if (!(t instanceof Tensor)) return pyLiteral(t);
    if (computed.has(t)) return name(t);
    const state = trace.stateNames.get(t);
    if (state !== undefined) return self(state);
    if (t.ndim === 0) return t.dtype === 'float32' ? float32Literal(t.item()) : pyLiteral(t.item());
    if (t.numel() > 16)
      throw ctx.unsupported(
        path,
        `a constant tensor of shape [${t.shape.join(', ')}] made in the forward; make it a buffer`,
      );
    return `torch.tensor(${JSON.stringify(t.tolist())}, dtype=torch.${t.dtype})`;
  };

  const add = (out: Tensor, reads: Tensor[], code: (name: Name) => string, comment?: string) => {
    statements.push({ out, reads: reads.filter((t) => computed.has(t)), code, ...(comment && { comment }) });
    computed.add(out);
  };

  const functionCode = (c: FunctionCall): ((name: Name) => string) => {
    const a = (name: Name, i: number) => arg(name, c.args[i], c.path);
    const o = (c.args[c.args.length - 1] ?? {}) as Record<string, unknown>;
    const tuple = (v: unknown) => (v === undefined ? undefined : pyLiteral(v));
    switch (c.fn) {
      case 'conv2d':
      case 'conv1d':
      case 'convTranspose2d': {
        const fn = c.fn === 'convTranspose2d' ? 'conv_transpose2d' : c.fn;
        return (n) =>
          `F.${fn}(${a(n, 0)}, ${a(n, 1)}, ${a(n, 2)}` +
          OPTIONS([
            ['stride', tuple(o.stride)],
            ['padding', tuple(o.padding)],
            ['output_padding', tuple(o.outputPadding)],
            ['groups', tuple(o.groups)],
            ['dilation', tuple(o.dilation)],
          ]) +
          ')';
      }
      case 'linear':
        return (n) => `F.linear(${a(n, 0)}, ${a(n, 1)}, ${a(n, 2)})`;
      case 'maxPool2d': {
        const raw = c.args[2] ?? {};
        const p = (typeof raw === 'number' || Array.isArray(raw) ? { stride: raw } : raw) as Record<string, unknown>;
        return (n) =>
          `F.max_pool2d(${a(n, 0)}, ${tuple(c.args[1])}` +
          OPTIONS([
            ['stride', tuple(p.stride)],
            ['padding', tuple(p.padding)],
            ['ceil_mode', tuple(p.ceilMode)],
          ]) +
          ')';
      }
      case 'avgPool2d':
        return (n) =>
          `F.avg_pool2d(${a(n, 0)}, ${tuple(c.args[1])}` +
          OPTIONS([
            ['stride', tuple(o.stride)],
            ['padding', tuple(o.padding)],
            ['count_include_pad', tuple(o.countIncludePad)],
            ['divisor_override', tuple(o.divisorOverride)],
          ]) +
          ')';
      case 'adaptiveAvgPool2d':
        return (n) => `F.adaptive_avg_pool2d(${a(n, 0)}, ${tuple(c.args[1])})`;
      case 'adaptiveMaxPool2d':
        return (n) => `F.adaptive_max_pool2d(${a(n, 0)}, ${tuple(c.args[1])})`;
      case 'softmax':
        return (n) => `F.softmax(${a(n, 0)}, dim=${a(n, 1)})`;
      case 'logSoftmax':
        return (n) => `F.log_softmax(${a(n, 0)}, dim=${a(n, 1)})`;
      case 'leakyRelu':
        return (n) => `F.leaky_relu(${a(n, 0)}, ${a(n, 1)})`;
      case 'elu':
        return (n) => `F.elu(${a(n, 0)}, ${a(n, 1)})`;
      case 'silu':
      case 'hardsigmoid':
      case 'hardswish':
        return (n) => `F.${c.fn}(${a(n, 0)})`;
      case 'softplus':
        return (n) => `F.softplus(${a(n, 0)}, beta=${a(n, 1)}, threshold=${a(n, 2)})`;
      case 'hardtanh':
        return (n) => `F.hardtanh(${a(n, 0)}, ${a(n, 1)}, ${a(n, 2)})`;
      case 'gelu':
        return (n) => `F.gelu(${a(n, 0)}, approximate=${a(n, 1)})`;
      case 'prelu':
        return (n) => `F.prelu(${a(n, 0)}, ${a(n, 1)})`;
      case 'pad':
        return (n) =>
          `F.pad(${a(n, 0)}, ${tuple(c.args[1])}` +
          OPTIONS([
            ['mode', tuple(o.mode)],
            ['value', tuple(o.value)],
          ]) +
          ')';
      case 'interpolate':
        return (n) =>
          `F.interpolate(${a(n, 0)}` +
          OPTIONS([
            ['size', tuple(o.size)],
            ['scale_factor', tuple(o.scaleFactor)],
            ['mode', tuple(o.mode)],
            ['align_corners', tuple(o.alignCorners)],
          ]) +
          ')';
      case 'batchNorm': {
        const training = o.training ? 'True' : 'self.training';
        return (n) =>
          `F.batch_norm(${a(n, 0)}, ${a(n, 1)}, ${a(n, 2)}, weight=${arg(n, o.weight, c.path)}, bias=${arg(n, o.bias, c.path)}, training=${training}` +
          OPTIONS([
            ['momentum', tuple(o.momentum)],
            ['eps', tuple(o.eps)],
          ]) +
          ')';
      }
      case 'groupNorm':
        return (n) => `F.group_norm(${a(n, 0)}, ${a(n, 1)}, ${a(n, 2)}, ${a(n, 3)}, ${a(n, 4)})`;
      case 'layerNorm':
        return (n) => `F.layer_norm(${a(n, 0)}, ${tuple(c.args[1])}, ${a(n, 2)}, ${a(n, 3)}, ${a(n, 4)})`;
      case 'dropout':
      case 'dropout1d':
      case 'dropout2d':
        // Traced in eval mode: training false there is the module's own flag.
        return (n) => `F.${c.fn}(${a(n, 0)}, ${a(n, 1)}, training=${c.args[2] ? 'True' : 'self.training'})`;
      case 'permute':
        return (n) => `${a(n, 0)}.permute(${(c.args[1] as number[]).join(', ')})`;
      case 'transpose':
        return (n) => `${a(n, 0)}.transpose(${a(n, 1)}, ${a(n, 2)})`;
      case 'sum':
      case 'mean':
        return (n) =>
          c.args[1] === undefined
            ? `${a(n, 0)}.${c.fn}()`
            : `${a(n, 0)}.${c.fn}(${a(n, 1)}, keepdim=${tuple(c.args[2])})`;
      default:
        throw ctx.unsupported(c.path, `F.${c.fn} has no PyTorch export yet`);
    }
  };

  const opCode = (c: OpCall): ((name: Name) => string) | null => {
    const [x, y] = c.inputs;
    const a = (name: Name, t: Tensor) => arg(name, t, c.path);
    if (UNARY[c.op]) return (n) => `${UNARY[c.op]}(${a(n, x)})`;
    if (c.op === 'NegBackward0') return (n) => `-${a(n, x)}`;
    if (BINARY[c.op] && c.inputs.length === 2) return (n) => `${a(n, x)} ${BINARY[c.op]} ${a(n, y)}`;
    // torchlit's reshape of a strided tensor is a copy and a view; PyTorch's view needs the copy too.
    if (c.op === 'CloneBackward0') return (n) => `${a(n, x)}.contiguous()`;
    if (RESHAPE_OPS.has(c.op)) {
      const shape = reshapeTarget(c, trace.input.shape[0]);
      // reshape, not view: PyTorch keeps a permuted layout through elementwise ops where torchlit's
      // results are contiguous, so a view that works here can fail there.
      return (n) => `${a(n, x)}.reshape(${shape.join(', ')})`;
    }
    if (c.op === 'CatBackward0') {
      const dim = catDim(c);
      if (dim < 0) throw ctx.unsupported(c.path, 'cat of inputs of different ranks');
      return (n) => `torch.cat([${c.inputs.map((t) => a(n, t)).join(', ')}], dim=${dim})`;
    }
    throw ctx.unsupported(c.path, `${opName(c.op)} (${c.op}) has no PyTorch export yet`);
  };

  const alias = new Map<Tensor, Tensor>();
  const walk = (calls: readonly TracedCall[]) => {
    for (const c of calls) {
      if (c.kind === 'module') {
        const inputs = c.inputs.filter((t): t is Tensor => t instanceof Tensor);
        if (isConstantOnly(inputs)) continue;
        if (isTorchModule(c.module)) {
          add(c.output as Tensor, inputs, (n) => `${self(c.path)}(${inputs.map((t) => arg(n, t, c.path)).join(', ')})`);
        } else {
          const first = statements.length;
          walk(c.calls);
          if (statements.length > first) statements[first].comment = `${c.path} (${c.module.constructor.name})`;
        }
      } else if (c.kind === 'inPlace') {
        if (computed.has(c.target))
          throw ctx.unsupported(
            c.path,
            `the in-place ${c.op} on a tensor computed from the input; use the out-of-place form`,
          );
      } else {
        const reads = c.kind === 'op' ? [...c.inputs] : c.args.filter((t): t is Tensor => t instanceof Tensor);
        if (isConstantOnly(reads)) continue;
        const code = c.kind === 'op' ? opCode(c) : functionCode(c);
        if (code) add(c.output, reads, code);
        else {
          alias.set(c.output, alias.get(reads[0]) ?? reads[0]);
          computed.add(c.output);
        }
      }
    }
  };
  walk(trace.root.calls);
  return assignNames(statements, trace, alias);
}

/** The statements as lines, each value in a variable that is reused once the value is dead. */
function assignNames(statements: Statement[], trace: ForwardTrace, alias: Map<Tensor, Tensor>): string[] {
  const canonical = (t: Tensor) => alias.get(t) ?? t;
  const lastUse = new Map<Tensor, number>();
  statements.forEach((s, i) => s.reads.forEach((t) => lastUse.set(canonical(t), i)));
  lastUse.set(canonical(trace.output), Infinity);
  const names = new Map<Tensor, string>([[trace.input, 'x']]);
  const live = new Map<string, Tensor>([['x', trace.input]]);
  const name: Name = (t) => names.get(canonical(t)) ?? 'x';
  const lines: string[] = [];
  statements.forEach((s, i) => {
    const code = s.code(name);
    for (const t of s.reads) {
      const c = canonical(t);
      const n = names.get(c);
      if (n !== undefined && (lastUse.get(c) ?? -1) <= i && live.get(n) === c) live.delete(n);
    }
    const out = canonical(s.out);
    const reused = s.reads.map((t) => names.get(canonical(t))).find((n) => n !== undefined && !live.has(n));
    // A module that returns its input in eval mode (Dropout) still gets its line: `x = self.drop(x)`.
    const own = names.get(out);
    let chosen = own !== undefined && (!live.has(own) || s.reads.some((t) => canonical(t) === out)) ? own : reused;
    for (let k = 0; chosen === undefined; k++) if (!live.has(k ? `x${k}` : 'x')) chosen = k ? `x${k}` : 'x';
    names.set(out, chosen);
    live.set(chosen, out);
    if (s.comment) lines.push(`# ${s.comment}`);
    lines.push(`${chosen} = ${code}`);
  });
  lines.push(`return ${name(trace.output)}`);
  return lines;
}
