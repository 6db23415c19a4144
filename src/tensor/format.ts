import type { DType, Storage } from './dtype.js';

/** What printing reads of a tensor; structural, so this file needs nothing from tensor.ts. */
export interface Printable {
  readonly shape: readonly number[];
  readonly ndim: number;
  readonly dtype: DType;
  readonly requiresGrad: boolean;
  readonly gradFn: { readonly name: string } | null;
  numel(): number;
  values(): Storage;
}

// PyTorch's print options: precision 4, threshold 1000, edgeitems 3, linewidth 80.
const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE = 3;
const LINEWIDTH = 80;

interface Formatter {
  width: number;
  format(v: number): string;
}

function sci(v: number, width = 0): string {
  const [mant, exp] = v.toExponential(PRECISION).split('e');
  const e = Number(exp);
  const s = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return s.padStart(width);
}

function nonFinite(v: number): string {
  return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
}

function fixed(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : nonFinite(v);
}

/** Chooses integer, fixed or scientific notation from the values shown, as torch._tensor_str does. */
function makeFormatter(values: number[], floating: boolean, bool: boolean): Formatter {
  if (!floating) {
    const str = bool ? (v: number) => (v ? 'True' : 'False') : (v: number) => String(v);
    const width = Math.max(1, ...values.map((v) => str(v).length));
    return { width, format: (v) => str(v).padStart(width) };
  }
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (finite.length === 0)
    return { width: 1, format: (v) => (Number.isFinite(v) ? v.toFixed(PRECISION) : nonFinite(v)) };
  const abs = finite.map(Math.abs);
  const min = Math.min(...abs);
  const max = Math.max(...abs);
  const intMode = finite.every((v) => v === Math.ceil(v));
  const sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
  let width = 1;
  let format: (v: number) => string;
  if (sciMode) {
    width = Math.max(...finite.map((v) => sci(v).length));
    format = (v) => (Number.isFinite(v) ? sci(v, width) : nonFinite(v).padStart(width));
  } else if (intMode) {
    width = Math.max(...finite.map((v) => v.toFixed(0).length + 1));
    format = (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : nonFinite(v)).padStart(width);
  } else {
    width = Math.max(...finite.map((v) => v.toFixed(PRECISION).length));
    format = (v) => fixed(v, PRECISION).padStart(width);
  }
  return { width, format };
}

/** A nested view of the data that knows how to take rows, so summarising needs no copies. */
interface Block {
  shape: readonly number[];
  start: number;
}

function rowsShown(len: number, summarize: boolean): (number | null)[] {
  if (!summarize || len <= 2 * EDGE) return Array.from({ length: len }, (_, i) => i);
  return [0, 1, 2, null, len - 3, len - 2, len - 1];
}

function rowOf(b: Block, i: number): Block {
  const step = b.shape.slice(1).reduce((a, d) => a * d, 1);
  return { shape: b.shape.slice(1), start: b.start + i * step };
}

function shownValues(flat: ArrayLike<number>, b: Block, summarize: boolean, out: number[]): void {
  if (b.shape.length === 0) {
    out.push(flat[b.start]);
    return;
  }
  for (const i of rowsShown(b.shape[0], summarize)) if (i !== null) shownValues(flat, rowOf(b, i), summarize, out);
}

function vectorStr(flat: ArrayLike<number>, b: Block, indent: number, summarize: boolean, f: Formatter): string {
  const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (f.width + 2)));
  const items = rowsShown(b.shape[0], summarize).map((i) => (i === null ? ' ...' : f.format(flat[b.start + i])));
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function blockStr(flat: ArrayLike<number>, b: Block, indent: number, summarize: boolean, f: Formatter): string {
  const nd = b.shape.length;
  if (nd === 0) return f.format(flat[b.start]);
  if (nd === 1) return vectorStr(flat, b, indent, summarize, f);
  const slices = rowsShown(b.shape[0], summarize).map((i) =>
    i === null ? '...' : blockStr(flat, rowOf(b, i), indent + 1, summarize, f),
  );
  return `[${slices.join(`,${'\n'.repeat(nd - 1)}${' '.repeat(indent + 1)}`)}]`;
}

export function formatData(t: Printable, indent: number): string {
  if (t.numel() === 0) return '[]';
  const flat = t.values();
  const summarize = t.numel() > THRESHOLD;
  const root: Block = { shape: t.shape, start: 0 };
  const shown: number[] = [];
  shownValues(flat, root, summarize, shown);
  const f = makeFormatter(shown, t.dtype === 'float32' || t.dtype === 'float64', t.dtype === 'bool');
  return blockStr(flat, root, indent, summarize, f);
}

function addSuffixes(body: string, suffixes: string[], indent: number): string {
  const parts = [body];
  let lastLine = body.length - body.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINEWIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${s}`);
      lastLine = indent + s.length;
    } else {
      parts.push(`, ${s}`);
      lastLine += s.length + 2;
    }
  }
  return `${parts.join('')})`;
}

/** The text `print(t)` shows in PyTorch. */
export function formatTensor(t: Printable): string {
  const prefix = 'tensor(';
  const suffixes: string[] = [];
  if (t.numel() === 0 && !(t.ndim === 1 && t.shape[0] === 0))
    suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') suffixes.push(`dtype=torch.${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + formatData(t, prefix.length), suffixes, prefix.length);
}

/** `torch.Size([1, 28, 28])`. */
export function formatSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** The dims `size()` returns: an array that prints as PyTorch's `torch.Size([1, 28, 28])`. */
export class Size extends Array<number> {
  static override get [Symbol.species]() {
    return Array;
  }

  /** A Size holding `dims`. */
  static fromShape(dims: readonly number[]): Size {
    const s = new Size();
    s.push(...dims);
    return s;
  }

  override toString(): string {
    return formatSize(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatSize(this);
  }
}
