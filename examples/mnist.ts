// PyTorch's MNIST tutorial in torchlit: six test images, Net, SGD with momentum, a test before
// training and after every epoch, checkpoints every log interval, the training curve, six test
// predictions, and a fresh model and optimizer that continue from the checkpoint for epochs 4 to 8.
// The pictures go to results/ beside the checkpoints.
// Run: npm run build && node dist/examples/mnist.js
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  compileStep,
  DataLoader,
  datasets,
  F,
  io,
  manualSeed,
  models,
  noGrad,
  optim,
  transforms,
  viz,
  withArena,
  type nn,
  type Tensor,
} from '../src/index.js';

const nEpochs = 3;
const batchSizeTrain = 64;
const batchSizeTest = 1000;
const learningRate = 0.01;
const momentum = 0.5;
const logInterval = 10;
const randomSeed = 1;
manualSeed(randomSeed);
mkdirSync('results', { recursive: true });

const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
const trainLoader = new DataLoader(await datasets.MNIST({ root: 'files', train: true, download: true, transform }), {
  batchSize: batchSizeTrain,
  shuffle: true,
});
const testLoader = new DataLoader(await datasets.MNIST({ root: 'files', train: false, download: true, transform }), {
  batchSize: batchSizeTest,
  shuffle: true,
});

const [exampleData, exampleTargets] = testLoader[Symbol.iterator]().next().value as [Tensor, Tensor];
console.log(exampleData.shape); // torch.Size([1000, 1, 28, 28])
const examples = Array.from({ length: 6 }, (_, i) => exampleData.select(i));
await viz.saveFigure(
  viz.imageGrid(
    examples.map((image, i) => ({ image, title: `Ground Truth: ${exampleTargets.toArray()[i]}` })),
    { rows: 2, cols: 3, normalize: true },
  ),
  'results/examples.png',
);

let network: nn.Module = new models.Net();
let optimizer = new optim.SGD(network.parameters(), { lr: learningRate, momentum });
// One call per batch does what the tutorial writes out: optimizer.zeroGrad(); output =
// network(data); loss = F.nll_loss(output, target); loss.backward(); optimizer.step().
let step = compileStep(network, F.nllLoss, optimizer);

const trainLosses: number[] = [];
const trainCounter: number[] = [];
const testLosses: number[] = [];
const testCounter = Array.from({ length: nEpochs + 1 }, (_, i) => i * trainLoader.dataset.length);

function train(epoch: number): void {
  network.train();
  let batchIdx = 0;
  for (const [data, target] of trainLoader) {
    const loss = step(data, target);
    if (batchIdx % logInterval === 0) {
      const n = trainLoader.dataset.length;
      console.log(
        `Train Epoch: ${epoch} [${batchIdx * data.shape[0]}/${n} (${Math.round((100 * batchIdx) / trainLoader.length)}%)]\tLoss: ${loss.toFixed(6)}`,
      );
      trainLosses.push(loss);
      trainCounter.push(batchIdx * 64 + (epoch - 1) * n);
      io.saveModel(network, 'results/model.safetensors');
      io.saveOptimizer(optimizer, 'results/optimizer.safetensors');
    }
    batchIdx++;
  }
}

function test(): void {
  network.eval();
  let testLoss = 0;
  let correct = 0;
  noGrad(() => {
    for (const [data, target] of testLoader) {
      withArena(() => {
        const output = network.forward(data);
        testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item();
        correct += output.argmax(1).eq(target).sum().item();
      });
    }
  });
  const n = testLoader.dataset.length;
  testLoss /= n;
  testLosses.push(testLoss);
  console.log(
    `\nTest set: Avg. loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${n} (${Math.round((100 * correct) / n)}%)\n`,
  );
}

test();
for (let epoch = 1; epoch <= nEpochs; epoch++) {
  train(epoch);
  test();
}

writeFileSync('results/curve.json', JSON.stringify({ trainCounter, trainLosses, testCounter, testLosses }));
await viz.saveFigure(
  await viz.trainingCurve({ trainCounter, trainLosses, testCounter, testLosses }),
  'results/curve.png',
);

const output = noGrad(() => network.eval().forward(exampleData));
const predictions = Array.from({ length: 6 }, (_, i) => ({
  groundTruth: exampleTargets.toArray()[i],
  prediction: output.select(i).argmax().item(),
}));
console.log(predictions.map((p) => `Ground Truth: ${p.groundTruth}  Prediction: ${p.prediction}`).join('\n'));
writeFileSync('results/predictions.json', JSON.stringify(predictions));
await viz.saveFigure(
  viz.imageGrid(
    examples.map((image, i) => ({ image, title: `Prediction: ${predictions[i].prediction}` })),
    { rows: 2, cols: 3, normalize: true },
  ),
  'results/predictions.png',
);

// Continued training from checkpoints: a new network and optimizer, loaded from the files.
network = new models.Net();
optimizer = new optim.SGD(network.parameters(), { lr: learningRate, momentum });
io.loadModel(network, 'results/model.safetensors');
io.loadOptimizer(optimizer, 'results/optimizer.safetensors');
step = compileStep(network, F.nllLoss, optimizer);
for (let i = 4; i <= 8; i++) {
  testCounter.push(i * trainLoader.dataset.length);
  train(i);
  test();
}
writeFileSync('results/curve.json', JSON.stringify({ trainCounter, trainLosses, testCounter, testLosses }));
await viz.saveFigure(
  await viz.trainingCurve({ trainCounter, trainLosses, testCounter, testLosses }, 'Training curve, epochs 1-8'),
  'results/curve-continued.png',
);
console.log(
  'Wrote results/: model.safetensors, optimizer.safetensors, examples.png, curve.png, predictions.png, curve-continued.png (and the numbers as curve.json, predictions.json)',
);
