// Net's compiled training step in headless Chromium against Node.js, in one run: a cross-origin
// isolated page (two threads), the same page training in a worker of its own (an esbuild bundle), a
// page without the headers (one thread), and Node (two threads). Each trains one MNIST epoch's
// steps (938 at batch 64) on a fixed batch; the rate over all of them is the bar's, the first 200
// (the JIT compilers warming up, a page's slower than Node's) and the last quarter are shown too.
// Prints one JSON line: medians of samples per second and the ratios.
// usage: node dist/bench/browser.js [steps=938] [runs=3]
import { bundle, chromiumMissing, launch, pageResult, repo, serve } from '../test/helpers/chromium.js';
import * as torchlit from '../src/index.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const steps = Number(process.argv[2] ?? 938);
const runs = Number(process.argv[3] ?? 3);
const missing = chromiumMissing();
if (missing) throw new Error(missing);

interface Rates {
  samplesPerS: number;
  firstSamplesPerS: number;
  settledSamplesPerS: number;
}
type TrainNet = (t: typeof torchlit, steps: number) => Rates;
const { trainNet } = (await import(pathToFileURL(join(repo, 'test', 'browser', 'train_net.js')).href)) as {
  trainNet: TrainNet;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const plainBundle = await bundle(false);
const browser = await launch();
const servers = { isolated: await serve(true), plain: await serve(false) };
const kinds = ['node', 'isolated', 'worker', 'plain'] as const;
const rates = Object.fromEntries(kinds.map((k) => [k, [] as Rates[]])) as Record<(typeof kinds)[number], Rates[]>;
const pages = {
  isolated: ['isolated', 'train_net.html?'],
  worker: ['isolated', `train_net_worker.html?src=${plainBundle}&`],
  plain: ['plain', 'train_net.html?'],
} as const;
try {
  for (let r = 0; r < runs; r++) {
    rates.node.push(trainNet(torchlit, steps));
    for (const kind of ['isolated', 'worker', 'plain'] as const) {
      const [server, path] = pages[kind];
      const page = await browser.newPage();
      const result = await pageResult(page, `${servers[server].url}/test/browser/${path}steps=${steps}`, 300_000);
      if (result.error) throw new Error(result.error as string);
      rates[kind].push(result as unknown as Rates);
      await page.close();
    }
  }
} finally {
  await browser.close();
  servers.isolated.close();
  servers.plain.close();
}
const line: Record<string, number> = { steps, runs };
for (const kind of kinds)
  for (const [key, name] of [
    ['samplesPerS', ''],
    ['firstSamplesPerS', '_first200'],
    ['settledSamplesPerS', '_settled'],
  ] as const) {
    line[`${kind}${name}_samples_per_s`] = Math.round(median(rates[kind].map((r) => r[key])));
    if (kind !== 'node')
      line[`${kind}${name}_ratio`] = +(
        line[`${kind}${name}_samples_per_s`] / line[`node${name}_samples_per_s`]
      ).toFixed(2);
  }
console.log(JSON.stringify({ model: 'net', batch: 64, ...line, isolated_bar: 0.9, plain_bar: 0.5 }));
