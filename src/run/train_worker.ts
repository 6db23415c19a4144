// The worker behind `trainInWorker`: builds the zoo model, loads the dataset and runs `fit`,
// posting the log lines, batches, tests and epochs as they happen and the trained bytes at the end.
import '../models/setup.js';
import { initBackend } from '../backend/index.js';
import { DataLoader } from '../data/dataloader.js';
import { FashionMNIST, KMNIST, MNIST } from '../data/datasets/mnist_web.js';
import { Compose, Normalize, ToTensor } from '../data/transforms.js';
import { modelBytes, optimizerBytes } from '../io/state_bytes.js';
import { zooEntry } from '../models/zoo.js';
import { crossEntropy, nllLoss } from '../nn/functional.js';
import { Adam } from '../optim/adam.js';
import { SGD } from '../optim/sgd.js';
import { manualSeed } from '../tensor/generator.js';
import { fit, type FitResult } from '../train/browser_index.js';
import { emptyHistory } from '../train/history.js';
import type { FromWorker, ToWorker, WorkerTrainSpec } from './worker_protocol.js';

const scope = globalThis as unknown as {
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
let stopRequested = false;

class Stopped extends Error {}

async function run(spec: WorkerTrainSpec): Promise<void> {
  const entry = zooEntry(spec.model);
  if (entry.adapts || entry.defaults.dataset === 'cifar10')
    throw new RangeError(`trainInWorker: not supported: model '${spec.model}' (it takes the 28 x 28 zoo models)`);
  const d = entry.defaults;
  const unsupported = [
    d.schedule === 'onecycle' && 'a OneCycleLR schedule',
    d.augment && 'augmentation',
    d.nesterov && 'Nesterov momentum',
    d.weightDecay && 'weight decay',
    d.labelSmoothing && 'label smoothing',
    d.tta && d.tta !== 'none' && 'test-time augmentation',
  ].filter(Boolean);
  if (unsupported.length > 0)
    throw new RangeError(
      `trainInWorker: not supported: model '${spec.model}', whose recipe has ${unsupported.join(', ')} (the tutorial models train here)`,
    );
  const epochs = spec.epochs ?? d.epochs;
  manualSeed(spec.seed ?? d.seed);
  const transform = new Compose([
    new ToTensor(),
    ...(d.normalize ? [new Normalize([d.normalize[0]], [d.normalize[1]])] : []),
  ]);
  const load = { mnist: MNIST, 'fashion-mnist': FashionMNIST, kmnist: KMNIST }[spec.dataset ?? 'mnist'];
  const [train, test] = await Promise.all([
    load({ url: spec.url, transform }),
    load({ url: spec.url, train: false, transform }),
  ]);
  const model = entry.create(1, 10);
  const lr = spec.lr ?? d.lr;
  const optimizer =
    d.optimizer === 'adam'
      ? new Adam(model.parameters(), { lr })
      : new SGD(model.parameters(), { lr, momentum: spec.momentum ?? d.momentum });
  const post = (m: FromWorker) => scope.postMessage(m);
  let stopped = false;
  let result: FitResult | null = null;
  try {
    result = await fit(
      model,
      {
        trainLoader: new DataLoader(train, { batchSize: spec.batchSize ?? d.batchSize, shuffle: true }),
        testLoader: new DataLoader(test, { batchSize: spec.testBatchSize ?? d.testBatchSize }),
        optimizer,
        lossFn: d.loss === 'nll' ? nllLoss : crossEntropy,
        epochs,
        logInterval: spec.logInterval ?? d.logInterval,
        log: (line) => post({ type: 'log', line }),
        callbacks: {
          onBatchEnd(info) {
            if (stopRequested) throw new Stopped();
            post({ type: 'batch', info });
          },
          onTest: (epoch, r) => post({ type: 'test', epoch, result: r }),
          onEpochEnd: (epoch, history) => post({ type: 'epoch', epoch, history }),
        },
      },
      // The worker's own messages (a stop) get in between slices.
      { sliceMs: 100 },
    );
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
    stopped = true;
  }
  const weights = modelBytes(model);
  const state = optimizerBytes(optimizer);
  scope.postMessage(
    {
      type: 'done',
      result: {
        history: result?.history ?? emptyHistory(),
        test: result?.test ?? null,
        trainTimeS: result?.trainTimeS ?? 0,
        stopped,
        model: weights,
        optimizer: state,
      },
    },
    [weights.buffer as ArrayBuffer, state.buffer as ArrayBuffer],
  );
}

await initBackend();

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'stop') stopRequested = true;
  else
    run(msg.spec).catch((err: unknown) =>
      scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
};
scope.postMessage({ type: 'ready' });
