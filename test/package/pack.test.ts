// The package as users get it: `npm pack`, installed from the tarball into an empty project,
// imported from an ES module and from TypeScript, and its command run with npx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/data.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', npm_config_update_notifier: 'false' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** A user's program: the tutorial's Net from the package, a few compiled SGD steps on random data. */
const program = `import { F, compileStep, manualSeed, models, optim, randint, randn } from 'torchlit';
manualSeed(1);
const net = new models.Net();
const step = compileStep(net, F.nllLoss, new optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.5 }));
const x = randn([64, 1, 28, 28]);
const y = randint(0, 10, [64]);
const losses = [0, 1, 2, 3, 4].map(() => step(x, y));
console.log(JSON.stringify({ first: losses[0], last: losses[4], compiled: step.compiled }));
`;

/** The same from TypeScript: it must type-check against the package's declarations. */
const typed = `import { nn, zeros, type Tensor } from 'torchlit';
class Tiny extends nn.Module {
  fc = new nn.Linear(4, 2);
  forward(x: Tensor): Tensor {
    return this.fc.forward(x);
  }
}
const out: Tensor = new Tiny().forward(zeros([3, 4]));
export const shape: readonly number[] = out.shape;
`;

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    types: [],
  },
};

describe('the packed package', () => {
  let pack: PackResult;
  let project: string;
  let installed: { code: number | null; out: string };

  before(() => {
    const out = tempDir('torchlit-pack-');
    // --ignore-scripts: the tests run on the build `npm test` just made; prepare would rebuild it under them.
    const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], repo);
    assert.equal(r.code, 0, r.out);
    pack = (JSON.parse(r.stdout) as PackResult[])[0];
    project = join(out, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'uses-torchlit', private: true, type: 'module' }),
    );
    // From npm's cache where `npm install` filled it (no network needed), from the registry otherwise.
    installed = run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', join(out, pack.filename)],
      project,
    );
  });

  it('holds the compiled library, its types and the documents, and nothing else', (t) => {
    const paths = pack.files.map((f) => f.path);
    const stray = paths.filter(
      (p) =>
        !/^dist\/src\/.+\.(js|d\.ts)$/.test(p) &&
        !/^dist\/src\/backend\/wasm\/kernels(-relaxed)?\.wasm$/.test(p) &&
        !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(p),
    );
    assert.deepEqual(stray, [], 'no tests, fixtures, sources, maps or benchmarks');
    for (const p of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/browser.js',
      'dist/src/cli/main.js',
      'dist/src/backend/wasm/kernels.wasm',
      'dist/src/backend/wasm/kernels-relaxed.wasm',
      'LICENSE',
    ])
      assert.ok(paths.includes(p), `${p} is in the tarball`);
    t.diagnostic(
      `${pack.filename}: ${pack.files.length} files, ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
    );
    assert.ok(pack.size < 1024 * 1024, `the tarball is ${pack.size} bytes`);
  });

  it('installs into an empty project as a dependency', () => {
    assert.equal(installed.code, 0, installed.out);
  });

  it('an ES module imports it and trains a few compiled steps', () => {
    writeFileSync(join(project, 'train.mjs'), program);
    const r = run(process.execPath, ['train.mjs'], project);
    assert.equal(r.code, 0, r.out);
    const { first, last, compiled } = JSON.parse(r.stdout) as { first: number; last: number; compiled: boolean };
    assert.ok(first > 2 && first < 2.6, `first loss ${first}`);
    assert.ok(last < first, `the loss falls: ${first} -> ${last}`);
    assert.equal(compiled, true);
  });

  it('TypeScript resolves its types, and a type error in user code is caught', () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(project, 'model.ts'), typed);
    const ok = run(process.execPath, [tsc, '-p', '.'], project);
    assert.equal(ok.code, 0, ok.out);
    writeFileSync(
      join(project, 'wrong.ts'),
      "import { zeros } from 'torchlit';\nexport const n: number = zeros([2]);\n",
    );
    const wrong = run(process.execPath, [tsc, '-p', '.'], project);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.out, /wrong\.ts\(2,14\): error TS2322: Type 'Tensor' is not assignable to type 'number'/);
  });

  it('npx torchlit inspect --model net runs the installed command', () => {
    const r = run('npx', ['--no-install', 'torchlit', 'inspect', '--model', 'net'], project);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /^Net\(\n {2}\(conv1\): Conv2d\(1, 10, kernel_size=\(5, 5\), stride=\(1, 1\)\)/);
    assert.match(r.stdout, /Total params: 21,840/);
  });
});
