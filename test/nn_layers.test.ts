import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { F, manualSeed, nn, tensor, Tensor, type DType } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { decodeValue, fixtureDir, gradientWeights } from './helpers/fixtures.js';

interface Values {
  values: (number | null)[];
  shape: number[];
  dtype?: string;
}
/** What scripts/make_nn_fixtures.py writes for each case. */
type Case =
  | {
      state: Record<string, Values>;
      input: Values;
      output: Values;
      input_grad?: (number | null)[] | null;
      param_grads?: Record<string, (number | null)[]>;
    }
  | { error: string };

const fixture = JSON.parse(readFileSync(`${fixtureDir}nn_layers.json`, 'utf8')) as {
  cases: Record<string, Case>;
  inits: Record<string, { shape: number[]; values: (number | null)[] }>;
};

type Built = nn.Module | ((x: Tensor) => Tensor);
const fn = (f: (x: Tensor) => Tensor): Built => f;

/** Each case as torchlit writes it, under the fixture's name, with its dtype. */
const build: Record<string, [() => Built, DType?]> = {
  layer_norm: [() => new nn.LayerNorm(4)],
  layer_norm_2d_no_affine: [() => new nn.LayerNorm([3, 4], { eps: 1e-3, elementwiseAffine: false })],
  layer_norm_f64: [() => new nn.LayerNorm(4), 'float64'],
  layer_norm_bad_shape: [() => new nn.LayerNorm(5)],
  group_norm: [() => new nn.GroupNorm(2, 4)],
  group_norm_one_group_no_affine: [() => new nn.GroupNorm(1, 4, { affine: false })],
  group_norm_bad_groups: [() => new nn.GroupNorm(3, 4)],
  gelu: [() => new nn.GELU()],
  gelu_tanh: [() => new nn.GELU('tanh')],
  gelu_f64: [() => new nn.GELU(), 'float64'],
  prelu: [() => new nn.PReLU()],
  prelu_channels: [() => new nn.PReLU(3)],
  prelu_mismatch: [() => new nn.PReLU(4)],
  embedding: [() => new nn.Embedding(5, 3, { paddingIdx: 1 })],
  embedding_out_of_range: [() => new nn.Embedding(5, 3)],
  conv1d: [() => new nn.Conv1d(2, 3, 3, { stride: 2, padding: 1 })],
  conv1d_same_no_bias: [() => new nn.Conv1d(2, 2, 3, { padding: 'same', bias: false })],
  conv1d_unbatched: [() => new nn.Conv1d(2, 3, 2)],
  conv_transpose2d: [() => new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 })],
  conv_transpose2d_rect_no_bias: [() => new nn.ConvTranspose2d(3, 2, [2, 3], { bias: false })],
  conv_transpose2d_bad_output_padding: [() => new nn.ConvTranspose2d(2, 3, 3, { stride: 2, outputPadding: 2 })],
  upsample_nearest_scale: [() => new nn.Upsample({ scaleFactor: 2 })],
  interpolate_nearest_size: [() => fn((x) => F.interpolate(x, { size: [5, 4] }))],
  interpolate_nearest_down: [() => fn((x) => F.interpolate(x, { size: [2, 2] }))],
  interpolate_nearest_1d: [() => fn((x) => F.interpolate(x, { size: 8 }))],
  interpolate_bilinear: [() => fn((x) => F.interpolate(x, { size: [5, 7], mode: 'bilinear' }))],
  interpolate_bilinear_align: [
    () => fn((x) => F.interpolate(x, { size: [5, 7], mode: 'bilinear', alignCorners: true })),
  ],
  upsample_bilinear_scale: [() => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' })],
  interpolate_bilinear_down: [() => fn((x) => F.interpolate(x, { scaleFactor: 0.5, mode: 'bilinear' }))],
  interpolate_both_given: [() => fn((x) => F.interpolate(x, { size: 4, scaleFactor: 2 }))],
  pad_constant: [() => fn((x) => F.pad(x, [1, 2, 0, 1], { value: 0.5 }))],
  pad_reflect: [() => fn((x) => F.pad(x, [2, 1, 1, 2], { mode: 'reflect' }))],
  pad_replicate: [() => fn((x) => F.pad(x, [2, 1, 1, 3], { mode: 'replicate' }))],
  pad_circular: [() => fn((x) => F.pad(x, [2, 1, 1, 3], { mode: 'circular' }))],
  pad_crop: [() => fn((x) => F.pad(x, [-1, 1, 0, -2]))],
  pad_reflect_too_big: [() => fn((x) => F.pad(x, [4, 0, 0, 0], { mode: 'reflect' }))],
  zero_pad2d: [() => new nn.ZeroPad2d([1, 0, 2, 1])],
  unfold: [() => fn((x) => F.unfold(x, 2, { padding: 1 }))],
  unfold_dilation_stride: [() => fn((x) => F.unfold(x, [2, 3], { dilation: [1, 2], stride: [2, 1] }))],
  adaptive_max_pool: [() => new nn.AdaptiveMaxPool2d([3, 2])],
  adaptive_max_pool_global: [() => new nn.AdaptiveMaxPool2d(1)],
  one_hot: [() => fn((x) => F.oneHot(x))],
  one_hot_classes: [() => fn((x) => F.oneHot(x, 5))],
  one_hot_too_small: [() => fn((x) => F.oneHot(x, 3))],
  normalize: [() => fn((x) => F.normalize(x))],
  normalize_p1_dim0: [() => fn((x) => F.normalize(x, { p: 1, dim: 0 }))],
  dropout1d_train: [() => new nn.Dropout1d(0.4)],
  unflatten: [() => new nn.Unflatten(1, [2, -1])],
  conv2d_dilation: [() => new nn.Conv2d(4, 3, 3, { dilation: 2, padding: 1 })],
  conv2d_dilation_same_stride: [() => new nn.Conv2d(4, 2, [3, 2], { dilation: [2, 3], stride: [1, 2] })],
  conv2d_dilation_same_padding: [() => new nn.Conv2d(4, 2, 3, { dilation: 2, padding: 'same' })],
  conv2d_groups: [() => new nn.Conv2d(4, 6, 3, { groups: 2, padding: 1 })],
  conv2d_depthwise: [() => new nn.Conv2d(4, 8, 3, { groups: 4, stride: 2, bias: false })],
  conv2d_groups_dilation: [() => new nn.Conv2d(4, 4, 3, { groups: 2, dilation: 2 })],
  conv2d_groups_bad: [() => fn((x) => F.conv2d(x, Tensor.empty([4, 3, 3, 3]).fill_(1), null, { groups: 2 }))],
  conv1d_groups_dilation: [() => new nn.Conv1d(4, 4, 3, { groups: 4, dilation: 2, padding: 2 })],
  max_pool_ceil: [() => new nn.MaxPool2d(2, { ceilMode: true })],
  max_pool_ceil_stride_padding: [() => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true })],
  max_pool_ceil_even: [() => new nn.MaxPool2d(2, { ceilMode: true })],
  layer_norm_in_sequential: [
    () => new nn.Sequential(new nn.Linear(4, 3), new nn.LayerNorm(3), new nn.GELU(), new nn.Linear(3, 2)),
  ],
};

/** torchlit's words where they differ from PyTorch's. */
const ERRORS: Record<string, RegExp> = {
  layer_norm_bad_shape:
    /Given normalized_shape=\[5\], expected input with shape \[\*, 5\], but got input of size \[2, 3, 4\]/,
  embedding_out_of_range: /index out of range in self: index 5 of a table with 5 rows/,
  conv_transpose2d_bad_output_padding: /output padding must be smaller than either stride or dilation/,
  pad_reflect_too_big:
    /Padding size should be less than the corresponding input dimension, but got: padding \(4, 0\) at dimension 3/,
};

const decode = (v: (number | null)[]) => v.map(decodeValue);
const weights = gradientWeights;

describe('nn layers and functions against PyTorch 1.13', () => {
  it('every fixture case has a torchlit build and the other way round', () => {
    assert.deepEqual(Object.keys(build).sort(), Object.keys(fixture.cases).sort());
  });

  for (const [name, expected] of Object.entries(fixture.cases)) {
    it(name, () => {
      const [make, dtype = 'float32'] = build[name];
      if ('error' in expected) {
        const words = ERRORS[name] ?? new RegExp(expected.error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        assert.throws(() => {
          const m = make();
          const x = tensor(
            Array.from({ length: 32 }, (_, i) => i % 5),
            { dtype: name.startsWith('embedding') || name.startsWith('one_hot') ? 'int64' : 'float32' },
          );
          const input = name.startsWith('embedding')
            ? tensor([5])
            : name.startsWith('one_hot')
              ? tensor([0, 3])
              : fixtureInput(name, x);
          return m instanceof nn.Module ? m.forward(input) : m(input);
        }, words);
        return;
      }
      const built = make();
      if (built instanceof nn.Module) {
        built.to(dtype);
        const sd = Object.fromEntries(
          Object.entries(expected.state).map(([k, v]) => [
            k,
            new Tensor(Float64Array.from(decode(v.values)), v.shape, 'float64').to(dtype),
          ]),
        );
        built.loadStateDict(sd);
      }
      const inputDtype = expected.input.dtype === 'int64' ? 'int64' : dtype;
      const x = new Tensor(Float64Array.from(decode(expected.input.values)), expected.input.shape, 'float64').to(
        inputDtype,
      );
      if (inputDtype !== 'int64') x.requiresGrad = true;
      manualSeed(1);
      const out = built instanceof nn.Module ? built.forward(x) : built(x);
      assert.deepEqual([...out.shape], expected.output.shape, 'shape');
      assert.equal(out.dtype, expected.output.dtype, 'dtype');
      const tol = dtype === 'float64' ? 1e-10 : 2e-5;
      assertClose(out.toArray(), decode(expected.output.values), tol, tol, 'output');
      if (expected.input_grad !== undefined || expected.param_grads) {
        out.mul(weights(out)).sum().backward();
        if (expected.input_grad)
          assertClose(x.grad!.toArray(), decode(expected.input_grad), tol, tol, 'input gradient');
        if (built instanceof nn.Module)
          for (const [k, p] of built.namedParameters())
            assertClose(p.grad!.toArray(), decode(expected.param_grads![k]), tol, tol, `gradient of ${k}`);
      }
    });
  }

  /** The input of an error case, from the fixture where PyTorch got that far. */
  function fixtureInput(name: string, fallback: Tensor): Tensor {
    const c = fixture.cases[name];
    if ('input' in c)
      return new Tensor(Float64Array.from(decode(c.input.values)), c.input.shape, 'float64').to('float32');
    const shapes: Record<string, number[]> = {
      layer_norm_bad_shape: [2, 3, 4],
      group_norm_bad_groups: [2, 4, 3, 3],
      prelu_mismatch: [2, 3, 4],
      conv_transpose2d_bad_output_padding: [1, 2, 4, 4],
      interpolate_both_given: [1, 2, 3, 3],
      pad_reflect_too_big: [1, 2, 4, 4],
      conv2d_groups_bad: [2, 4, 6, 6],
    };
    const shape = shapes[name];
    return shape ? Tensor.empty(shape).fill_(0.5) : fallback;
  }

  const inits: Record<string, (t: Tensor) => void> = {
    xavier_normal: (t) => nn.init.xavierNormal_(t, 1.5),
    kaiming_normal: (t) => nn.init.kaimingNormal_(t, { mode: 'fan_out', nonlinearity: 'relu' }),
    kaiming_normal_default: (t) => nn.init.kaimingNormal_(t),
    trunc_normal: (t) => nn.init.truncNormal_(t, 0.5, 2, -1, 3),
    trunc_normal_default: (t) => nn.init.truncNormal_(t),
    orthogonal_wide: (t) => nn.init.orthogonal_(t),
    orthogonal_tall: (t) => nn.init.orthogonal_(t, 2),
    orthogonal_conv: (t) => nn.init.orthogonal_(t),
    eye: (t) => nn.init.eye_(t),
  };
  for (const [name, init] of Object.entries(inits)) {
    it(`nn.init ${name} draws PyTorch's values from manualSeed(0)`, () => {
      const e = fixture.inits[name];
      manualSeed(0);
      const t = Tensor.empty(e.shape);
      init(t);
      assertClose(t.toArray(), decode(e.values), 1e-5, 1e-6);
    });
  }

  it("Embedding, ConvTranspose2d and Conv1d start from PyTorch's initial weights", () => {
    manualSeed(0);
    assertClose(
      new nn.Embedding(4, 3, { paddingIdx: 2 }).weight.toArray(),
      decode(fixture.inits.embedding_init.values),
      1e-6,
      1e-7,
    );
    manualSeed(0);
    const ct = new nn.ConvTranspose2d(2, 3, 3);
    assertClose(
      [...ct.weight.toArray(), ...ct.bias!.toArray()],
      decode(fixture.inits.conv_transpose_init.values),
      1e-6,
      1e-7,
    );
    manualSeed(0);
    const c1 = new nn.Conv1d(2, 3, 4);
    assertClose([...c1.weight.toArray(), ...c1.bias!.toArray()], decode(fixture.inits.conv1d_init.values), 1e-6, 1e-7);
  });

  it('options PyTorch has and torchlit does not are refused by name', () => {
    assert.throws(() => new nn.Conv1d(2, 3, 3, { paddingMode: 'reflect' } as never), /not supported: paddingMode/);
    assert.throws(() => new nn.Conv2d(4, 6, 3, { groups: 4 }), /out_channels must be divisible by groups/);
    assert.throws(() => new nn.ConvTranspose2d(2, 3, 3, { groups: 2 } as never), /not supported: groups/);
    assert.throws(() => new nn.Embedding(3, 2, { maxNorm: 1 } as never), /not supported: maxNorm/);
    assert.throws(
      () => F.interpolate(Tensor.empty([1, 1, 2, 2]), { size: 3, mode: 'bicubic' as never }),
      /not supported: mode 'bicubic'/,
    );
    assert.throws(() => new nn.LayerNorm(3, { bias: false } as never), /bias/);
    assert.throws(() => new nn.AdaptiveMaxPool2d(2, true), /not supported: returnIndices/);
  });
});
