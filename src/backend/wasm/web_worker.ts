// The helper thread's entry in a browser (a module Web Worker in a cross-origin isolated page). The
// listener is set before anything is awaited, so the first message is never lost.
import { runHelper } from './helper_loop.js';
import type { HelperData } from './protocol.js';

addEventListener('message', (e) => runHelper((e as MessageEvent<HelperData>).data), { once: true });
