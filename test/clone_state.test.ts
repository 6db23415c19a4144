import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { compileStep, F, manualSeed, models, nn, optim, randint, randn, Tensor } from '../src/index.js';
import { repo } from './helpers/chromium.js';

const sharedMemory = (t: Tensor) => Object.prototype.toString.call(t.data.buffer) === '[object SharedArrayBuffer]';

/** Net after three compiled SGD steps with momentum, so its parameters live in WebAssembly memory. */
function trainedNet() {
  manualSeed(0);
  const net = new models.Net();
  const opt = new optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.5 });
  const step = compileStep(net, (out, y) => F.nllLoss(out, y), opt);
  const x = randn([8, 1, 28, 28]);
  const y = randint(0, 10, [8]);
  for (let i = 0; i < 3; i++) step(x, y);
  return { net, opt, x, y };
}

describe('state dicts in and out of structured clone', () => {
  it('stateDict() after compileStep copies out of shared memory; a clone loads to the same outputs', () => {
    const { net, x } = trainedNet();
    assert.ok(sharedMemory(net.conv1.weight), 'the compiled step moved the weights into shared memory');
    const sd = net.stateDict();
    assert.ok(Object.values(sd).every((t) => !sharedMemory(t)));
    const copy = new models.Net();
    copy.loadStateDict(structuredClone(sd));
    net.eval();
    copy.eval();
    assert.deepEqual(copy.forward(x).toArray(), net.forward(x).toArray());
  });

  it('an optimizer state dict through structured clone restores its momentum buffers as Tensors', () => {
    const { net, opt } = trainedNet();
    const restored = new optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.5 });
    restored.loadStateDict(structuredClone(opt.stateDict()));
    const a = opt.stateDict().state[0].momentum_buffer as Tensor;
    const b = restored.stateDict().state[0].momentum_buffer as Tensor;
    assert.ok(b instanceof Tensor);
    assert.deepEqual(b.shape, a.shape);
    assert.deepEqual(b.toArray(), a.toArray());
  });

  it('a buffer that is neither a Tensor nor a clone of one is refused by name', () => {
    const { net, opt } = trainedNet();
    const sd = structuredClone(opt.stateDict());
    (sd.state[0] as Record<string, unknown>).momentum_buffer = { data: [1, 2], shape: [2] };
    const restored = new optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.5 });
    assert.throws(
      () => restored.loadStateDict(sd),
      /SGD\.loadStateDict: buffer 'momentum_buffer' of parameter 0 is neither a Tensor nor a number/,
    );
    const broken = structuredClone(net.stateDict()) as unknown as Record<string, { shape: number[] }>;
    broken['conv1.weight'].shape = [10, 1, 5, 6];
    assert.throws(() => new models.Net().loadStateDict(broken as never), /expected a Tensor but got object/);
  });
});

describe('class names', () => {
  it("every exported class is named after its export, which minifiers keep; a user's class after itself or its typeName", () => {
    assert.equal((nn.Conv2d as unknown as { typeName: string }).typeName, 'Conv2d');
    assert.equal((models.Net as unknown as { typeName: string }).typeName, 'Net');
    class Mine extends nn.Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    class Renamed extends Mine {
      static typeName = 'MyNet';
    }
    assert.equal(String(new Mine()), 'Mine()');
    assert.equal(String(new Renamed()), 'MyNet()');
  });
});

describe('memory without sharing', () => {
  it('TORCHLIT_SHARED_MEMORY=0 (a page without shared memory) trains bit for bit as one shared thread', () => {
    const url = (path: string) => JSON.stringify(pathToFileURL(join(repo, path)).href);
    const script =
      `const t = await import(${url('dist/src/index.js')}); const { trainNet } = await import(${url('test/browser/train_net.js')});` +
      `const k = (await import(${url('dist/src/backend/index.js')})).activeWasmKernels();` +
      `console.log(JSON.stringify({ shared: k.shared, losses: trainNet(t, 5).losses }));`;
    const run = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        }),
      ) as { shared: boolean; losses: number[] };
    const unshared = run({ TORCHLIT_SHARED_MEMORY: '0' });
    const oneThread = run({ TORCHLIT_THREADS: '1' });
    assert.equal(unshared.shared, false);
    assert.equal(oneThread.shared, true);
    assert.deepEqual(unshared.losses, oneThread.losses);
    assert.throws(() => run({ TORCHLIT_SHARED_MEMORY: 'yes' }), /TORCHLIT_SHARED_MEMORY must be 0 or 1, got 'yes'/);
  });
});
