import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The contents of an IDX file: its shape and its bytes. */
export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28] for images or [60000] for labels. */
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses an IDX file of unsigned bytes (the MNIST format); `name` is used in errors. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4)
    throw new Error(`${name}: file is ${bytes.length} bytes, too short for an IDX header (truncated?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = (magic >> 8) & 0xff;
  const ndim = magic & 0xff;
  if (magic >>> 16 !== 0 || type !== UBYTE || ndim < 1 || ndim > 4) {
    throw new Error(
      `${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')}: expected an IDX file of unsigned bytes ` +
        '(0x00000801 for labels, 0x00000803 for images). Is this the right file, and is it uncompressed or .gz?',
    );
  }
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength)
    throw new Error(`${name}: truncated IDX header (${bytes.length} of ${headerLength} bytes)`);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = shape.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw new Error(
      `${name}: truncated: the header promises ${shape.join('x')} = ${expected} bytes of data but the file holds ${actual}`,
    );
  }
  if (actual > expected)
    throw new Error(`${name}: ${actual - expected} unexpected bytes after the ${shape.join('x')} data`);
  return { shape, data: bytes.subarray(headerLength) };
}

/** Reads raw bytes, gunzipping when the file starts with the gzip signature. */
export function readMaybeGzip(path: string): Uint8Array {
  const raw = readFileSync(path);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new Error(`${path}: broken gzip data (${(e as Error).message}); delete the file and download it again`);
  }
}

/** Reads an IDX file (raw or gzipped), checking magic number, shape and length. */
export function readIdx(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path), path);
}
