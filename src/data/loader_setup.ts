import type { MessagePort } from 'node:worker_threads';
import type { DatasetDescriptor } from './loader_protocol.js';

/**
 * What a worker is given once: the dataset's pixels in shared memory and its [C, H, W] (or the
 * file list), the packed transform, its port to the main thread, and the ring of ports over which
 * each batch hands the generator's state to the next.
 */
export interface WorkerSetup {
  pixels: SharedArrayBuffer;
  shape: [number, number, number];
  port: MessagePort;
  signal: SharedArrayBuffer;
  dataset?: DatasetDescriptor;
  transform?: unknown;
  ringIn: MessagePort;
  ringOut: MessagePort;
}
