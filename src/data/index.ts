export { type Dataset, type BatchSource, TensorDataset, Subset, randomSplit } from './dataset.js';
export { DataLoader, stack, type DataLoaderOptions } from './dataloader.js';
export * as transforms from './transforms.js';
export * as datasets from './datasets/index.js';
export { parseIdx, readIdx, type IdxArray } from './idx.js';
export { downloadVerified, writeFileAtomic, md5, type RemoteFile } from './download.js';
