// The dashboard in headless Chromium: `torchlit train --dashboard` shows the loss falling while
// the run trains and its results once done; `torchlit dashboard DIR` shows every run of a folder
// side by side, one of them from before live.jsonl. Screenshots go to
// dist/browser-test/screenshots/dashboard-*.png.
import assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing, launch, repo } from '../helpers/chromium.js';
import { startTorchlit, torchlit } from '../helpers/cli.js';
import { tempDir } from '../helpers/data.js';
import { statusOf } from '../helpers/http.js';

interface RunView {
  name: string;
  status: string;
  losses: number[];
  tests: number[];
  accuracy: number | null;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(repo, 'dist', 'browser-test', 'screenshots', `dashboard-${name}.png`), fullPage: true });
const views = (page: Page) =>
  page.evaluate(() => (window as unknown as { dashboard: { runs(): RunView[] } }).dashboard.runs());
type WithDashboard = { dashboard?: { runs(): RunView[] } };
/** Waits until the page's runs are `count`, each with `status` and at least `losses` logged losses. */
const waitFor = (page: Page, want: { count: number; status: string; losses: number }, timeout = 120_000) =>
  page.waitForFunction(
    ({ count, status, losses }) => {
      const runs = (window as unknown as WithDashboard).dashboard?.runs() ?? [];
      return runs.length === count && runs.every((r) => r.status === status && r.losses.length >= losses);
    },
    want,
    { timeout, polling: 100 },
  );

/** Starts `torchlit ARGS` and resolves to the dashboard URL it prints. */
function startWithUrl(cwd: string, ...args: string[]) {
  const child = startTorchlit(cwd, ...args);
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => reject(new Error(`torchlit exited (${code}) before serving: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('the dashboard', { skip: chromiumMissing() }, () => {
  it('follows a run while it trains, then shows a folder of runs side by side', { timeout: 300_000 }, async (t) => {
    const dir = tempDir('dashboard-page-');
    const browser = await launch();
    const children: { kill(): void }[] = [];
    t.after(async () => {
      for (const c of children) c.kill();
      await browser.close();
    });
    const errors: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));

    const run = join(dir, 'runs', 'net');
    const training = startWithUrl(
      dir,
      'train',
      '--model',
      'net',
      '--epochs',
      '2',
      '--log-interval',
      '10',
      '--out',
      run,
      '--dashboard',
      '--port',
      '0',
    );
    children.push(training.child);
    const url = await training.url;
    for (const path of [
      '/runs/../config.json',
      '/runs/net/..%2f..%2f..%2fpackage.json',
      '/runs/%2e%2e/net/config.json',
    ])
      assert.equal(await statusOf(url, path), 404, path);
    await page.goto(url);
    await waitFor(page, { count: 1, status: 'training', losses: 5 });
    const early = (await views(page))[0];
    await shot(page, 'training');
    await waitFor(page, { count: 1, status: 'training', losses: early.losses.length + 20 });
    const later = (await views(page))[0];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    t.diagnostic(
      `while training: ${early.losses.length} then ${later.losses.length} logged losses; first ${early.losses[0].toFixed(3)}, last ${later.losses.at(-1)!.toFixed(3)}`,
    );
    assert.ok(
      mean(later.losses.slice(-5)) < mean(early.losses.slice(0, 5)) / 2,
      `the loss falls in the page while the run trains: ${early.losses.slice(0, 5)} -> ${later.losses.slice(-5)}`,
    );
    assert.ok((await page.locator('[data-run="net"] .chart[data-chart=loss] polyline').count()) === 1);
    await shot(page, 'training-later');
    await waitFor(page, { count: 1, status: 'finished', losses: 1 }, 240_000);
    await page.waitForFunction(() => document.querySelectorAll('[data-run="net"] .pictures img').length >= 3);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-run="net"] .pictures img')).every(
        (i) => (i as HTMLImageElement).naturalWidth > 0,
      ),
    );
    const done = (await views(page))[0];
    t.diagnostic(`finished: ${done.accuracy}% test accuracy, tests ${done.tests.join(', ')}`);
    assert.ok(done.accuracy! > 90, `accuracy ${done.accuracy}`);
    assert.equal(done.tests.length, 3, 'the test before training and after each epoch');
    assert.match((await page.textContent('[data-run="net"] [data-figure=accuracy]')) ?? '', /^\d\d\.\d\d%$/);
    await shot(page, 'finished');
    assert.match(training.output(), /the dashboard stays at/);
    training.child.kill();

    // A second, quicker run and a copy of the first without live.jsonl (as runs were before it).
    const quick = torchlit(
      dir,
      'train',
      '--model',
      'mlp',
      '--epochs',
      '1',
      '--train-size',
      '6000',
      '--out',
      join(dir, 'runs', 'mlp'),
    );
    assert.equal(quick.code, 0, quick.stderr);
    cpSync(run, join(dir, 'runs', 'net-old'), { recursive: true });
    rmSync(join(dir, 'runs', 'net-old', 'live.jsonl'));
    rmSync(join(dir, 'runs', 'net-old', '.lock'), { force: true });
    const folder = startWithUrl(dir, 'dashboard', 'runs', '--port', '0');
    children.push(folder.child);
    await page.goto(await folder.url);
    await waitFor(page, { count: 3, status: 'finished', losses: 1 });
    const all = await views(page);
    assert.deepEqual(
      all.map((r) => r.name),
      ['mlp', 'net', 'net-old'],
    );
    assert.equal(all[2].accuracy, all[1].accuracy, 'the old run reads the same accuracy from metrics.json');
    assert.deepEqual(all[2].losses, all[1].losses, '… and the same losses from history.json');
    assert.equal(await page.locator('#summary tbody tr').count(), 3);
    await shot(page, 'folder');
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'no horizontal scrolling on a phone',
    );
    await shot(page, 'phone');
    assert.deepEqual(errors, []);
  });
});
