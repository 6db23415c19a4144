// The helper thread's entry in Node.js (node:worker_threads).
import { workerData } from 'node:worker_threads';
import { runHelper } from './helper_loop.js';
import type { HelperData } from './protocol.js';

runHelper(workerData as HelperData);
