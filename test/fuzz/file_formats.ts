// The binary formats torchlit reads: a valid file per format, mutated (bytes flipped, cut,
// inserted, header words set to extremes, spans repeated), fed to its parser.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { io, readIdx, readPickle, Tensor } from '../../src/index.js';
import { readTar } from '../../src/data/tar.js';
import { readZip } from '../../src/data/zip.js';
import { fixtureDir } from '../helpers/fixtures.js';
import { idxFile, tarArchive, tempDir, zipArchive } from '../helpers/data.js';
import type { FuzzFormat } from './harness.js';

function pngFile(): Uint8Array {
  const png = new PNG({ width: 6, height: 5 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) % 256;
  return PNG.sync.write(png);
}

function zipFile(): Uint8Array {
  return zipArchive({ 'a.txt': Buffer.from('hello zip '.repeat(20)) });
}

/** Each format: a valid file, and how torchlit reads it. */
const FILES: Record<string, { valid: () => Uint8Array; read: (bytes: Uint8Array) => unknown }> = {
  png: { valid: pngFile, read: (b) => io.decodeImage(b, 'rgb', 'fuzz.png') },
  jpeg: {
    valid: () => jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 120) }, 80).data,
    read: (b) => io.decodeImage(b, 'rgb', 'fuzz.jpg'),
  },
  idx: {
    valid: () =>
      gzipSync(
        idxFile(
          0x803,
          [3, 4, 5],
          Uint8Array.from({ length: 60 }, (_, i) => i),
        ),
      ),
    read: (b) => {
      const path = join(scratch, 'fuzz-idx.gz');
      writeFileSync(path, b);
      return readIdx(path);
    },
  },
  safetensors: {
    valid: () =>
      io.serializeSafetensors({ w: new Tensor(Float32Array.of(1, 2, 3, 4), [2, 2], 'float32') }, { format: 'pt' }),
    read: (b) => io.parseSafetensors(b, 'fuzz.safetensors'),
  },
  pickle: {
    valid: () => readFileSync(join(fixtureDir, 'datasets', 'cifar-10-batches-py', 'test_batch')),
    read: (b) => readPickle(b, 'fuzz.pkl'),
  },
  tar: { valid: () => tarArchive({ 'a/b.txt': Buffer.from('tar body') }), read: (b) => readTar(b, 'fuzz.tar') },
  zip: { valid: zipFile, read: (b) => [...readZip(b, 'fuzz.zip').values()].map((entry) => entry()) },
};

const scratch = tempDir('torchlit-fuzz-');

/** One mutation of `bytes`. */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Buffer.from(bytes);
  const at = () => Math.floor(random() * Math.max(1, out.length));
  switch (Math.floor(random() * 5)) {
    case 0:
      for (let k = 1 + Math.floor(random() * 8); k > 0; k--) out[at()] ^= 1 << Math.floor(random() * 8);
      return out;
    case 1:
      return out.subarray(0, at());
    case 2: {
      const i = at();
      const noise = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256)),
      );
      return Buffer.concat([out.subarray(0, i), noise, out.subarray(i)]);
    }
    case 3: {
      const extremes = [0xffffffff, 0x7fffffff, 0x80000000, 0, 1, Math.floor(random() * 2 ** 32)];
      const i = Math.min(at(), Math.max(0, out.length - 4));
      if (out.length >= 4) out.writeUInt32BE(extremes[Math.floor(random() * extremes.length)], i);
      return out;
    }
    default: {
      const i = at();
      const span = out.subarray(i, i + 1 + Math.floor(random() * 32));
      return Buffer.concat([out.subarray(0, i), span, span, out.subarray(i)]);
    }
  }
}

/** A clear error names the file it is about (every reader is given a name with 'fuzz' in it) and says what is wrong. */
const namesTheFile = (e: unknown) => e instanceof Error && /fuzz[-.][\w.-]+: +\S/.test(e.message);

/** Mutations of a valid file, once or twice over. */
export function mutatedFile(valid: Uint8Array, read: (bytes: Uint8Array) => unknown): FuzzFormat<Uint8Array> {
  return {
    generate(random) {
      const once = mutate(valid, random);
      return random() < 0.3 ? mutate(once, random) : once;
    },
    read,
    clear: namesTheFile,
  };
}

/** The binary file formats, each mutated from a valid file. */
export const FILE_FORMATS: Record<string, FuzzFormat<Uint8Array>> = Object.fromEntries(
  Object.entries(FILES).map(([name, f]) => [name, mutatedFile(f.valid(), f.read)]),
);
