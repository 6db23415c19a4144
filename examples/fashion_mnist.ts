// The Fashion-MNIST computer-vision tutorial in torchlit: a linear baseline (V0), a non-linear
// model (V1) and TinyVGG (V2), each trained 3 epochs with SGD, evaluated with evalModel, and
// compared by loss, accuracy and training time; with the tutorial's pictures (samples,
// predictions, confusion matrix, comparison) as PNG files.
// Run: npm run build && node dist/examples/fashion_mnist.js
import {
  DataLoader,
  datasets,
  evaluate,
  F,
  formatTrainTime,
  manualSeed,
  models,
  noGrad,
  optim,
  randperm,
  stack,
  transforms,
  viz,
  withArena,
  type nn,
  type Tensor,
} from '../src/index.js';

const BATCH_SIZE = 32;
const epochs = 3;

const trainData = await datasets.FashionMNIST({
  root: 'data',
  train: true,
  download: true,
  transform: new transforms.ToTensor(),
});
const testData = await datasets.FashionMNIST({
  root: 'data',
  train: false,
  download: true,
  transform: new transforms.ToTensor(),
});
const classNames = trainData.classes;
console.log(`${trainData.length} training and ${testData.length} test images; classes: ${classNames.join(', ')}`);
const [image, label] = trainData.get(0);
console.log(`Image shape: ${image.shape} -> [color_channels, height, width]; label: ${classNames[label]}`);

manualSeed(42);
const randomIdx = randperm(trainData.length).toArray().slice(0, 16);
await viz.saveFigure(
  viz.imageGrid(
    randomIdx.map((i) => ({ image: trainData.get(i)[0], title: classNames[trainData.get(i)[1]] })),
    { rows: 4, cols: 4 },
  ),
  'fashion_samples.png',
);

const trainDataloader = new DataLoader(trainData, { batchSize: BATCH_SIZE, shuffle: true });
const testDataloader = new DataLoader(testData, { batchSize: BATCH_SIZE, shuffle: false });
console.log(`Length of train dataloader: ${trainDataloader.length} batches of ${BATCH_SIZE}`);

const lossFn = (output: Tensor, target: Tensor) => F.crossEntropy(output, target);

function accuracyFn(yTrue: Tensor, yPred: Tensor): number {
  return (yTrue.eq(yPred).sum().item() / yTrue.shape[0]) * 100;
}

function trainStep(model: nn.Module, optimizer: optim.Optimizer<object>): void {
  let trainLoss = 0;
  let trainAcc = 0;
  model.train();
  for (const [X, y] of trainDataloader) {
    const yPred = model.forward(X);
    const loss = lossFn(yPred, y);
    trainLoss += loss.item();
    trainAcc += accuracyFn(y, yPred.argmax(1));
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  console.log(
    `Train loss: ${(trainLoss / trainDataloader.length).toFixed(5)} | Train accuracy: ${(trainAcc / trainDataloader.length).toFixed(2)}%`,
  );
}

function testStep(model: nn.Module): void {
  let testLoss = 0;
  let testAcc = 0;
  model.eval();
  noGrad(() => {
    for (const [X, y] of testDataloader) {
      withArena(() => {
        const testPred = model.forward(X);
        testLoss += lossFn(testPred, y).item();
        testAcc += accuracyFn(y, testPred.argmax(1));
      });
    }
  });
  console.log(
    `Test loss: ${(testLoss / testDataloader.length).toFixed(5)} | Test accuracy: ${(testAcc / testDataloader.length).toFixed(2)}%\n`,
  );
}

function trainAndEvaluate(model: nn.Module) {
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const start = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    console.log(`Epoch: ${epoch}\n---------`);
    trainStep(model, optimizer);
    testStep(model);
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(formatTrainTime(seconds));
  const results = evaluate(model, testDataloader, lossFn);
  console.log(results.modelName, 'loss', results.loss.toFixed(5), 'accuracy', `${results.accuracy.toFixed(2)}%`, '\n');
  return { ...results, trainingTime: seconds };
}

manualSeed(42);
const model0 = new models.FashionMNISTModelV0(784, 10, classNames.length);
console.log(model0.toString());
const model0Results = trainAndEvaluate(model0);

manualSeed(42);
const model1 = new models.FashionMNISTModelV1(784, 10, classNames.length);
const model1Results = trainAndEvaluate(model1);

manualSeed(42);
const model2 = new models.FashionMNISTModelV2(1, 10, classNames.length);
console.log(model2.toString());
const model2Results = trainAndEvaluate(model2);

// Predictions of the best model on nine test samples: green when right, red when wrong.
const samples = Array.from({ length: 9 }, (_, i) => testData.get(i * 1000));
const predLabels = noGrad(() => model2.eval().forward(stack(samples.map(([x]) => x))))
  .argmax(1)
  .toArray();
await viz.saveFigure(
  viz.imageGrid(
    samples.map(([image, label], i) => ({
      image,
      title: `Pred: ${classNames[predLabels[i]]} | Truth: ${classNames[label]}`,
      color: predLabels[i] === label ? 'green' : 'red',
    })),
    { rows: 3, cols: 3 },
  ),
  'fashion_predictions.png',
);
await viz.saveFigure(
  await viz.confusionMatrixChart(model2Results.confusion, classNames, 'FashionMNISTModelV2: confusion matrix'),
  'fashion_confusion.png',
);
const compareResults = [model0Results, model1Results, model2Results].map((r) => ({
  modelName: r.modelName,
  accuracy: r.accuracy,
  trainTimeS: r.trainingTime,
}));
await viz.saveFigure(await viz.comparisonChart(compareResults), 'fashion_comparison.png');

console.table(
  [model0Results, model1Results, model2Results].map((r) => ({
    model_name: r.modelName,
    model_loss: Number(r.loss.toFixed(6)),
    model_acc: Number(r.accuracy.toFixed(4)),
    training_time: Number(r.trainingTime.toFixed(3)),
  })),
);
console.log('Wrote fashion_samples.png, fashion_predictions.png, fashion_confusion.png, fashion_comparison.png');
