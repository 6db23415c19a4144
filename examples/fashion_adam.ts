// The LeNet-like Network on Fashion-MNIST trained with Adam (lr 0.01, batches of 100, 5 epochs),
// printing the tutorial's per-epoch total_correct and loss.
// Run: npm run build && node dist/examples/fashion_adam.js
import {
  compileStep,
  DataLoader,
  datasets,
  evaluate,
  F,
  manualSeed,
  models,
  optim,
  transforms,
  type Tensor,
} from '../src/index.js';

manualSeed(1);
const trainSet = await datasets.FashionMNIST({
  root: 'data',
  train: true,
  download: true,
  transform: new transforms.ToTensor(),
});
const testSet = await datasets.FashionMNIST({
  root: 'data',
  train: false,
  download: true,
  transform: new transforms.ToTensor(),
});
const trainLoader = new DataLoader(trainSet, { batchSize: 100, shuffle: true });

const network = new models.Network();
const optimizer = new optim.Adam(network.parameters(), { lr: 0.01 });
const lossFn = (preds: Tensor, labels: Tensor) => F.crossEntropy(preds, labels);
const step = compileStep(network, lossFn, optimizer);

for (let epoch = 0; epoch < 5; epoch++) {
  let totalLoss = 0;
  for (const [images, labels] of trainLoader) totalLoss += step(images, labels) * images.shape[0];
  // The training accuracy of the epoch's final weights (the tutorial sums it batch by batch).
  const { correct } = evaluate(network, new DataLoader(trainSet, { batchSize: 1000 }), lossFn);
  console.log('epoch', epoch, 'total_correct:', correct, 'loss:', totalLoss.toFixed(2));
}
const test = evaluate(network, new DataLoader(testSet, { batchSize: 1000 }), lossFn);
console.log(`test accuracy: ${test.accuracy.toFixed(2)}% (${test.correct}/${test.total})`);
