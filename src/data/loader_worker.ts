// A DataLoader worker thread: gathers the batches the main thread describes (indices, each
// sample's row and column maps, the per-channel table) from the dataset's shared pixels.
import { workerData } from 'node:worker_threads';
import type { AxisMaps } from './index_maps.js';
import { gatherBatch } from './batch_plan.js';
import type { BatchJob, WorkerSetup } from './loader_workers.js';

const { pixels, shape, port, signal } = workerData as WorkerSetup;
const src = new Uint8Array(pixels);
const counter = new Int32Array(signal);

function run(job: BatchJob): Float32Array | Uint8Array {
  const [oh, ow] = job.outSize;
  const maps: AxisMaps[] = Array.from({ length: job.indices.length }, (_, b) => ({
    rows: job.rows.subarray(b * oh, (b + 1) * oh),
    cols: job.cols.subarray(b * ow, (b + 1) * ow),
    fill: job.fillLevel,
  }));
  const size = job.indices.length * shape[0] * oh * ow;
  const out = job.lut ? new Float32Array(size) : new Uint8Array(size);
  gatherBatch(src, shape, job.indices, maps, job.lut, job.fillLevel, out);
  return out;
}

port.on('message', (job: BatchJob) => {
  try {
    const out = run(job);
    port.postMessage({ id: job.id, out }, [out.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: job.id, error: (e as Error).message });
  }
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});
