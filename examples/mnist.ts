// PyTorch's MNIST example in torchlit: the tutorial's Net, SGD with momentum, a test before
// training and after every epoch. Run with `npm start` (or `node dist/examples/mnist.js [epochs]`).
import { compileStep, DataLoader, datasets, F, manualSeed, models, noGrad, optim, transforms, withArena, type nn } from '../src/index.js';

const nEpochs = Number(process.argv[2] ?? 3);
const batchSizeTrain = 64;
const batchSizeTest = 1000;
const learningRate = 0.01;
const momentum = 0.5;
const logInterval = 10;
manualSeed(1);

const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
const trainLoader = new DataLoader(await datasets.MNIST({ root: 'files', train: true, download: true, transform }), {
  batchSize: batchSizeTrain,
  shuffle: true,
});
const testLoader = new DataLoader(await datasets.MNIST({ root: 'files', train: false, download: true, transform }), {
  batchSize: batchSizeTest,
  shuffle: true,
});

const network: nn.Module = new models.Net();
const optimizer = new optim.SGD(network.parameters(), { lr: learningRate, momentum });
// One call per batch doing what the tutorial writes out: optimizer.zeroGrad(); loss =
// F.nllLoss(network.forward(data), target); loss.backward(); optimizer.step(). Compiled, it runs
// in WebAssembly memory with no garbage; the numbers are the same.
const trainStep = compileStep(network, F.nllLoss, optimizer);

function train(epoch: number): void {
  network.train();
  const n = trainLoader.dataset.length;
  let batchIdx = 0;
  for (const [data, target] of trainLoader) {
    const loss = trainStep(data, target);
    if (batchIdx % logInterval === 0) {
      const seen = batchIdx * data.shape[0];
      console.log(`Train Epoch: ${epoch} [${seen}/${n} (${Math.round((100 * batchIdx) / trainLoader.length)}%)]\tLoss: ${loss.toFixed(6)}`);
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
      // withArena: this batch's tensors live in WebAssembly memory until the block returns numbers.
      withArena(() => {
        const output = network.forward(data);
        testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item();
        const pred = output.argmax(1);
        correct += pred.eq(target).sum().item();
      });
    }
  });
  const n = testLoader.dataset.length;
  testLoss /= n;
  console.log(`\nTest set: Avg. loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${n} (${Math.round((100 * correct) / n)}%)\n`);
}

const t0 = performance.now();
test();
for (let epoch = 1; epoch <= nEpochs; epoch++) {
  train(epoch);
  test();
}
console.log(`Train time on cpu: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
