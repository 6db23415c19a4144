// The browser entry point: everything that needs no file system (tensors, nn, optim, data, fit,
// io to IndexedDB and downloads, SVG pictures), with the WebAssembly backend loaded
// asynchronously (a page's main thread may not compile it synchronously). Two threads need a
// cross-origin isolated page (COOP/COEP headers); elsewhere one thread runs, with one warning.
import { initBackend } from './backend/index.js';

await initBackend();

export * from './core.js';
export * from './data/browser_index.js';
export * as io from './io/browser_index.js';
export * from './train/browser_index.js';
export * as viz from './viz/browser_index.js';
export {
  trainInWorker,
  type WorkerRun,
  type WorkerTrainHandlers,
  type WorkerTrainSpec,
  type WorkerTrainResult,
} from './run/in_worker.js';
