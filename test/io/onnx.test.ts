// ONNX export checked by ONNX Runtime (onnxruntime-node, a dev dependency): the zoo's models made
// of modules and a model with every exportable layer give torchlit's outputs within 1e-5, at
// another batch size too; functional forwards and layers without an export are refused by name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { datasets, io, manualSeed, models, nn, noGrad, randn, type Tensor } from '../../src/index.js';
import type { Module } from '../../src/nn/module.js';
import { tempDir } from '../helpers/data.js';
import { assertUsageError, torchlit } from '../helpers/cli.js';

async function run(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.toArray()), x.shape) });
  return { data: out.output.data as Float32Array, dims: out.output.dims };
}

/** Exports on a batch of 2, runs ONNX Runtime on a batch of 5, compares with torchlit's eval-mode outputs. */
async function assertSameOutputs(
  model: Module,
  inputShape: number[],
  label: string,
  exported?: Uint8Array,
): Promise<void> {
  const bytes = exported ?? io.onnxBytes(model, randn([2, ...inputShape]));
  const x = randn([5, ...inputShape]);
  model.eval();
  const want = noGrad(() => model.forward(x));
  model.train();
  const got = await run(bytes, x);
  assert.deepEqual(got.dims, want.shape, label);
  const w = want.toArray();
  const worst = Math.max(...w.map((v, i) => Math.abs(v - got.data[i]) / Math.max(1, Math.abs(v))));
  assert.ok(worst <= 1e-5, `${label}: ONNX Runtime differs by ${worst} (relative)`);
}

describe('io.exportOnnx', () => {
  const exportable = ['mlp', 'fmnist-v0', 'fmnist-v1', 'tinyvgg', 'bn-cnn', 'mnist-fast', 'fashion-fast'];
  for (const name of exportable)
    it(`${name}: ONNX Runtime gives torchlit's outputs`, async () => {
      manualSeed(1);
      const model = models.zoo[name].create(1, 10);
      // BatchNorm's running statistics away from their initial 0 and 1.
      for (let i = 0; i < 3; i++) noGrad(() => model.forward(randn([8, 1, 28, 28])));
      await assertSameOutputs(model, [1, 28, 28], name);
    });

  it('every exportable layer: convolutions with groups, dilation and same padding, pools, norms, activations', async () => {
    manualSeed(2);
    const model = new nn.Sequential(
      new nn.Conv2d(2, 6, 3, { padding: 'same', dilation: 2 }),
      new nn.BatchNorm2d(6, { affine: false }),
      new nn.LeakyReLU(0.2),
      new nn.Conv2d(6, 6, [3, 2], { groups: 3, stride: [2, 1], padding: [1, 0] }),
      new nn.Tanh(),
      new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
      new nn.Dropout2d(0.3),
      new nn.Conv2d(6, 8, 3, { padding: 'same', bias: false }),
      new nn.Sigmoid(),
      new nn.AvgPool2d(2, { padding: 1, countIncludePad: false }),
      new nn.ReLU(),
      new nn.AdaptiveAvgPool2d(1),
      new nn.Flatten(),
      new nn.Dropout(0.5),
      new nn.Linear(8, 5),
      new nn.BatchNorm1d(5),
      new nn.Identity(),
      new nn.Softmax(-1),
    );
    noGrad(() => model.forward(randn([4, 2, 13, 11])));
    await assertSameOutputs(model, [2, 13, 11], 'every layer');
    const logits = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 3), new nn.LogSoftmax(1));
    await assertSameOutputs(logits, [3, 4], 'LogSoftmax');
  });

  it('writes model.onnx with names, shapes, a dynamic or fixed batch, and the classes and normalisation', async () => {
    manualSeed(3);
    const model = models.zoo['fmnist-v0'].create(1, 10);
    const path = join(tempDir('onnx-'), 'model.onnx');
    const classes = datasets.FASHION_MNIST_CLASSES;
    io.exportOnnx(model, randn([1, 1, 28, 28]), path, {
      classNames: classes,
      normalize: { mean: [0.286], std: [0.353] },
    });
    const session = await ort.InferenceSession.create(readFileSync(path));
    assert.deepEqual(session.inputNames, ['input']);
    assert.deepEqual(session.outputNames, ['output']);
    const bytes = readFileSync(path).toString('latin1');
    assert.ok(bytes.includes(JSON.stringify(classes)), 'the class names are in the metadata');
    assert.ok(bytes.includes('{"mean":[0.286],"std":[0.353]}'), 'the normalisation is in the metadata');
    const fixed = io.onnxBytes(model, randn([2, 1, 28, 28]), { dynamicBatch: false, opset: 13 });
    await assert.rejects(run(fixed, randn([3, 1, 28, 28])), /dimension|Got: 3 Expected: 2/i);
    assert.deepEqual((await run(fixed, randn([2, 1, 28, 28]))).dims, [2, 10]);
  });

  it('refuses a functional forward, a layer without an export, bad options, naming each', () => {
    manualSeed(4);
    const x = randn([2, 1, 28, 28]);
    assert.throws(
      () => io.onnxBytes(models.zoo.net.create(1, 10), x),
      /exportOnnx: not supported: conv2 \(Conv2d\) takes a tensor no module produced: the forward that calls it computes it with a functional call/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 4), new nn.GELU()), x),
      /exportOnnx: not supported: 2 \(GELU\): no ONNX export for this module yet/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.Flatten(0, 1)), x),
      /exportOnnx: not supported: 0 \(Flatten\): only Flatten\(1, -1\)/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.ReLU()), x, { opset: 18 }),
      /opset must be 13 to 17, got 18/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.ReLU()), x, { dynamicAxes: true } as never),
      /exportOnnx: unknown option 'dynamicAxes'/,
    );
    const relu = new nn.Sequential(new nn.ReLU());
    assert.throws(() => io.onnxBytes(relu, x, { opset: 18 }));
    assert.equal(Object.hasOwn(relu[0], 'forward'), false, 'the watched forwards are put back');
  });
  it('torchlit export --run writes the run’s model.onnx, the same outputs; a functional model is a usage error', async () => {
    const dir = tempDir('onnx-cli-');
    const runDir = join(dir, 'run');
    const trained = torchlit(
      dir,
      'train',
      '--model',
      'fmnist-v0',
      '--dataset',
      'mnist',
      '--epochs',
      '1',
      '--train-size',
      '640',
      '--out',
      runDir,
    );
    assert.equal(trained.code, 0, trained.stderr);
    const r = torchlit(dir, 'export', '--run', runDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote .*model\.onnx: fmnist-v0 as ONNX, input \[batch, 1, 28, 28\]/);
    const model = models.zoo['fmnist-v0'].create(1, 10);
    io.loadModel(model, join(runDir, 'model.safetensors'));
    await assertSameOutputs(model, [1, 28, 28], 'the run', readFileSync(join(runDir, 'model.onnx')));
    assert.ok(readFileSync(join(runDir, 'model.onnx')).toString('latin1').includes('"7 - seven"'), 'MNIST class names');
    const net = join(dir, 'net');
    assert.equal(torchlit(dir, 'train', '--model', 'net', '--epochs', '1', '--train-size', '64', '--out', net).code, 0);
    assertUsageError(
      torchlit(dir, 'export', '--run', net),
      /not supported: conv2 \(Conv2d\) takes a tensor no module produced/,
    );
    assertUsageError(
      torchlit(dir, 'export', '--run', runDir, '--format', 'pytorch'),
      /--format pytorch is not supported yet/,
    );
  });
});
