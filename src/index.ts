// The Node.js entry point: the core, the datasets and image files, and the fastest backend.
import { selectDefaultBackend } from './backend/index.js';

selectDefaultBackend();

export * from './core.js';
export * from './data/index.js';
export * as io from './io/index.js';
export * from './train/index.js';
export * as viz from './viz/index.js';
