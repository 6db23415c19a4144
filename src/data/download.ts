import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../util/atomic_file.js';
import { gunzipSync } from 'node:zlib';

/** A file to download: its name and md5 checksum. */
export interface RemoteFile {
  /** File name on the mirror, e.g. `train-images-idx3-ubyte.gz`. */
  name: string;
  /** md5 of the uncompressed bytes (so re-compressed copies verify too) or of the file as served. */
  md5: string;
}

/** The md5 digest of `data` as hex. */
export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const body = new Uint8Array(await res.arrayBuffer());
  const declared = Number(res.headers.get('content-length'));
  if (declared && body.length !== declared)
    throw new Error(`connection closed after ${body.length} of ${declared} bytes`);
  return body;
}

/** The most a download may inflate to when its md5 is checked (a hostile mirror's gzip bomb stops here). */
const MAX_UNPACKED_BYTES = 2 ** 31;

function unpack(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES }) : bytes;
}

/**
 * Downloads `file` from the first mirror that serves it intact, checks its md5 and writes it to
 * `path` atomically. Each failed mirror is named in the final error.
 */
export async function downloadVerified(
  file: RemoteFile,
  mirrors: string[],
  path: string,
  timeoutMs = 120_000,
): Promise<void> {
  const failures: string[] = [];
  for (const mirror of mirrors) {
    const url = new URL(file.name, mirror.endsWith('/') ? mirror : `${mirror}/`).href;
    try {
      const bytes = await fetchBytes(url, timeoutMs);
      let digest: string;
      try {
        digest = md5(bytes) === file.md5 ? file.md5 : md5(unpack(bytes));
      } catch (e) {
        throw new Error(`not valid gzip data (${(e as Error).message})`);
      }
      if (digest !== file.md5) throw new Error(`checksum mismatch: md5 ${digest}, expected ${file.md5}`);
      writeFileAtomic(path, bytes);
      return;
    } catch (e) {
      failures.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new Error(`could not download ${file.name}; nothing was kept:\n  ${failures.join('\n  ')}`);
}
