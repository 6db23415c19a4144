// The DataLoader's worker threads. The main thread draws each batch's random maps (so batches and
// generator states equal numWorkers: 0), the workers move the pixels; a sync iterator takes the
// results with Atomics.wait and receiveMessageOnPort, so `for (const b of loader)` stays synchronous.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import {
  provideLoaderWorkers,
  type BatchJob,
  type BatchResult,
  type DatasetDescriptor,
  type LoaderWorkerPool,
  type SampleJob,
  type StopJob,
} from './loader_protocol.js';
import type { WorkerSetup } from './loader_setup.js';

export type { BatchJob, BatchResult, DatasetDescriptor, SampleJob } from './loader_protocol.js';

interface Thread {
  worker: Worker;
  port: MessagePort;
  counter: Int32Array;
}

const shared = new WeakMap<Uint8Array, SharedArrayBuffer>();

/** The pixels in shared memory, copied once per array. */
function sharedCopy(pixels: Uint8Array): SharedArrayBuffer {
  if (
    pixels.buffer instanceof SharedArrayBuffer &&
    pixels.byteOffset === 0 &&
    pixels.length === pixels.buffer.byteLength
  )
    return pixels.buffer;
  let sab = shared.get(pixels);
  if (!sab) {
    sab = new SharedArrayBuffer(pixels.length);
    new Uint8Array(sab).set(pixels);
    shared.set(pixels, sab);
  }
  return sab;
}

/** `count` worker threads over one dataset's pixels. */
export class LoaderWorkers implements LoaderWorkerPool {
  private readonly threads: Thread[];

  constructor(
    count: number,
    pixels: Uint8Array,
    shape: [number, number, number],
    private readonly timeoutMs: number,
    extra: { dataset?: DatasetDescriptor; transform?: unknown } = {},
  ) {
    const sab = sharedCopy(pixels);
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    // ring[k] carries states into worker k from worker k - 1.
    const ring = Array.from({ length: count }, () => new MessageChannel());
    this.threads = Array.from({ length: count }, (_, k) => {
      const { port1, port2 } = new MessageChannel();
      const signal = new SharedArrayBuffer(4);
      const ringIn = ring[k].port2;
      const ringOut = ring[(k + 1) % count].port1;
      const setup: WorkerSetup = { pixels: sab, shape, port: port2, signal, ringIn, ringOut, ...extra };
      const worker = new Worker(new URL('./loader_worker.js', import.meta.url), {
        workerData: setup,
        transferList: [port2, ringIn, ringOut],
        execArgv,
      });
      worker.unref();
      port1.unref();
      return { worker, port: port1, counter: new Int32Array(signal) };
    });
  }

  get count(): number {
    return this.threads.length;
  }

  /** Hands `job` to worker `k`. */
  submit(k: number, job: BatchJob | SampleJob): void {
    const buffers =
      job.kind === 'maps' ? [job.indices.buffer, job.maps.rows.buffer, job.maps.cols.buffer] : [job.indices.buffer];
    this.threads[k].port.postMessage(job, buffers as ArrayBuffer[]);
  }

  /**
   * Blocks until worker `k` answers job `id` (workers answer in the order they were given jobs;
   * answers to jobs of an epoch left early are passed over).
   */
  take(k: number, id: number): BatchResult {
    const t = this.threads[k];
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const seen = Atomics.load(t.counter, 0);
      const msg = receiveMessageOnPort(t.port)?.message as BatchResult | undefined;
      if (msg && msg.id < id) continue;
      if (msg) {
        if (msg.id !== id) throw new Error(`DataLoader worker ${k} answered batch ${msg.id} when batch ${id} was due`);
        if (msg.error !== undefined) throw new Error(`DataLoader worker ${k} failed on batch ${id}: ${msg.error}`);
        return msg;
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `DataLoader worker ${k} did not deliver batch ${id} within ${this.timeoutMs / 1000} s; it may have died (set timeout to wait longer)`,
        );
      Atomics.wait(t.counter, 0, seen, Math.min(left, 1000));
    }
  }

  /** Stops the threads: each finishes the jobs it has and ends; one still running after 10 s is terminated. */
  close(): Promise<unknown> {
    return Promise.all(
      this.threads.map(
        (t) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void t.worker.terminate(), 10_000);
            t.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            t.port.postMessage({ kind: 'stop' } satisfies StopJob);
          }),
      ),
    );
  }
}

provideLoaderWorkers((...args) => new LoaderWorkers(...args));
