// Net's compiled training step in headless Chromium against Node.js, in one run: a cross-origin
// isolated page (two threads), the same page training in a worker of its own (an esbuild bundle), a
// page without the headers (one thread), and Node (two threads).
// Prints one JSON line: medians of samples per second and the ratios. usage: node dist/bench/browser.js [steps=200] [runs=3]
import { bundle, chromiumMissing, launch, pageResult, repo, serve } from '../test/helpers/chromium.js';
import * as torchlit from '../src/index.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const steps = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 3);
const missing = chromiumMissing();
if (missing) throw new Error(missing);

type TrainNet = (t: typeof torchlit, steps: number) => { samplesPerS: number };
const { trainNet } = (await import(pathToFileURL(join(repo, 'test', 'browser', 'train_net.js')).href)) as {
  trainNet: TrainNet;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const plainBundle = await bundle(false);
const browser = await launch();
const servers = { isolated: await serve(true), plain: await serve(false) };
const rates = { node: [] as number[], isolated: [] as number[], worker: [] as number[], plain: [] as number[] };
const pages = {
  isolated: ['isolated', 'train_net.html?'],
  worker: ['isolated', `train_net_worker.html?src=${plainBundle}&`],
  plain: ['plain', 'train_net.html?'],
} as const;
try {
  for (let r = 0; r < runs; r++) {
    rates.node.push(trainNet(torchlit, steps).samplesPerS);
    for (const kind of ['isolated', 'worker', 'plain'] as const) {
      const [server, path] = pages[kind];
      const page = await browser.newPage();
      const result = await pageResult(page, `${servers[server].url}/test/browser/${path}steps=${steps}`, 300_000);
      if (result.error) throw new Error(result.error as string);
      rates[kind].push(result.samplesPerS as number);
      await page.close();
    }
  }
} finally {
  await browser.close();
  servers.isolated.close();
  servers.plain.close();
}
const [node, isolated, worker, plain] = [rates.node, rates.isolated, rates.worker, rates.plain].map(median);
console.log(
  JSON.stringify({
    model: 'net',
    batch: 64,
    steps,
    runs,
    node_samples_per_s: Math.round(node),
    isolated_page_samples_per_s: Math.round(isolated),
    isolated_worker_samples_per_s: Math.round(worker),
    plain_page_samples_per_s: Math.round(plain),
    isolated_ratio: +(isolated / node).toFixed(2),
    worker_ratio: +(worker / node).toFixed(2),
    plain_ratio: +(plain / node).toFixed(2),
    isolated_bar: 0.9,
    plain_bar: 0.5,
  }),
);
