// A multilayer perceptron on MNIST with fit(): 784-64-64-10 with Dropout(0.1), SGD lr 0.01,
// batches of 32, 5 epochs; the tutorial's log lines and a test after each epoch.
// Run: npm run build && node dist/examples/mlp.js
import { DataLoader, datasets, F, fit, formatTrainTime, manualSeed, models, optim, transforms } from '../src/index.js';

manualSeed(1);
const transform = new transforms.ToTensor();
const trainLoader = new DataLoader(await datasets.MNIST({ root: 'data', train: true, download: true, transform }), {
  batchSize: 32,
  shuffle: true,
});
const testLoader = new DataLoader(await datasets.MNIST({ root: 'data', train: false, download: true, transform }), {
  batchSize: 1000,
});

const model = new models.MLP();
console.log(model.toString());
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
const { history, trainTimeS } = fit(model, {
  trainLoader,
  testLoader,
  optimizer,
  lossFn: F.crossEntropy,
  epochs: 5,
  logInterval: 200,
  checkpointDir: 'runs/mlp-example',
});
console.log(formatTrainTime(trainTimeS));
console.log(`test accuracy by epoch: ${history.testAccuracy.map((a) => `${a.toFixed(2)}%`).join(', ')}`);
