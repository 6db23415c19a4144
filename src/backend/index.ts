import { referenceBackend } from './reference/index.js';
import type { Backend } from './types.js';

export type * from './types.js';
export { referenceBackend };

let current: Backend = referenceBackend;

export function backend(): Backend {
  return current;
}

export function setBackend(b: Backend): void {
  current = b;
}
