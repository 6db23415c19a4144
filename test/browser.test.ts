import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import { chromiumMissing, launch, minifiedBundle, pageResult, repo, serve } from './helpers/chromium.js';

const STEPS = 40;

/** The losses of the pages' training run in Node.js on `threads` threads. */
function nodeLosses(threads: 1 | 2): number[] {
  const url = (path: string) => JSON.stringify(pathToFileURL(join(repo, path)).href);
  const script =
    `const t = await import(${url('dist/src/index.js')}); const { trainNet } = await import(${url('test/browser/train_net.js')});` +
    `console.log(JSON.stringify(trainNet(t, ${STEPS}).losses));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TORCHLIT_THREADS: String(threads) },
    encoding: 'utf8',
  });
  return JSON.parse(out) as number[];
}

const NOT_ISOLATED_WARNING =
  /not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/;

/** Opens `page` on a server with or without the isolation headers and returns its window.result. */
async function run(isolated: boolean, page: string, t: TestContext): Promise<Record<string, unknown>> {
  const server = await serve(isolated);
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const result = await pageResult(await browser.newPage(), `${server.url}${page}`);
  assert.equal(result.error, undefined, String(result.error));
  return result;
}

/**
 * What every training page must show: WebAssembly kernels, Node's losses bit for bit on as many
 * threads, PyTorch's names, state dicts that survive IndexedDB and structured clone.
 */
function assertTrained(result: Record<string, unknown>): void {
  assert.equal(result.backend, 'wasm');
  assert.equal(result.reason, null, 'the step compiled');
  const losses = result.losses as number[];
  assert.ok(losses.at(-1)! < losses[0] - 0.1, `loss fell from ${losses[0]} to ${losses.at(-1)}`);
  assert.deepEqual(losses, nodeLosses(result.threads as 1 | 2));
  assert.equal(result.printed, 'Net(\n  (conv1): Conv2d(1, 10, kernel_size=(5, 5), stride=(1, 1))');
  assert.equal(result.restoredOutputsEqual, true, 'a model restored from IndexedDB predicts the same');
  assert.equal(result.momentumIsTensor, true, 'momentum buffers come back from structured clone as Tensors');
  assert.equal(result.sameMomentum, true);
}

describe('in a browser', { skip: chromiumMissing() }, () => {
  it(
    'headless Chromium runs the tutorial Net forward pass on the WebAssembly kernels and matches PyTorch',
    { timeout: 90_000 },
    async (t) => {
      const result = await run(true, '/test/browser/net_forward.html', t);
      assert.equal(result.crossOriginIsolated, true);
      assert.equal(result.backend, 'wasm');
      assert.equal(result.printed, 'Net(');
      assert.ok((result.maxError as number) < 1e-4, `max relative error ${String(result.maxError)}`);
    },
  );

  it(
    'a cross-origin isolated page trains Net on two threads, the helper a Web Worker',
    { timeout: 90_000 },
    async (t) => {
      const result = await run(true, `/test/browser/train_net.html?steps=${STEPS}`, t);
      assert.equal(result.crossOriginIsolated, true);
      assert.equal(result.threads, 2);
      assert.deepEqual(result.warnings, []);
      assertTrained(result);
    },
  );

  it(
    'a page without the two headers trains on WebAssembly SIMD on one thread and says once how to get two',
    { timeout: 90_000 },
    async (t) => {
      const result = await run(false, `/test/browser/train_net.html?steps=${STEPS}`, t);
      assert.equal(result.crossOriginIsolated, false);
      assert.equal(result.threads, 1);
      const warnings = result.warnings as string[];
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0], NOT_ISOLATED_WARNING);
      assertTrained(result);
    },
  );

  it('a minified esbuild bundle prints the layer names PyTorch prints', { timeout: 120_000 }, async (t) => {
    const bundle = await minifiedBundle();
    const result = await run(false, `/test/browser/train_net.html?steps=${STEPS}&src=${bundle}`, t);
    assertTrained(result);
  });
});
