// Checkpoints in a page: models (and optimizer state) as safetensors bytes in IndexedDB, as a
// download, or read back from an upload or a URL. Targets are named as TensorFlow.js names them:
// `indexeddb://NAME`, `downloads://NAME`.
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { readBinary, type BinarySource } from '../util/web_bytes.js';
import type { Metadata } from './safetensors.js';
import { loadModelBytes, loadOptimizerBytes, modelBytes, optimizerBytes } from './state_bytes.js';

const DB_NAME = 'torchlit';
const STORE = 'models';
const INDEXEDDB = 'indexeddb://';
const DOWNLOADS = 'downloads://';

/** What IndexedDB holds for each saved name. */
interface StoredModel {
  model: Uint8Array;
  optimizer?: Uint8Array;
  savedAt: string;
}

/** With `saveModel`/`loadModel` in a page: the optimizer whose state goes along, and metadata to keep. */
export interface BrowserCheckpointOptions {
  optimizer?: Optimizer<object>;
  metadata?: Metadata;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function openStore(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  if (typeof indexedDB === 'undefined') throw new Error('indexeddb://: this runtime has no IndexedDB');
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  return db.transaction(STORE, mode).objectStore(STORE);
}

function nameIn(target: string, scheme: string): string {
  const name = target.slice(scheme.length);
  if (name.length === 0) throw new RangeError(`${target}: give a name after ${scheme}`);
  return name;
}

function download(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Saves `model` (and `opts.optimizer`'s state) to `indexeddb://NAME` or as the downloads
 * `NAME.safetensors` and `NAME.optimizer.safetensors`; the same bytes `torchlit train` writes.
 */
export async function saveModel(model: Module, target: string, opts: BrowserCheckpointOptions = {}): Promise<void> {
  const record: StoredModel = {
    model: modelBytes(model, opts.metadata),
    ...(opts.optimizer && { optimizer: optimizerBytes(opts.optimizer) }),
    savedAt: new Date().toISOString(),
  };
  if (target.startsWith(INDEXEDDB)) {
    const name = nameIn(target, INDEXEDDB);
    await request((await openStore('readwrite')).put(record, name));
    return;
  }
  if (target.startsWith(DOWNLOADS)) {
    const name = nameIn(target, DOWNLOADS);
    download(record.model, `${name}.safetensors`);
    if (record.optimizer) download(record.optimizer, `${name}.optimizer.safetensors`);
    return;
  }
  throw new RangeError(`saveModel: unknown target '${target}': use indexeddb://NAME or downloads://NAME`);
}

async function stored(target: string): Promise<StoredModel> {
  const name = nameIn(target, INDEXEDDB);
  const record = (await request((await openStore('readonly')).get(name))) as StoredModel | undefined;
  if (!record) {
    const names = await listModels();
    throw new Error(`${target}: nothing saved under this name (saved: ${names.length ? names.join(', ') : 'none'})`);
  }
  return record;
}

/**
 * Loads weights into `model` from `indexeddb://NAME` (with the optimizer's state when
 * `opts.optimizer` is given), or from a `model.safetensors` as a File, Blob, ArrayBuffer or URL.
 * A file of another model is an error that changes nothing.
 */
export async function loadModel(
  model: Module,
  source: BinarySource,
  opts: Pick<BrowserCheckpointOptions, 'optimizer'> = {},
): Promise<Metadata> {
  if (typeof source === 'string' && source.startsWith(INDEXEDDB)) {
    const record = await stored(source);
    if (opts.optimizer && !record.optimizer)
      throw new Error(`${source}: holds no optimizer state (it was saved without an optimizer)`);
    const metadata = loadModelBytes(model, record.model, source);
    if (opts.optimizer) loadOptimizerBytes(opts.optimizer, record.optimizer!, `${source} (optimizer)`);
    return metadata;
  }
  if (opts.optimizer)
    throw new RangeError('loadModel: optimizer state comes from indexeddb:// only; use loadOptimizer for a file');
  return loadModelBytes(model, await readBinary(source), sourceName(source));
}

/** Loads optimizer state from an `optimizer.safetensors` as a File, Blob, ArrayBuffer or URL. */
export async function loadOptimizer(optimizer: Optimizer<object>, source: BinarySource): Promise<void> {
  loadOptimizerBytes(optimizer, await readBinary(source), sourceName(source));
}

/** The names saved in IndexedDB. */
export async function listModels(): Promise<string[]> {
  const keys = await request((await openStore('readonly')).getAllKeys());
  return keys.map(String);
}

/** Removes `indexeddb://NAME`. */
export async function removeModel(target: string): Promise<void> {
  if (!target.startsWith(INDEXEDDB)) throw new RangeError(`removeModel: expected indexeddb://NAME, got '${target}'`);
  await request((await openStore('readwrite')).delete(nameIn(target, INDEXEDDB)));
}

function sourceName(source: BinarySource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof File !== 'undefined' && source instanceof File) return source.name;
  return 'the given bytes';
}
