// Node's data layer: the DataLoader gets its worker threads here.
import './loader_workers.js';

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
export * as datasets from './datasets/index.js';
export { parseIdx, readIdx, readIdxHeader, MAX_IDX_BYTES, type IdxArray, type IdxType } from './idx.js';
export { readPickle, PickleDict, PickleTuple, type PickleValue, type NumpyArray } from './pickle.js';
export { downloadVerified, md5, type RemoteFile } from './download.js';
export { writeFileAtomic } from '../util/atomic_file.js';
