// Bytes in a page: from a URL (fetch), a Blob or File, or an ArrayBuffer, gunzipped with the
// browser's own DecompressionStream when they start with the gzip signature.

/** What a page can hand torchlit as file contents. */
export type BinarySource = string | URL | Blob | ArrayBuffer | ArrayBufferView;

/** The bytes of `source`; a URL that fails names its status. */
export async function readBinary(source: BinarySource): Promise<Uint8Array> {
  if (typeof source === 'string' || source instanceof URL) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${String(source)}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    return new Uint8Array(await res.arrayBuffer());
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError(
    `expected a URL, Blob, File, ArrayBuffer or typed array, got ${Object.prototype.toString.call(source)}`,
  );
}

/** Whether bytes start with the gzip signature. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflates gzip bytes, refusing to produce more than `maxBytes` (a gzip bomb) and naming `name` in errors. */
export async function gunzipBytes(bytes: Uint8Array, name: string, maxBytes: number): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw new Error(
          `${name}: inflates to more than the ${maxBytes} bytes expected (a gzip bomb, or a damaged file)`,
        );
      }
      parts.push(value);
    }
  } catch (e) {
    if ((e as Error).message.startsWith(name)) throw e;
    throw new Error(`${name}: broken gzip data (${(e as Error).message})`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `source`'s bytes, inflated when gzipped (at most `maxBytes`). */
export async function readMaybeGzipped(source: BinarySource, name: string, maxBytes: number): Promise<Uint8Array> {
  const bytes = await readBinary(source);
  return isGzip(bytes) ? gunzipBytes(bytes, name, maxBytes) : bytes;
}
