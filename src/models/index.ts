export { Net } from './net.js';
export { mlp } from './mlp.js';
export { FashionMNISTModelV0, FashionMNISTModelV1, FashionMNISTModelV2 } from './fashion.js';
export { Network } from './network.js';
