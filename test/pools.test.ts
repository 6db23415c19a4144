import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { F, nn, tensor, type DType } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_pool_fixtures.py writes: PyTorch's output and the gradient of sum(out * w). */
interface PoolCase {
  fn: 'avg_pool2d' | 'adaptive_avg_pool2d';
  shape: number[];
  options: {
    kernel_size?: F.Pair;
    stride?: F.Pair;
    padding?: F.Pair;
    count_include_pad?: boolean;
    divisor_override?: number;
    output_size?: F.Pair;
  };
  dtype: DType;
  input: number[];
  output: number[];
  output_shape: number[];
  w: number[];
  grad: number[];
}

const cases = JSON.parse(readFileSync(`${fixtureDir}pools.json`, 'utf8')) as PoolCase[];

describe('average pooling against PyTorch', () => {
  for (const c of cases) {
    it(`${c.fn} ${JSON.stringify(c.options)} ${c.dtype} on [${c.shape.join(', ')}]`, () => {
      const x = tensor(c.input, { dtype: c.dtype })
        .reshape(...c.shape)
        .requiresGrad_();
      const o = c.options;
      const y =
        c.fn === 'avg_pool2d'
          ? F.avgPool2d(x, o.kernel_size!, {
              ...(o.stride !== undefined && { stride: o.stride }),
              ...(o.padding !== undefined && { padding: o.padding }),
              ...(o.count_include_pad !== undefined && { countIncludePad: o.count_include_pad }),
              ...(o.divisor_override !== undefined && { divisorOverride: o.divisor_override }),
            })
          : F.adaptiveAvgPool2d(x, o.output_size!);
      const [rtol, atol] = c.dtype === 'float64' ? [1e-12, 1e-13] : [1e-5, 1e-6];
      assert.deepEqual([...y.shape], c.output_shape);
      assertClose(y, c.output, rtol, atol, 'output');
      y.mul(tensor(c.w, { dtype: c.dtype }).reshape(...c.output_shape))
        .sum()
        .backward();
      assertClose(x.grad!, c.grad, rtol, atol, 'gradient');
    });
  }

  it('the modules print as PyTorch and refuse ceilMode', () => {
    assert.equal(new nn.AvgPool2d(2).toString(), 'AvgPool2d(kernel_size=2, stride=2, padding=0)');
    assert.equal(new nn.AdaptiveAvgPool2d([1, 1]).toString(), 'AdaptiveAvgPool2d(output_size=(1, 1))');
    assert.throws(
      () => new nn.AvgPool2d(2, { ceilMode: true } as F.AvgPool2dOptions),
      /nn.AvgPool2d: not supported: ceilMode = true/,
    );
  });
});
