import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The original Fashion-MNIST files: the shared test copy, or Debian's dataset-fashion-mnist. */
export function fashionDir(): string {
  for (const dir of [join(repo, '..', 'shared', 'datasets', 'fashion-mnist'), '/usr/share/datasets/fashion-mnist']) {
    if (existsSync(join(dir, 't10k-labels-idx1-ubyte.gz'))) return dir;
  }
  throw new Error('Fashion-MNIST files not found: install Debian package dataset-fashion-mnist (.ci/run does)');
}

export function tempDir(prefix = 'torchlit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
