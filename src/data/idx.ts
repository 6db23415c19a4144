import { constants, gunzipSync } from 'node:zlib';
import { readRegularFile } from '../util/read_file.js';
import { parseHeader, parseIdx, type IdxArray, type IdxType } from './idx_format.js';

export { parseIdx, type IdxArray, type IdxType } from './idx_format.js';

/** The most bytes an IDX file may hold once inflated (2 GiB; EMNIST's largest is 547 MB). */
export const MAX_IDX_BYTES = 2 ** 31;

function isGzip(raw: Uint8Array): boolean {
  return raw[0] === 0x1f && raw[1] === 0x8b;
}

function gunzip(raw: Uint8Array, path: string, maxOutputLength: number): Uint8Array {
  try {
    return gunzipSync(raw, { maxOutputLength });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(
        `${path}: inflates to more than the ${maxOutputLength} bytes its IDX header claims (a gzip bomb, or a damaged file)`,
      );
    throw new Error(`${path}: broken gzip data (${(e as Error).message}); delete the file and download it again`);
  }
}

/** The first bytes of a possibly gzipped file, inflating no more than a header needs. */
function head(raw: Uint8Array, path: string): Uint8Array {
  if (!isGzip(raw)) return raw.subarray(0, 20);
  // A small file is inflated whole (deflate expands at most about 1032 times), so damage shows as such.
  if (raw.length <= 4096) return gunzip(raw, path, raw.length * 1032).subarray(0, 20);
  try {
    return gunzipSync(raw.subarray(0, Math.min(raw.length, 4096)), { finishFlush: constants.Z_SYNC_FLUSH }).subarray(
      0,
      20,
    );
  } catch (e) {
    throw new Error(`${path}: broken gzip data (${(e as Error).message}); delete the file and download it again`);
  }
}

/** An IDX file's shape and element type from its header, and the bytes the whole file must have. */
export function readIdxHeader(path: string): { shape: number[]; type: IdxType; bytes: number } {
  const { element, shape, headerLength } = parseHeader(head(readRegularFile(path), path), path);
  return { shape, type: element.name, bytes: headerLength + shape.reduce((a, b) => a * b, 1) * element.size };
}

/** Reads raw bytes, gunzipping when the file starts with the gzip signature (at most `maxBytes`). */
export function readMaybeGzip(path: string, maxBytes = MAX_IDX_BYTES): Uint8Array {
  const raw = readRegularFile(path);
  return isGzip(raw) ? gunzip(raw, path, maxBytes) : raw;
}

/**
 * Reads an IDX file (raw or gzipped), checking magic number, shape and length. The header is read
 * first, so a file claiming more than MAX_IDX_BYTES, or inflating past what it claims, is refused
 * without inflating the rest.
 */
export function readIdx(path: string): IdxArray {
  const { bytes, shape } = readIdxHeader(path);
  if (bytes > MAX_IDX_BYTES)
    throw new Error(
      `${path}: the IDX header claims ${shape.join('x')}, ${bytes} bytes, more than the ${MAX_IDX_BYTES} torchlit reads`,
    );
  return parseIdx(readMaybeGzip(path, bytes), path);
}
