// The playground: pick a model and a dataset, train with a live loss curve, draw a digit and see
// the model's probabilities and first-layer feature maps, keep checkpoints. It imports torchlit
// like any page does; `npm run playground` bundles it into dist/web and serves it.
import * as t from 'torchlit';
import { centerDigit, grayOf } from './draw.js';

const { DataLoader, F, io, models, optim, transforms: T, viz } = t;
const $ = (id) => document.getElementById(id);
/** The models that take 28 x 28 gray images, with the playground's changes to their tutorial settings. */
const MODELS = { net: { momentum: 0.9 }, mlp: {}, 'fmnist-v0': {}, tinyvgg: {}, lenet: {} };
const state = { model: null, modelName: null, optimizer: null, normalize: null, classes: null, data: {}, result: null };
/** What the tests read: the state, the last probabilities, the last accuracy. */
window.playground = { state, probabilities: null, accuracy: null };

const setStatus = (text, phase) => {
  $('status').textContent = text;
  if (phase) document.body.dataset.phase = phase;
};
const datasets = await (await fetch('data/index.json')).json();

function fillForm() {
  for (const name of Object.keys(MODELS)) $('model').add(new Option(name, name));
  for (const d of datasets) $('dataset').add(new Option(d.label, d.name));
  const pick = () => {
    const entry = models.zoo[$('model').value];
    const d = { ...entry.defaults, ...MODELS[$('model').value] };
    $('lr').value = d.lr;
    $('momentum').value = d.momentum;
    $('momentum').disabled = d.optimizer !== 'sgd';
    const preferred = datasets.find((x) => x.name === d.dataset);
    if (preferred) $('dataset').value = preferred.name;
  };
  $('model').onchange = pick;
  pick();
}

async function dataset(name, normalize) {
  const key = `${name}:${normalize}`;
  if (!state.data[key]) {
    const d = datasets.find((x) => x.name === name);
    const steps = [new T.ToTensor(), ...(normalize ? [new T.Normalize([normalize[0]], [normalize[1]])] : [])];
    const transform = new T.Compose(steps);
    const load = d.kind === 'fashion' ? t.datasets.FashionMNIST : t.datasets.MNIST;
    setStatus(`Loading ${d.label}…`);
    const [train, test] = await Promise.all([
      load({ url: d.url, transform }),
      load({ url: d.url, train: false, transform }),
    ]);
    state.data[key] = { train, test };
  }
  return state.data[key];
}

function newModel(name) {
  const entry = models.zoo[name];
  const d = { ...entry.defaults, ...MODELS[name] };
  t.manualSeed(1);
  const model = entry.create(1, 10);
  const lr = Number($('lr').value);
  const optimizer =
    d.optimizer === 'adam'
      ? new optim.Adam(model.parameters(), { lr })
      : new optim.SGD(model.parameters(), { lr, momentum: Number($('momentum').value) });
  return { model, optimizer, defaults: d };
}

class Stopped extends Error {}
let stopRequested = false;

async function train() {
  const name = $('model').value;
  const { model, optimizer, defaults } = newModel(name);
  const data = await dataset($('dataset').value, defaults.normalize);
  Object.assign(state, {
    model,
    optimizer,
    modelName: name,
    normalize: defaults.normalize,
    classes: data.test.classes,
  });
  const trainLoader = new DataLoader(data.train, { batchSize: defaults.batchSize, shuffle: true });
  const testLoader = new DataLoader(data.test, { batchSize: 500 });
  const lossFn = defaults.loss === 'nll' ? F.nllLoss : F.crossEntropy;
  const curve = { trainCounter: [], trainLosses: [], testCounter: [], testLosses: [] };
  const n = data.train.length;
  let drawing = false;
  let lastDraw = 0;
  const drawCurve = (force) => {
    if (drawing || (!force && performance.now() - lastDraw < 1000) || curve.trainLosses.length === 0) return;
    drawing = true;
    lastDraw = performance.now();
    void viz.trainingCurve(curve).then((fig) => {
      $('curve').innerHTML = fig.svg;
      drawing = false;
    });
  };
  const started = performance.now();
  const epochs = Number($('epochs').value);
  stopRequested = false;
  $('log').textContent = '';
  setStatus('Training…', 'training');
  $('train').disabled = true;
  $('stop').disabled = false;
  let seen = 0;
  try {
    state.result = await t.fit(model, {
      trainLoader,
      testLoader,
      optimizer,
      lossFn,
      epochs,
      logInterval: 20,
      log: (line) => {
        $('log').textContent += `${line}\n`;
        $('log').scrollTop = 1e9;
      },
      callbacks: {
        onBatchEnd(info) {
          if (stopRequested) throw new Stopped(`Stopped in epoch ${info.epoch}, batch ${info.batch}`);
          seen += info.batches && trainLoader.batchSize;
          const perS = Math.round(seen / ((performance.now() - started) / 1000));
          setStatus(
            `Epoch ${info.epoch}/${epochs}: ${Math.round((100 * info.batch) / info.batches)}%, ${perS} samples/s`,
          );
        },
        onLog(info) {
          curve.trainCounter.push(info.seen + (info.epoch - 1) * n);
          curve.trainLosses.push(info.loss);
          drawCurve(false);
        },
        onTest(epoch, r) {
          curve.testCounter.push(epoch * n);
          curve.testLosses.push(r.loss);
        },
      },
    });
    const acc = state.result.test.accuracy;
    window.playground.accuracy = acc;
    setStatus(`Trained: ${acc.toFixed(2)}% test accuracy in ${state.result.trainTimeS.toFixed(1)} s`, 'trained');
    await showResults(data.test, state.result.test);
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
    setStatus(e.message, 'trained');
  } finally {
    drawCurve(true);
    $('train').disabled = false;
    $('stop').disabled = true;
    predictDrawing();
  }
}

async function showResults(test, tested) {
  const x = t.stack(Array.from({ length: 12 }, (_, i) => test.get(i)[0]));
  state.model.eval();
  const pred = t
    .noGrad(() => state.model.forward(x))
    .argmax(1)
    .toArray();
  state.model.train();
  const items = pred.map((p, i) => {
    const truth = test.targets.toArray()[i];
    return { image: test.image(i).float().div(255), title: `${p}`, color: p === truth ? 'green' : 'red' };
  });
  $('predictions').innerHTML = viz.imageGrid(items, { rows: 2, cols: 6 }).svg;
  if (tested) $('confusion').innerHTML = (await viz.confusionMatrixChart(tested.confusion, state.classes)).svg;
}

// Drawing: white strokes on the black pad, predicted as they are drawn.
const pad = $('pad');
const ctx = pad.getContext('2d', { willReadFrequently: true });
const clearPad = () => {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  window.playground.probabilities = null;
  renderBars(null);
};
let pen = null;
let pending = false;
const at = (e) => {
  const r = pad.getBoundingClientRect();
  return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
};
pad.addEventListener('pointerdown', (e) => {
  pad.setPointerCapture(e.pointerId);
  pen = at(e);
});
pad.addEventListener('pointermove', (e) => {
  if (!pen) return;
  const next = at(e);
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 20;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(...pen);
  ctx.lineTo(...next);
  ctx.stroke();
  pen = next;
  if (!pending) {
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      predictDrawing();
    });
  }
});
const lift = () => {
  if (pen) predictDrawing();
  pen = null;
};
pad.addEventListener('pointerup', lift);
pad.addEventListener('pointercancel', lift);
$('clear').onclick = clearPad;

function predictDrawing() {
  if (!state.model) return;
  const digit = centerDigit(grayOf(ctx.getImageData(0, 0, pad.width, pad.height)), pad.width, pad.height);
  if (!digit) return;
  const image = new t.Tensor(digit, [1, 28, 28]);
  const [mean, std] = state.normalize ?? [0, 1];
  const prepare = (x) => x.sub(mean).div(std);
  state.model.eval();
  const probs = Array.from(t.noGrad(() => F.softmax(state.model.forward(prepare(image).unsqueeze(0)), 1)).values());
  state.model.train();
  window.playground.probabilities = probs;
  renderBars(probs);
  try {
    $('features').innerHTML = viz.featureMaps(image, viz.firstConv(state.model), { prepare }).svg;
  } catch {
    $('features').innerHTML = '<p class="hint">This model has no convolution to show.</p>';
  }
}

function renderBars(probs) {
  const names = state.classes ?? Array.from({ length: 10 }, (_, i) => String(i));
  const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
  $('bars').innerHTML = names
    .map((name, i) => {
      const p = probs ? probs[i] : 0;
      return `<div class="bar${i === top ? ' top' : ''}"><span class="name">${name}</span><span class="fill" style="width:${(100 * p).toFixed(1)}%"></span><span>${(100 * p).toFixed(1)}%</span></div>`;
    })
    .join('');
}

// Checkpoints: IndexedDB, a download, an upload of a run's model.safetensors.
const savedName = () => `indexeddb://playground-${$('model').value}`;
$('save').onclick = async () => {
  if (!state.model) return ($('saved').textContent = 'Train a model first.');
  await io.saveModel(state.model, `indexeddb://playground-${state.modelName}`, { optimizer: state.optimizer });
  $('saved').textContent = `Saved as ${state.modelName} in this browser.`;
};
async function adopt(load, what) {
  const name = $('model').value;
  const { model, optimizer, defaults } = newModel(name);
  try {
    await load(model, optimizer);
  } catch (e) {
    $('saved').textContent = String(e.message);
    return;
  }
  const data = await dataset($('dataset').value, defaults.normalize);
  Object.assign(state, {
    model,
    optimizer,
    modelName: name,
    normalize: defaults.normalize,
    classes: data.test.classes,
  });
  const tested = await t.evaluate(
    model,
    new DataLoader(data.test, { batchSize: 500 }),
    defaults.loss === 'nll' ? F.nllLoss : F.crossEntropy,
  );
  window.playground.accuracy = tested.accuracy;
  $('saved').textContent = `Loaded ${what}: ${tested.accuracy.toFixed(2)}% test accuracy.`;
  setStatus(`Loaded ${name}`, 'trained');
  await showResults(data.test, tested);
  predictDrawing();
}
$('load').onclick = () =>
  adopt((m, o) => io.loadModel(m, savedName(), { optimizer: o }), `${$('model').value} from this browser`);
$('download').onclick = () => state.model && io.saveModel(state.model, `downloads://${state.modelName}`);
$('upload').onchange = () => {
  const file = $('upload').files[0];
  if (file) void adopt((m) => io.loadModel(m, file), file.name);
};
$('train').onclick = () => void train();
$('stop').onclick = () => (stopRequested = true);

fillForm();
clearPad();
$('threads').textContent =
  t.getNumThreads() === 2
    ? 'Two threads: WebAssembly SIMD with a helper Web Worker.'
    : 'One thread (this page is not cross-origin isolated): WebAssembly SIMD.';
$('train').disabled = false;
setStatus('Ready: pick a model and press Train.', 'ready');
