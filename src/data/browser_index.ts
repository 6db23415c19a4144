// The data layer in a page (and the part of Node's that needs no file system: data/index.ts adds the rest).
export { type Dataset, type BatchSource, TensorDataset, Subset, ConcatDataset, randomSplit } from './dataset.js';
export {
  type Sampler,
  type Sized,
  type RandomSamplerOptions,
  SequentialSampler,
  RandomSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
  BatchSampler,
} from './samplers.js';
export { DataLoader, type DataLoaderOptions, type Collated } from './dataloader.js';
export type { BatchPlan } from './batch_plan.js';
export * as transforms from './transforms.js';
export * as datasets from './datasets/browser_index.js';
export { parseIdx, type IdxArray, type IdxType } from './idx_format.js';
export { readPickle, PickleDict, PickleTuple, type PickleValue, type NumpyArray } from './pickle.js';
