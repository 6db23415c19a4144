import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../../', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** Serves the repository with the headers that make a page cross-origin isolated (shared memory). */
async function serve(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const path = normalize(join(repo, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(repo) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe(
  'in a browser',
  { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)` },
  () => {
    it(
      'headless Chromium runs the tutorial Net forward pass on the WebAssembly kernels and matches PyTorch',
      { timeout: 60_000 },
      async () => {
        const { chromium } = await import('playwright-core');
        const server = await serve();
        const browser = await chromium.launch({
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
        try {
          const page = await browser.newPage();
          await page.goto(`${server.url}/test/browser/net_forward.html`);
          await page.waitForFunction(
            () => (window as unknown as { result?: unknown }).result !== undefined,
            undefined,
            { timeout: 30_000 },
          );
          const result = await page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
          assert.equal(result.error, undefined, String(result.error));
          assert.equal(result.crossOriginIsolated, true);
          assert.equal(result.backend, 'wasm');
          assert.equal(result.printed, 'Net(');
          assert.ok((result.maxError as number) < 1e-4, `max relative error ${String(result.maxError)}`);
        } finally {
          await browser.close();
          server.close();
        }
      },
    );
  },
);
