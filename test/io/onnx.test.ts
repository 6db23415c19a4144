// ONNX export checked by ONNX Runtime (onnxruntime-node, a dev dependency): every zoo model, a
// model with every exportable layer and forwards of functional calls and tensor ops give
// torchlit's outputs within 1e-5, at another batch size too; what ONNX cannot express is refused
// naming the call and the module.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { datasets, F, io, manualSeed, models, nn, noGrad, randn, type Tensor } from '../../src/index.js';
import type { Module } from '../../src/nn/module.js';
import { tempDir } from '../helpers/data.js';
import { Functional, layerZoo, Cumulative } from '../helpers/export_models.js';
import { torchlit } from '../helpers/cli.js';

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
  exported?: Uint8Array | io.OnnxExportOptions,
): Promise<void> {
  const bytes = exported instanceof Uint8Array ? exported : io.onnxBytes(model, randn([2, ...inputShape]), exported);
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
  for (const name of Object.keys(models.zoo))
    it(`${name}: ONNX Runtime gives torchlit's outputs, BatchNorm as its own node and folded`, async () => {
      manualSeed(1);
      const model = models.zoo[name].create(1, 10);
      // BatchNorm's running statistics away from their initial 0 and 1.
      for (let i = 0; i < 3; i++) noGrad(() => model.forward(randn([8, 1, 28, 28])));
      await assertSameOutputs(model, [1, 28, 28], name);
      await assertSameOutputs(model, [1, 28, 28], `${name} folded`, { foldBatchNorm: true });
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

  it('more layers: activations, padding, resizing, adaptive pools, layer norm, 1-d and transposed convolutions', async () => {
    manualSeed(5);
    const model = layerZoo();
    await assertSameOutputs(model, [2, 6, 5], 'more layers');
    const opset13 = new nn.Sequential(
      new nn.Upsample({ size: [7, 9], mode: 'nearest' }),
      new nn.Hardswish(),
      new nn.Upsample({ size: [4, 5], mode: 'bilinear' }),
    );
    await assertSameOutputs(opset13, [2, 6, 5], 'resizing to a size and HardSwish in opset 13', { opset: 13 });
    const conv1d = new nn.Sequential(new nn.Conv1d(3, 4, 3, { padding: 'same', dilation: 2 }), new nn.Softplus());
    await assertSameOutputs(conv1d, [3, 10], 'Conv1d');
    assert.throws(() => io.onnxBytes(model, randn([2, 2, 6, 5]), { opset: 16 }), /layerNorm needs opset 17/);
  });

  it('forwards of functional calls and tensor ops: residual adds, views, cat, scalars, F.pad and F.interpolate', async () => {
    manualSeed(6);
    const model = new Functional();
    noGrad(() => model.forward(randn([4, 3, 6, 10])));
    await assertSameOutputs(model, [3, 6, 10], 'functional');
  });

  it('foldBatchNorm folds each BatchNorm after a convolution into its weights', () => {
    manualSeed(7);
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU());
    const x = randn([2, 1, 8, 8]);
    assert.ok(Buffer.from(io.onnxBytes(model, x)).includes('BatchNormalization'));
    const folded = Buffer.from(io.onnxBytes(model, x, { foldBatchNorm: true }));
    assert.ok(!folded.includes('BatchNormalization'), 'no BatchNormalization node left');
    assert.ok(folded.includes('0.weight.folded'), 'the folded weights are named after the convolution');
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

  it('refuses what ONNX cannot express, naming the call and the module path; bad options', () => {
    manualSeed(4);
    const x = randn([2, 1, 28, 28]);
    const deep = new nn.Sequential(
      new nn.Identity(),
      new nn.Identity(),
      new nn.Identity(),
      new nn.Sequential(new Cumulative()),
    );
    assert.throws(
      () => io.onnxBytes(deep, x),
      /exportOnnx: not supported: 3\.0 \(Cumulative\): cumsum \(CumsumBackward0\) has no ONNX export yet/,
    );
    class InPlace extends nn.Module {
      forward(t: Tensor): Tensor {
        return F.relu(t).add_(1);
      }
    }
    assert.throws(
      () => io.onnxBytes(new InPlace(), x),
      /InPlace\.forward: the in-place add_ on a tensor computed from the input/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.AvgPool2d(2, { divisorOverride: 3 })), x),
      /not supported: 0 \(AvgPool2d\): avgPool2d divisorOverride/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.AdaptiveAvgPool2d(5)), x),
      /not supported: 0 \(AdaptiveAvgPool2d\): adaptiveAvgPool2d from 28 x 28 to 5 x 5/,
    );
    class Circular extends nn.Module {
      forward(t: Tensor): Tensor {
        return F.pad(t, [1, 1], { mode: 'circular' });
      }
    }
    assert.throws(() => io.onnxBytes(new Circular(), x), /Circular\.forward: pad mode 'circular'/);
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.BatchNorm2d(1, { trackRunningStats: false })), x),
      /0 \(BatchNorm2d\): batch norm by the batch statistics/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.ReLU()), x, { opset: 18 }),
      /opset must be 13 to 17, got 18/,
    );
    assert.throws(
      () => io.onnxBytes(new nn.Sequential(new nn.ReLU()), x, { dynamicAxes: true } as never),
      /exportOnnx: unknown option 'dynamicAxes'/,
    );
    const hooked = new nn.Sequential(new nn.ReLU(), new Cumulative());
    let calls = 0;
    hooked[0].registerForwardHook(() => void calls++);
    assert.throws(() => io.onnxBytes(hooked, x));
    assert.equal(Object.hasOwn(hooked[1], 'forward'), false, 'the watched forwards are put back');
    noGrad(() => hooked.forward(x));
    assert.equal(calls, 2, 'a forward hook stays registered');
  });
  it('torchlit export --run writes the run’s model.onnx, the same outputs; --format pytorch refused for now', async () => {
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
    const folded = torchlit(dir, 'export', '--run', runDir, '--fold-batch-norm', '--out', join(dir, 'folded.onnx'));
    assert.equal(folded.code, 0, folded.stderr);
    await assertSameOutputs(model, [1, 28, 28], 'the run, folded', readFileSync(join(dir, 'folded.onnx')));
  });
});
