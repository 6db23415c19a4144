// A DataLoader worker thread. Batches of the one-pass kind come with each sample's row and column
// maps and the per-channel table, drawn on the main thread; batches of any other torchlit
// transform are read and transformed here, drawing from the generator state the previous batch
// hands on, so the draws follow each other exactly as on one thread.
import { workerData } from 'node:worker_threads';
// The tensor methods (sub, div, ...) the transforms call are installed by the core's modules.
import '../autograd/methods.js';
import '../autograd/methods_ops.js';
import { readImage } from '../io/image.js';
import { allocate } from '../tensor/dtype.js';
import { defaultGenerator, type GeneratorState } from '../tensor/generator.js';
import { Tensor } from '../tensor/tensor.js';
import { gatherBatch } from './batch_plan.js';
import type { BatchJob, BatchResult, SampleJob, StopJob } from './loader_protocol.js';
import type { WorkerSetup } from './loader_setup.js';
import type { Transform } from './transform.js';
import { unpackTransform } from './transform_pack.js';

const { pixels, shape, port, signal, dataset, ringIn, ringOut } = workerData as WorkerSetup;
const transform = unpackTransform((workerData as WorkerSetup).transform) as Transform | undefined;
const src = new Uint8Array(pixels);
const counter = new Int32Array(signal);

function gather(job: BatchJob): BatchResult {
  const size = job.indices.length * shape[0] * job.maps.outSize[0] * job.maps.outSize[1];
  const out = job.lut ? new Float32Array(size) : new Uint8Array(size);
  gatherBatch(src, shape, job.indices, job.maps, job.lut, job.fillLevel, out);
  return { id: job.id, out };
}

/** States handed on by the previous batch's worker, by batch id, and who waits for them. */
const states = new Map<number, GeneratorState>();
const waiting = new Map<number, (s: GeneratorState) => void>();
ringIn.on('message', ({ id, state }: { id: number; state: GeneratorState }) => {
  const resolve = waiting.get(id);
  if (resolve) {
    waiting.delete(id);
    resolve(state);
  } else states.set(id, state);
});

function stateFor(job: SampleJob): Promise<GeneratorState> {
  if (job.state) return Promise.resolve(job.state);
  const ready = states.get(job.id);
  if (ready) {
    states.delete(job.id);
    return Promise.resolve(ready);
  }
  return new Promise((resolve) => waiting.set(job.id, resolve));
}

function rawImage(i: number): [Tensor, number] {
  if (dataset!.kind === 'folder') {
    const [path, label] = dataset!.samples[i];
    return [readImage(path, 'rgb'), label];
  }
  const size = shape[0] * shape[1] * shape[2];
  return [new Tensor(src.slice(i * size, (i + 1) * size), shape, 'uint8'), dataset!.labels[i]];
}

/** The batch, stacked as the DataLoader stacks samples. */
function stackImages(images: Tensor[]): {
  out: Float32Array | Float64Array | Uint8Array;
  shape: number[];
  dtype: Tensor['dtype'];
} {
  const first = images[0];
  const out = allocate(first.dtype, images.length * first.numel());
  images.forEach((t, i) => {
    if (t.shape.join() !== first.shape.join())
      throw new RangeError(
        `stack expects each tensor to be equal size, but got [${first.shape.join(', ')}] at entry 0 and [${t.shape.join(', ')}] at entry ${i}`,
      );
    out.set(t.values(), i * first.numel());
  });
  return { out: out, shape: [images.length, ...first.shape], dtype: first.dtype };
}

async function transformSamples(job: SampleJob): Promise<BatchResult> {
  let raw: [Tensor, number][] = [];
  let unreadable: Error | null = null;
  try {
    raw = Array.from(job.indices, rawImage);
  } catch (e) {
    unreadable = e as Error;
  }
  // The state is handed on even when this batch fails, so the next one never waits forever.
  defaultGenerator.setState(await stateFor(job));
  let images: Tensor[];
  try {
    if (unreadable) throw unreadable;
    images = raw.map(([image]) => (transform ? transform.apply(image) : image));
  } finally {
    ringOut.postMessage({ id: job.id + 1, state: defaultGenerator.getState() });
  }
  const labels = Float64Array.from(raw, ([, label]) => label);
  return { id: job.id, ...stackImages(images), labels, state: defaultGenerator.getState() };
}

let queue = Promise.resolve();
port.on('message', (job: BatchJob | SampleJob | StopJob) => {
  // Closing the ports empties the event loop and the thread ends between jobs: a worker
  // terminated in the middle of a synchronous zlib call (a PNG decode) can abort Node itself.
  if (job.kind === 'stop') {
    queue = queue.then(() => {
      port.close();
      ringIn.close();
      ringOut.close();
    });
    return;
  }
  queue = queue.then(async () => {
    let result: BatchResult;
    try {
      result = job.kind === 'maps' ? gather(job) : await transformSamples(job);
    } catch (e) {
      result = { id: job.id, error: (e as Error).message };
    }
    port.postMessage(result, result.out ? [result.out.buffer as ArrayBuffer] : []);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
});
