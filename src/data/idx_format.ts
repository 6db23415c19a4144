// The IDX format (MNIST's files): header and values from bytes, with nothing to read files.
/** The element types an IDX file can hold, by their type byte. */
const IDX_TYPES: Record<number, { name: IdxType; size: number }> = {
  0x08: { name: 'ubyte', size: 1 },
  0x09: { name: 'byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
};

/** An IDX element type: unsigned bytes (MNIST), or the wider big-endian types QMNIST's labels use. */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

/** The contents of an IDX file: its shape, element type and values. */
export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28] for images or [60000] for labels. */
  shape: number[];
  /** The raw bytes for `ubyte` files; the decoded big-endian values otherwise. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  type: IdxType;
}

function decode(
  view: DataView,
  offset: number,
  count: number,
  type: IdxType,
): Int8Array | Int16Array | Int32Array | Float32Array | Float64Array {
  switch (type) {
    case 'byte':
      return Int8Array.from({ length: count }, (_, i) => view.getInt8(offset + i));
    case 'short':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(offset + 2 * i));
    case 'int':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(offset + 4 * i));
    case 'float':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i));
    default:
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(offset + 8 * i));
  }
}

/** The header of IDX bytes: element type, shape and header length; `name` is used in errors. */
export function parseHeader(
  bytes: Uint8Array,
  name: string,
): { element: { name: IdxType; size: number }; shape: number[]; headerLength: number } {
  if (bytes.length < 4)
    throw new Error(`${name}: file is ${bytes.length} bytes, too short for an IDX header (truncated?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const element = IDX_TYPES[(magic >> 8) & 0xff] as { name: IdxType; size: number } | undefined;
  const ndim = magic & 0xff;
  if (magic >>> 16 !== 0 || !element || ndim < 1 || ndim > 4) {
    throw new Error(
      `${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')}: expected an IDX file ` +
        '(0x00000801 for labels, 0x00000803 for images). Is this the right file, and is it uncompressed or .gz?',
    );
  }
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength)
    throw new Error(`${name}: truncated IDX header (${bytes.length} of ${headerLength} bytes)`);
  return { element, shape: Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i)), headerLength };
}

/** Parses an IDX file (the MNIST format, any element type); `name` is used in errors. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const { element, shape, headerLength } = parseHeader(bytes, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * element.size;
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw new Error(
      `${name}: truncated: the header promises ${shape.join('x')} = ${expected} bytes of data but the file holds ${actual}`,
    );
  }
  if (actual > expected)
    throw new Error(`${name}: ${actual - expected} unexpected bytes after the ${shape.join('x')} data`);
  const data =
    element.name === 'ubyte' ? bytes.subarray(headerLength) : decode(view, headerLength, count, element.name);
  return { shape, data, type: element.name };
}
