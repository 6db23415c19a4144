import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The original Fashion-MNIST files: the shared test copy, or Debian's dataset-fashion-mnist; null where neither is. */
export function fashionDir(): string | null {
  for (const dir of [join(repo, '..', 'shared', 'datasets', 'fashion-mnist'), '/usr/share/datasets/fashion-mnist']) {
    if (existsSync(join(dir, 't10k-labels-idx1-ubyte.gz'))) return dir;
  }
  return null;
}

/** Why tests of the real Fashion-MNIST files skip, or false where the files are here. */
export const FASHION_SKIP =
  fashionDir() === null
    ? 'the original Fashion-MNIST files are not here (Debian package dataset-fashion-mnist; .ci/run installs it)'
    : false;

/** The real Fashion-MNIST folder, for tests that skip with FASHION_SKIP where it is missing. */
export function requireFashionDir(): string {
  const dir = fashionDir();
  if (dir === null) throw new Error(String(FASHION_SKIP));
  return dir;
}

export function tempDir(prefix = 'torchlit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function idxFile(magic: number, dims: number[], payload: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.byteLength + payload.length);
  out.set(new Uint8Array(header.buffer));
  out.set(payload, header.byteLength);
  return out;
}

/**
 * Writes one split of an MNIST-format dataset into `dir` under the original names
 * (`train-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, with `.gz` when gzipped): `count` 28 x 28
 * images labelled i % 10, each a bright vertical band at a column set by its label over faint noise.
 */
export function writeIdxSplit(dir: string, split: 'train' | 't10k', count: number, gzip = false): void {
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < 784; p++) {
      const col = p % 28;
      images[i * 784 + p] = Math.floor(col / 2.8) === labels[i] ? 255 : (i * 31 + p * 7) % 40;
    }
  }
  const write = (name: string, data: Uint8Array) =>
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(data) : data);
  write(`${split}-images-idx3-ubyte`, idxFile(0x803, [count, 28, 28], images));
  write(`${split}-labels-idx1-ubyte`, idxFile(0x801, [count], labels));
}

/** A folder with both splits of a small MNIST-format dataset, for `--data` and `root`. */
export function writeIdxDataset(train: number, test: number): string {
  const dir = tempDir('torchlit-idx-');
  writeIdxSplit(dir, 'train', train);
  writeIdxSplit(dir, 't10k', test);
  return dir;
}

/** A ustar archive of the given files (for download tests). */
export function tarArchive(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, body] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (at: number, s: string) => header.set(new TextEncoder().encode(s), at);
    put(0, name);
    put(100, '0000644\0');
    put(124, `${body.length.toString(8).padStart(11, '0')}\0`);
    put(156, '0');
    put(257, 'ustar\x0000');
    put(148, '        ');
    const sum = header.reduce((a, b) => a + b, 0);
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

/** A zip archive of deflated entries (the EMNIST download is one). */
export function zipArchive(files: Record<string, Uint8Array>): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, body] of Object.entries(files)) {
    const packed = deflateRawSync(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(body.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, Buffer.from(name), packed);
    central.push(entry, Buffer.from(name));
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
