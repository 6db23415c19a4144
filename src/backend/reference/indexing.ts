import type { FloatArray, NumArray } from '../types.js';

function checkIndex(i: number, rows: number): void {
  if (!(Number.isInteger(i) && i >= 0 && i < rows))
    throw new RangeError(`index ${i} is out of bounds for dimension 0 with size ${rows}`);
}

export function indexSelect(src: NumArray, rowSize: number, index: NumArray, out: NumArray): void {
  const rows = rowSize === 0 ? 0 : src.length / rowSize;
  for (let i = 0; i < index.length; i++) {
    const r = index[i];
    checkIndex(r, rows);
    out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
}

export function indexAdd(dst: FloatArray, rowSize: number, index: NumArray, src: FloatArray): void {
  for (let i = 0; i < index.length; i++) {
    const d = index[i] * rowSize;
    const s = i * rowSize;
    for (let j = 0; j < rowSize; j++) dst[d + j] += src[s + j];
  }
}

export function scatterDim(
  src: NumArray,
  index: NumArray,
  out: NumArray,
  outer: number,
  size: number,
  inner: number,
): void {
  out.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) out[(o * size + index[o * inner + i]) * inner + i] = src[o * inner + i];
  }
}

export function bincount(values: NumArray, out: NumArray): void {
  out.fill(0);
  for (let i = 0; i < values.length; i++) out[values[i]]++;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export function gatherLookup(
  src: Uint8Array,
  rowSize: number,
  index: NumArray,
  table: FloatArray,
  out: FloatArray,
): void {
  const rows = src.length / rowSize;
  for (let i = 0; i < index.length; i++) checkIndex(index[i], rows);
  if (LITTLE_ENDIAN && rowSize % 4 === 0 && src.byteOffset % 4 === 0) {
    // Four pixels per load: the loop is bound by loads, not by the table lookups.
    const words = new Uint32Array(src.buffer, src.byteOffset, src.length >> 2);
    const quads = rowSize >> 2;
    for (let i = 0; i < index.length; i++) {
      let o = i * rowSize;
      for (let w = index[i] * quads, end = w + quads; w < end; w++, o += 4) {
        const v = words[w];
        out[o] = table[v & 255];
        out[o + 1] = table[(v >>> 8) & 255];
        out[o + 2] = table[(v >>> 16) & 255];
        out[o + 3] = table[v >>> 24];
      }
    }
    return;
  }
  for (let i = 0; i < index.length; i++) {
    const s = index[i] * rowSize;
    const o = i * rowSize;
    for (let j = 0; j < rowSize; j++) out[o + j] = table[src[s + j]];
  }
}
