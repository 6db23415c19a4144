// Compiles the AssemblyScript kernels (assembly/) to WebAssembly twice, with and without relaxed
// SIMD (fused multiply-add), into dist/src/backend/wasm/kernels.wasm and kernels-relaxed.wasm:
// Node reads them from there, a page fetches them, bundlers emit them as assets.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const flags = [
  '-O3',
  '--runtime',
  'stub',
  '--importMemory',
  '--noAssert',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--sharedMemory',
  '--initialMemory',
  '32',
  '--maximumMemory',
  '16384',
  '--use',
  'abort=',
];

/** Writes a build beside the compiled kernels module, where it loads them from (and the package ships them). */
function build(name, extra) {
  const out = join(root, 'dist', 'src', 'backend', 'wasm', name);
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(process.execPath, [asc, join(root, 'assembly', 'index.ts'), '-o', out, ...flags, ...extra], {
    stdio: 'inherit',
  });
}

build('kernels.wasm', []);
build('kernels-relaxed.wasm', ['--enable', 'relaxed-simd']);
