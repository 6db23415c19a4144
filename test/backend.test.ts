import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Generator, referenceBackend, wasmBackend, type Backend } from '../src/index.js';
import { activeWasmKernels } from '../src/backend/index.js';
import { Helper } from '../src/backend/wasm/threads.js';
import { assertClose } from './helpers/assert.js';

const BACKENDS: Backend[] = [referenceBackend, wasmBackend()].filter((b): b is Backend => b !== null);
const g = new Generator(99);
const g2 = new Generator(7);
const randArray = (n: number) => Float32Array.from({ length: n }, () => g.uniform24() * 2 - 1);

function naiveMatmul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

for (const be of BACKENDS) {
  describe(`${be.name} kernels against direct definitions`, () => {
    // Sizes that leave remainders in every block and register tile.
    for (const [m, n, k] of [
      [1, 1, 1],
      [7, 5, 3],
      [10, 9, 37],
      [13, 530, 300],
      [33, 17, 600],
    ]) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        it(`matmul ${m}x${n}x${k} transA=${ta} transB=${tb}, accumulating`, () => {
          const a = randArray(m * k);
          const b = randArray(k * n);
          const out = new Float32Array(m * n).fill(1);
          be.matmul(a, b, out, m, n, k, ta, tb, true);
          const expected = naiveMatmul(a, b, m, n, k, ta, tb).map((v) => v + 1);
          assertClose(out, expected, 1e-4, 1e-4);
        });
      }
    }

    it('conv2d forward equals the direct sum with stride and padding', () => {
      const geo = { n: 2, c: 3, h: 7, w: 6, oc: 4, kh: 3, kw: 2, sh: 2, sw: 1, ph: 1, pw: 1, oh: 4, ow: 7 };
      const x = randArray(geo.n * geo.c * geo.h * geo.w);
      const w = randArray(geo.oc * geo.c * geo.kh * geo.kw);
      const bias = randArray(geo.oc);
      const out = new Float32Array(geo.n * geo.oc * geo.oh * geo.ow);
      be.conv2dForward(x, w, bias, out, geo);
      const expected: number[] = [];
      for (let s = 0; s < geo.n; s++)
        for (let o = 0; o < geo.oc; o++)
          for (let oy = 0; oy < geo.oh; oy++)
            for (let ox = 0; ox < geo.ow; ox++) {
              let acc = bias[o];
              for (let c = 0; c < geo.c; c++)
                for (let i = 0; i < geo.kh; i++)
                  for (let j = 0; j < geo.kw; j++) {
                    const iy = oy * geo.sh - geo.ph + i;
                    const ix = ox * geo.sw - geo.pw + j;
                    if (iy >= 0 && iy < geo.h && ix >= 0 && ix < geo.w) {
                      acc +=
                        x[((s * geo.c + c) * geo.h + iy) * geo.w + ix] * w[((o * geo.c + c) * geo.kh + i) * geo.kw + j];
                    }
                  }
              expected.push(acc);
            }
      assertClose(out, expected, 1e-5, 1e-5);
    });

    it('reductions over the middle axis', () => {
      const a = Float32Array.from([1, 5, 2, 7, 0, 3, 4, 4, 9, 1, 1, 1]);
      const out = new Float32Array(4);
      be.reduce('sum', a, 2, 3, 2, out);
      assert.deepEqual([...out], [1 + 2 + 0, 5 + 7 + 3, 4 + 9 + 1, 4 + 1 + 1]);
      be.reduce('argmax', a, 2, 3, 2, out);
      assert.deepEqual([...out], [1, 1, 1, 0]);
    });

    it('binary kernels broadcast', () => {
      const out = new Float32Array(6);
      be.binary('sub', Float32Array.from([10, 20]), [2, 1], Float32Array.from([1, 2, 3]), [3], out, [2, 3]);
      assert.deepEqual([...out], [9, 8, 7, 19, 18, 17]);
    });
  });
}

const wasm = wasmBackend();
describe(
  'wasm kernels agree with the reference kernels',
  { skip: wasm === null ? 'no WebAssembly SIMD here' : false },
  () => {
    const shapes = [
      { n: 3, c: 1, h: 28, w: 28, oc: 10, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0 },
      { n: 2, c: 3, h: 9, w: 7, oc: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 1, c: 7, h: 11, w: 13, oc: 9, kh: 3, kw: 2, sh: 2, sw: 3, ph: 1, pw: 0 },
      { n: 2, c: 6, h: 14, w: 14, oc: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      // Input gradient added straight into dx: taps of a non-square kernel, rows of W^T not a multiple of 4.
      { n: 2, c: 3, h: 12, w: 13, oc: 6, kh: 5, kw: 6, sh: 1, sw: 1, ph: 0, pw: 0 },
      // Weight gradient without columns: blocks of 6, 6 and 1 samples, a lone last output channel.
      { n: 13, c: 1, h: 28, w: 28, oc: 7, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0 },
      // The same with padding: each block of samples is padded first.
      { n: 3, c: 2, h: 8, w: 12, oc: 5, kh: 3, kw: 5, sh: 1, sw: 1, ph: 1, pw: 2 },
      // Winograd: tile rows of 5 and 15 tiles (ragged 4-tile groups), a single tile row, 7 output channels.
      { n: 2, c: 5, h: 6, w: 10, oc: 7, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 1, c: 16, h: 2, w: 30, oc: 10, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      // Odd sides padded to even: the last tile row and column half outside the image.
      { n: 3, c: 32, h: 7, w: 7, oc: 12, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 2, c: 4, h: 5, w: 10, oc: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 2, c: 6, h: 1, w: 9, oc: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      // Weights large enough that both threads pack them.
      { n: 2, c: 64, h: 5, w: 6, oc: 66, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      // F(4x4, 3x3): 14 x 14 and 28 x 28 (ragged 4-tile groups), sides not multiples of 4, 10 output channels.
      { n: 2, c: 16, h: 14, w: 14, oc: 32, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 2, c: 8, h: 28, w: 28, oc: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 3, c: 5, h: 13, w: 11, oc: 10, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
      { n: 2, c: 40, h: 12, w: 16, oc: 9, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 },
    ];
    for (const s of shapes) {
      const g = {
        ...s,
        oh: Math.floor((s.h + 2 * s.ph - s.kh) / s.sh) + 1,
        ow: Math.floor((s.w + 2 * s.pw - s.kw) / s.sw) + 1,
      };
      const x = randArray(g.n * g.c * g.h * g.w);
      const w = randArray(g.oc * g.c * g.kh * g.kw);
      const b = randArray(g.oc);
      const dy = randArray(g.n * g.oc * g.oh * g.ow);
      const label = `${g.n}x${g.c}x${g.h}x${g.w} * ${g.oc}x${g.kh}x${g.kw} stride ${g.sh},${g.sw} pad ${g.ph},${g.pw}`;
      const both = (f: (be: Backend) => Float32Array) => [f(referenceBackend), f(wasm!)];

      it(`conv2d forward ${label}`, () => {
        const [r, v] = both((be) => {
          const out = new Float32Array(dy.length);
          be.conv2dForward(x, w, b, out, g);
          return out;
        });
        assertClose(v, r, 1e-4, 1e-5);
      });

      it(`conv2d input gradient ${label}`, () => {
        const [r, v] = both((be) => {
          const dx = new Float32Array(x.length).fill(7);
          be.conv2dBackwardInput(dy, w, dx, g);
          return dx;
        });
        assertClose(v, r, 1e-4, 1e-5);
      });

      it(`conv2d weight and bias gradients ${label}`, () => {
        const [r, v] = both((be) => {
          const dw = new Float32Array(w.length).fill(7);
          const db = new Float32Array(g.oc).fill(7);
          be.conv2dBackwardWeight(x, dy, dw, db, g);
          return Float32Array.from([...dw, ...db]);
        });
        assertClose(v, r, 1e-4, 1e-5);
      });
    }

    it('falls back to the reference for float64', () => {
      const a = Float64Array.from([1, 2, 3, 4]);
      const out = new Float64Array(4);
      wasm!.matmul(a, a, out, 2, 2, 2, false, false, false);
      assert.deepEqual([...out], [7, 10, 15, 22]);
    });
  },
);

describe(
  'max pooling kernels agree, NaN and ties included',
  { skip: wasm === null ? 'no WebAssembly SIMD here' : false },
  () => {
    for (const [kh, sh, ph, h, w] of [
      [2, 2, 0, 9, 14],
      [2, 2, 0, 24, 24],
      [3, 2, 1, 7, 8],
      [2, 1, 0, 5, 5],
    ]) {
      it(`kernel ${kh} stride ${sh} padding ${ph} on ${h}x${w}`, () => {
        const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
        const ow = Math.floor((w + 2 * ph - kh) / sh) + 1;
        const g = { n: 2, c: 3, h, w, oc: 3, kh, kw: kh, sh, sw: sh, ph, pw: ph, oh, ow };
        // Coarse values make ties common; NaNs, some in one window, test that the last NaN wins.
        const x = Float32Array.from({ length: 2 * 3 * h * w }, () => Math.round(g2.uniform24() * 4));
        x[5] = NaN;
        x[w + 7] = NaN;
        x[w + 6] = NaN;
        x[2 * w + 4] = NaN;
        const run = (be: Backend) => {
          const out = new Float32Array(2 * 3 * oh * ow);
          const am = new Int32Array(out.length);
          be.maxPool2dForward(x, out, am, g);
          const dx = new Float32Array(x.length);
          be.maxPool2dBackward(
            Float32Array.from(out, (_, i) => i + 1),
            am,
            dx,
            g,
          );
          return [Array.from(out), Array.from(am), Array.from(dx)];
        };
        assert.deepEqual(run(wasm!), run(referenceBackend));
      });
    }
  },
);

describe(
  'wasm kernels on WebAssembly-resident arrays agree with the reference',
  { skip: wasm === null ? 'no WebAssembly SIMD here' : false },
  () => {
    const kernels = () =>
      activeWasmKernels() ??
      (() => {
        throw new Error('wasm backend not active');
      })();
    /** A copy of `a` placed in WebAssembly memory, where the wasm backend runs its own kernels. */
    const resident = (a: Float32Array) => {
      const k = kernels();
      const view = k.f32(k.alloc(a.length), a.length);
      view.set(a);
      return view;
    };
    const rows = 7;
    const size = 10;
    const x = randArray(rows * size).map((v) => v * 5);
    const dy = randArray(rows * size);
    const target = Float64Array.from({ length: rows }, (_, i) => (i * 3) % size);

    for (const log of [false, true]) {
      it(`${log ? 'log-' : ''}softmax forward and backward`, () => {
        const mark = kernels().mark();
        const [yr, yw] = [new Float32Array(x.length), resident(new Float32Array(x.length))];
        referenceBackend.softmax(x, yr, rows, size, 1, log);
        wasm!.softmax(resident(x), yw, rows, size, 1, log);
        assertClose(yw, yr, 1e-6, 1e-7);
        const [dr, dw] = [new Float32Array(x.length), resident(new Float32Array(x.length))];
        referenceBackend.softmaxBackward(dy, yr, dr, rows, size, 1, log);
        wasm!.softmaxBackward(resident(dy), resident(yr), dw, rows, size, 1, log);
        assertClose(dw, dr, 1e-6, 1e-7);
        kernels().release(mark);
      });
    }

    it('nll loss forward and backward, plain, with class weights and with an ignored class', () => {
      const mark = kernels().mark();
      const weight = Float32Array.from({ length: size }, (_, i) => 0.5 + i / 4);
      const ignoring = Float64Array.from(target, (t, i) => (i % 3 === 1 ? -100 : t));
      const cases: [Float64Array, Float32Array | null, number][] = [
        [Float64Array.from(target), null, -100],
        [Float64Array.from(target), weight, -100],
        [ignoring, null, -100],
        [Float64Array.from(target), null, target[0]],
      ];
      for (const [t, w, ignore] of cases) {
        const [lr, lw] = [new Float32Array(rows), resident(new Float32Array(rows))];
        const [wr, ww] = [new Float32Array(rows), resident(new Float32Array(rows))];
        referenceBackend.nllLoss(x, t, lr, rows, size, w, ignore, wr);
        wasm!.nllLoss(resident(x), t, lw, rows, size, w, ignore, ww);
        assert.deepEqual([...lw], [...lr]);
        assert.deepEqual([...ww], [...wr]);
        const [gr, gw] = [new Float32Array(x.length), resident(new Float32Array(x.length).fill(3))];
        referenceBackend.nllLossBackward(lr, t, gr, rows, size, w, ignore);
        wasm!.nllLossBackward(resident(lr), t, gw, rows, size, w, ignore);
        assert.deepEqual([...gw], [...gr]);
      }
      assert.throws(
        () =>
          wasm!.nllLoss(
            resident(x),
            Float64Array.of(0, 0, 0, 0, 0, 0, 12),
            resident(new Float32Array(rows)),
            rows,
            size,
            null,
            -100,
            resident(new Float32Array(rows)),
          ),
        /Target 12 is out of bounds/,
      );
      kernels().release(mark);
    });

    for (const op of ['add', 'sub', 'mul', 'div', 'reluGrad'] as const) {
      it(`binary ${op}: elementwise, by a scalar, by a factor per row, and broadcast the other way`, () => {
        const mark = kernels().mark();
        const cases: [Float32Array, number[]][] = [
          [dy, [rows, size]],
          [Float32Array.of(0.75), []],
          [dy.slice(0, rows), [rows, 1]],
          [dy.slice(0, size), [size]],
        ];
        for (const [b, bShape] of cases) {
          const [r, w] = [new Float32Array(x.length), resident(new Float32Array(x.length))];
          referenceBackend.binary(op, x, [rows, size], b, bShape, r, [rows, size]);
          wasm!.binary(op, resident(x), [rows, size], b, bShape, w, [rows, size]);
          assert.deepEqual([...w], [...r], `b of shape [${bShape}]`);
        }
        kernels().release(mark);
      });
    }

    it('relu and its gradient, NaN kept as PyTorch keeps it', () => {
      const mark = kernels().mark();
      const [r, w] = [new Float32Array(x.length), resident(new Float32Array(x.length))];
      referenceBackend.unary('relu', x, r);
      wasm!.unary('relu', resident(x), w);
      assert.deepEqual([...w], [...r]);
      const edge = Float32Array.of(NaN, -1, 0, -0, 2, NaN, -3, 4, 0.5);
      const [er, ew] = [new Float32Array(edge.length), resident(new Float32Array(edge.length))];
      referenceBackend.unary('relu', edge, er);
      wasm!.unary('relu', resident(edge), ew);
      assert.deepEqual([...ew], [NaN, 0, 0, 0, 2, NaN, 0, 4, 0.5]);
      assert.deepEqual([...er], [...ew]);
      const ones = new Float32Array(edge.length).fill(1);
      const [gr, gw] = [new Float32Array(edge.length), resident(new Float32Array(edge.length))];
      referenceBackend.binary('reluGrad', ones, [edge.length], ew, [edge.length], gr, [edge.length]);
      wasm!.binary('reluGrad', resident(ones), [edge.length], resident(ew), [edge.length], gw, [edge.length]);
      assert.deepEqual([...gw], [1, 0, 0, 0, 1, 1, 0, 1, 1]);
      assert.deepEqual([...gr], [...gw]);
      kernels().release(mark);
    });

    it('relu, elementwise ops and max pooling past the size where they split between threads', () => {
      const mark = kernels().mark();
      // 40,001 elements: halves of 20,000 and 20,001, neither a whole number of four-lane vectors.
      const n = 40_001;
      const a = randArray(n);
      const b = randArray(n);
      for (const [op, bArr, bShape] of [
        ['mul', b, [n]],
        ['sub', Float32Array.of(0.25), []],
        ['reluGrad', b, [n]],
      ] as const) {
        const [r, w] = [new Float32Array(n), resident(new Float32Array(n))];
        referenceBackend.binary(op, a, [n], bArr, bShape, r, [n]);
        wasm!.binary(op, resident(a), [n], resident(bArr), bShape, w, [n]);
        assert.deepEqual([...w], [...r], op);
      }
      const [r, w] = [new Float32Array(n), resident(new Float32Array(n))];
      referenceBackend.unary('relu', a, r);
      wasm!.unary('relu', resident(a), w);
      assert.deepEqual([...w], [...r], 'relu');
      // 2 x 9 planes of 45 x 43: an odd number of planes, and the 2x2 windows leave a row and column out.
      const g = { n: 2, c: 9, h: 45, w: 43, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, oh: 22, ow: 21, oc: 9 };
      const x = randArray(g.n * g.c * g.h * g.w);
      const outs = g.n * g.c * g.oh * g.ow;
      const [ro, ra] = [new Float32Array(outs), new Int32Array(outs)];
      const [wo, wa] = [resident(new Float32Array(outs)), new Int32Array(outs)];
      referenceBackend.maxPool2dForward(x, ro, ra, g);
      wasm!.maxPool2dForward(resident(x), wo, wa, g);
      assert.deepEqual([...wo], [...ro], 'max pooling values');
      assert.deepEqual([...wa], [...ra], 'max pooling indices');
      const dy = randArray(outs);
      const [rdx, wdx] = [new Float32Array(x.length), resident(new Float32Array(x.length))];
      referenceBackend.maxPool2dBackward(dy, ra, rdx, g);
      wasm!.maxPool2dBackward(resident(dy), wa, wdx, g);
      assert.deepEqual([...wdx], [...rdx], 'max pooling gradient');
      kernels().release(mark);
    });

    // [3, 5, 7]: a remainder in every four-lane loop; [16, 8, 300] crosses the size where the channels split between threads.
    for (const [n, c, hw] of [
      [3, 5, 7],
      [16, 8, 300],
      [2, 1, 4],
    ]) {
      it(`batch norm statistics, forward and backward on [${n}, ${c}, ${hw}], training and evaluation`, () => {
        const mark = kernels().mark();
        const len = n * c * hw;
        const bx = randArray(len).map((v, i) => v * 3 + (i % 5));
        const bdy = randArray(len);
        const weight = randArray(c);
        const bias = randArray(c);
        const run = (be: Backend, put: (a: Float32Array) => Float32Array) => {
          const mean = put(new Float32Array(c));
          const invstd = put(new Float32Array(c));
          const runMean = put(new Float32Array(c).fill(0.25));
          const runVar = put(new Float32Array(c).fill(2));
          be.batchNormStats(put(bx), mean, invstd, runMean, runVar, null, n, c, hw, 1e-5, 0.1);
          const results: number[][] = [mean, invstd, runMean, runVar].map((a) => [...a]);
          for (const fromVar of [false, true]) {
            const [m, stat] = fromVar ? [runMean, runVar] : [mean, invstd];
            for (const w of [put(weight), null]) {
              const out = put(new Float32Array(len));
              be.batchNormApply(put(bx), m, stat, w, w && put(bias), out, n, c, hw, 1e-5, fromVar);
              const [dx, dw, db] = [put(new Float32Array(len)), put(new Float32Array(c)), put(new Float32Array(c))];
              be.batchNormBackward(put(bx), put(bdy), m, stat, w, dx, dw, db, n, c, hw, 1e-5, fromVar);
              results.push([...out], [...dx], [...dw], [...db]);
            }
          }
          return results;
        };
        const expected = run(referenceBackend, (a) => Float32Array.from(a));
        const actual = run(wasm!, resident);
        actual.forEach((a, i) => assertClose(a, expected[i], 2e-5, 2e-5, `result ${i}`));
        kernels().release(mark);
      });
    }

    it('an allocation past the 1 GiB memory says so, names the fix, and leaves the allocator as it was', () => {
      const k = kernels();
      const mark = k.mark();
      assert.throws(
        () => k.alloc(300_000_000),
        /WebAssembly memory is full: .* past its 1024 MiB limit; run smaller batches/,
      );
      assert.equal(k.mark(), mark);
      const view = k.f32(k.alloc(4), 4);
      view.set([1, 2, 3, 4]);
      assert.deepEqual([...view], [1, 2, 3, 4]);
      k.release(mark);
    });

    it('SGD and Adam updates, every option', () => {
      const mark = kernels().mark();
      const sgds = [
        { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.01 },
        { lr: 0.1, momentum: 0.5, dampening: 0, nesterov: true, weightDecay: 0 },
        { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
      ];
      for (const sgd of sgds) {
        for (const first of [true, false]) {
          const [pr, br] = [x.slice(), dy.slice()];
          const [pw, bw] = [resident(x), resident(dy)];
          referenceBackend.sgdStep(pr, dy, sgd.momentum ? br : null, first, sgd);
          wasm!.sgdStep(pw, resident(dy), sgd.momentum ? bw : null, first, sgd);
          assert.deepEqual([...pw], [...pr]);
          assert.deepEqual([...bw], [...br]);
        }
      }
      for (const [decoupled, amsgrad] of [
        [false, false],
        [false, true],
        [true, false],
        [true, true],
      ]) {
        const h = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled, step: 3 };
        const state = () =>
          [x.slice(), dy.map(Math.abs), dy.map((v) => v * v), amsgrad ? dy.map((v) => v * v * 2) : null] as const;
        const [pr, mr, vr, xr] = state();
        const [p0, m0, v0, x0] = state();
        const [pw, mw, vw, xw] = [resident(p0), resident(m0), resident(v0), x0 && resident(x0)];
        referenceBackend.adamStep(pr, dy, mr, vr, xr, h);
        wasm!.adamStep(pw, resident(dy), mw, vw, xw, h);
        assertClose(pw, pr, 1e-6, 1e-8);
        assert.deepEqual([...mw], [...mr]);
        assert.deepEqual([...vw], [...vr]);
      }
      kernels().release(mark);
    });
  },
);

describe('gathering uint8 rows through a lookup table', () => {
  const table = Float32Array.from({ length: 256 }, (_, i) => i / 2 - 3);
  for (const [rowSize, offset] of [
    [8, 0],
    [8, 1],
    [5, 0],
  ]) {
    it(`rows of ${rowSize} bytes at byte offset ${offset}`, () => {
      const bytes = Uint8Array.from({ length: 10 * rowSize + offset }, (_, i) => (i * 37) & 255).subarray(offset);
      const index = Float64Array.of(3, 0, 9, 3);
      const out = new Float32Array(index.length * rowSize);
      referenceBackend.gatherLookup(bytes, rowSize, index, table, out);
      const expected = Array.from(index).flatMap((r) =>
        Array.from(bytes.subarray(r * rowSize, (r + 1) * rowSize), (b) => table[b]),
      );
      assert.deepEqual([...out], expected);
      assert.throws(
        () => referenceBackend.gatherLookup(bytes, rowSize, Float64Array.of(10), table, out),
        /index 10 is out of bounds/,
      );
    });
  }
});

describe('the helper thread', () => {
  it('one that cannot start makes a job throw, naming it, instead of waiting forever', () => {
    // A module importing env.missing: instantiating it on the helper fails with a LinkError.
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x0f, 0x01, 0x03, 0x65,
      0x6e, 0x76, 0x07, 0x6d, 0x69, 0x73, 0x73, 0x69, 0x6e, 0x67, 0x00, 0x00,
    ]);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const helper = Helper.create(new WebAssembly.Module(bytes), memory);
    if (!helper) return;
    let ownRan = false;
    assert.throws(
      () =>
        helper.run('convForwardRange', [], () => {
          ownRan = true;
        }),
      /the helper thread cannot run convForwardRange: it could not start .*; TORCHLIT_THREADS=1 runs everything on this thread/,
    );
    assert.ok(ownRan);
  });
});
