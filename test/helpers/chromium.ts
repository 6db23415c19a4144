// Headless Chromium over a local server of the repository, for the browser tests and bench.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const repo = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** Why the browser tests cannot run here, or false. */
export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`;
}

/**
 * Serves the repository on loopback; `isolated` adds the two headers that make a page cross-origin
 * isolated (shared memory and a second thread).
 */
export async function serve(isolated: boolean): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const path = normalize(join(repo, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(repo.endsWith(sep) ? repo : repo + sep) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens `path` and waits for the page to leave its outcome in `window.result`. */
export async function pageResult(page: Page, url: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, {
    timeout: timeoutMs,
  });
  return page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
}

/**
 * Bundles the browser entry with esbuild as a user would, into `dist/browser-test/<name>/`: the
 * entry as `torchlit.js` and its two workers beside it, `web_worker.js` (the helper thread) and
 * `train_worker.js` (trainInWorker), where the entry's `new URL('./…', import.meta.url)` finds them.
 * Returns the entry's URL path.
 */
/** Copies the kernels' two .wasm files into `dir`, beside a bundle (esbuild does not emit them as Vite and webpack do). */
export function copyKernelFiles(dir: string): void {
  for (const f of ['kernels.wasm', 'kernels-relaxed.wasm'])
    copyFileSync(join(repo, 'dist', 'src', 'backend', 'wasm', f), join(dir, f));
}

export async function bundle(minify: boolean): Promise<string> {
  const { build } = await import('esbuild');
  const name = minify ? 'min' : 'plain';
  await build({
    entryPoints: {
      torchlit: join(repo, 'dist', 'src', 'browser.js'),
      web_worker: join(repo, 'dist', 'src', 'backend', 'wasm', 'web_worker.js'),
      train_worker: join(repo, 'dist', 'src', 'run', 'train_worker.js'),
    },
    outdir: join(repo, 'dist', 'browser-test', name),
    bundle: true,
    minify,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  copyKernelFiles(join(repo, 'dist', 'browser-test', name));
  return `/dist/browser-test/${name}/torchlit.js`;
}
