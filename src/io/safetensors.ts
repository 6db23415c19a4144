// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and [begin, end) byte range in the data that follows, and an optional
// string-to-string `__metadata__`. Works on bytes only, so it runs in browsers too.
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A safetensors file's `__metadata__`: string keys and values. */
export type Metadata = Record<string, string>;

/** A safetensors file read back: its tensors by name and its metadata. */
export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: Metadata;
}

const MAX_HEADER_BYTES = 100_000_000;

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', uint8: 'U8', bool: 'BOOL' };

interface ReadType {
  bytes: number;
  dtype: DType;
  read(view: DataView, byteOffset: number): number;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));
function bfloat16ToFloat(h: number): number {
  bf16Scratch.setUint32(0, h << 16);
  return bf16Scratch.getFloat32(0);
}

/** Dtypes read from files; half and narrow integer types widen to torchlit's float32 and int64. */
const READ_DTYPE: Record<string, ReadType> = {
  F64: { bytes: 8, dtype: 'float64', read: (v, o) => v.getFloat64(o, true) },
  F32: { bytes: 4, dtype: 'float32', read: (v, o) => v.getFloat32(o, true) },
  F16: { bytes: 2, dtype: 'float32', read: (v, o) => halfToFloat(v.getUint16(o, true)) },
  BF16: { bytes: 2, dtype: 'float32', read: (v, o) => bfloat16ToFloat(v.getUint16(o, true)) },
  I64: { bytes: 8, dtype: 'int64', read: (v, o) => Number(v.getBigInt64(o, true)) },
  U64: { bytes: 8, dtype: 'int64', read: (v, o) => Number(v.getBigUint64(o, true)) },
  I32: { bytes: 4, dtype: 'int64', read: (v, o) => v.getInt32(o, true) },
  U32: { bytes: 4, dtype: 'int64', read: (v, o) => v.getUint32(o, true) },
  I16: { bytes: 2, dtype: 'int64', read: (v, o) => v.getInt16(o, true) },
  U16: { bytes: 2, dtype: 'int64', read: (v, o) => v.getUint16(o, true) },
  I8: { bytes: 1, dtype: 'int64', read: (v, o) => v.getInt8(o) },
  U8: { bytes: 1, dtype: 'uint8', read: (v, o) => v.getUint8(o) },
  BOOL: { bytes: 1, dtype: 'bool', read: (v, o) => (v.getUint8(o) ? 1 : 0) },
};

/** A damaged or foreign safetensors file; the message names the file and the tensor. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

function byteSize(dtype: DType): number {
  return dtype === 'float32' ? 4 : dtype === 'float64' || dtype === 'int64' ? 8 : 1;
}

/**
 * Serializes named tensors as Python's `safetensors.torch.save_file` does: tensors ordered by
 * alignment then name, the header padded with spaces to a multiple of 8 bytes.
 */
export function serializeSafetensors(tensors: Record<string, Tensor>, metadata?: Metadata): Uint8Array {
  const names = Object.keys(tensors).sort(
    (a, b) => byteSize(tensors[b].dtype) - byteSize(tensors[a].dtype) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string')
        throw new TypeError(`safetensors metadata values must be strings; '${k}' is ${typeof v}`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__')
      throw new RangeError("'__metadata__' is reserved in safetensors and cannot name a tensor");
    const t = tensors[name];
    const end = offset + t.numel() * byteSize(t.dtype);
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name];
    const [begin] = (header[name] as { data_offsets: number[] }).data_offsets;
    const values = t.contiguous().values();
    let o = base + begin;
    switch (t.dtype) {
      case 'float32':
        for (let i = 0; i < values.length; i++, o += 4) view.setFloat32(o, values[i], true);
        break;
      case 'float64':
        for (let i = 0; i < values.length; i++, o += 8) view.setFloat64(o, values[i], true);
        break;
      case 'int64':
        for (let i = 0; i < values.length; i++, o += 8) view.setBigInt64(o, BigInt(values[i]), true);
        break;
      default:
        out.set(values, o);
    }
  }
  return out;
}

function describe(file: string): string {
  return file ? `${file}: ` : '';
}

/** The first top-level key of a JSON object text that appears twice, or null (JSON.parse keeps the last silently). */
function repeatedKey(text: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return null;
}

/**
 * Parses safetensors bytes without trusting them: every length, offset, dtype and shape is
 * checked, and errors name `file` and the tensor. Offsets must tile the data exactly (no gaps, no
 * overlaps), as the format requires.
 */
export function parseSafetensors(bytes: Uint8Array, file = ''): SafetensorsContents {
  const where = describe(file);
  const fix = 'the file is damaged or not safetensors; save it again';
  if (bytes.length < 8)
    throw new SafetensorsError(
      `${where}${bytes.length} bytes is too short for a safetensors file (8-byte header length missing); ${fix}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new SafetensorsError(
      `${where}header length ${headerLength} runs past the end of the file (${bytes.length} bytes); ${fix}`,
    );
  }
  const n = Number(headerLength);
  if (n > MAX_HEADER_BYTES)
    throw new SafetensorsError(`${where}header of ${n} bytes exceeds the format's limit of ${MAX_HEADER_BYTES}`);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
    if (!text.startsWith('{')) throw new Error('does not start with {');
    header = JSON.parse(text);
    const twice = repeatedKey(text);
    if (twice !== null) throw new Error(`the key '${twice}' appears twice`);
  } catch (e) {
    throw new SafetensorsError(`${where}header is not valid JSON (${(e as Error).message}); ${fix}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new SafetensorsError(`${where}header is not a JSON object; ${fix}`);
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Metadata = {};
  const entries: { name: string; type: ReadType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info))
        throw new SafetensorsError(`${where}__metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string')
          throw new SafetensorsError(`${where}__metadata__ value '${k}' is ${JSON.stringify(v)}, not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const bad = (what: string) => new SafetensorsError(`${where}tensor '${name}': ${what}`);
    if (name === '__proto__') throw bad('the name __proto__ is not a tensor name torchlit accepts');
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') throw bad('missing dtype');
    const type = Object.hasOwn(READ_DTYPE, dtype) ? READ_DTYPE[dtype] : undefined;
    if (!type)
      throw bad(
        `unknown or unsupported dtype ${JSON.stringify(dtype)} (torchlit reads ${Object.keys(READ_DTYPE).join(', ')})`,
      );
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`data_offsets ${JSON.stringify(offsets) ?? 'missing'}: not [begin, end]`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > dataLength)
      throw bad(`data_offsets [${begin}, ${end}] fall outside the ${dataLength} data bytes; ${fix}`);
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (numel * type.bytes !== end - begin) {
      throw bad(
        `shape [${shape.join(', ')}] of ${dtype} needs ${numel * type.bytes} bytes but data_offsets give ${end - begin}`,
      );
    }
    entries.push({ name, type, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of sorted) {
    if (e.begin < covered)
      throw new SafetensorsError(
        `${where}tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap another tensor's bytes; ${fix}`,
      );
    if (e.begin > covered)
      throw new SafetensorsError(
        `${where}tensor '${e.name}': data_offsets leave a gap at bytes [${covered}, ${e.begin}); ${fix}`,
      );
    covered = e.end;
  }
  if (covered !== dataLength)
    throw new SafetensorsError(
      `${where}${dataLength - covered} data bytes after the last tensor belong to none; ${fix}`,
    );
  const tensors: Record<string, Tensor> = {};
  for (const e of entries) {
    const t = Tensor.empty(e.shape, e.type.dtype);
    const out = t.data;
    const count = out.length;
    const start = dataStart + e.begin;
    if (e.type.dtype === 'uint8' && e.type.bytes === 1 && e.type !== READ_DTYPE.BOOL)
      out.set(bytes.subarray(start, start + count));
    else for (let i = 0; i < count; i++) out[i] = e.type.read(view, start + i * e.type.bytes);
    tensors[e.name] = t;
  }
  return { tensors, metadata };
}
