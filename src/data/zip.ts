import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/**
 * The files of a zip archive by name, each decompressed on demand (stored or deflated entries;
 * no zip64, no encryption). `name` is used in errors.
 */
export function readZip(bytes: Uint8Array, name: string): Map<string, () => Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${name}: not a zip archive, or truncated (no end-of-central-directory record)`);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map<string, () => Uint8Array>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_ENTRY)
      throw new Error(`${name}: broken zip central directory at byte ${at}`);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const entry = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
    const label = JSON.stringify(entry);
    entries.set(entry, () => {
      if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_HEADER)
        throw new Error(`${name}: ${label}: broken local header`);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      if (start + compressed > bytes.length) throw new Error(`${name}: ${label} is truncated`);
      const raw = bytes.subarray(start, start + compressed);
      if (method === 0) return raw;
      if (method !== 8) throw new Error(`${name}: ${label}: compression method ${method} is not supported`);
      let out: Uint8Array;
      try {
        out = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (e) {
        throw new Error(`${name}: ${label} does not inflate (${(e as Error).message})`);
      }
      if (out.length !== size) throw new Error(`${name}: ${label} inflates to ${out.length} bytes, expected ${size}`);
      return out;
    });
  }
  return entries;
}
