// Node's data layer: the page's, with the datasets that read files, the IDX and download helpers,
// and the DataLoader's worker threads (registered here).
import './loader_workers.js';

export * from './browser_index.js';
export * as datasets from './datasets/index.js';
export { readIdx, readIdxHeader, MAX_IDX_BYTES } from './idx.js';
export { downloadVerified, md5, type RemoteFile } from './download.js';
export { writeFileAtomic } from '../util/atomic_file.js';
