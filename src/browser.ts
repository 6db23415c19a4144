// The browser entry point: the core, with the WebAssembly backend loaded asynchronously (a
// page's main thread may not compile it synchronously). It needs a cross-origin isolated page
// (COOP/COEP headers) for shared memory; elsewhere the reference kernels run.
import { initBackend } from './backend/index.js';

await initBackend();

export * from './core.js';
