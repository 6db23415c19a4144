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
window.playground = { state, probabilities: null, accuracy: null, predictions: null };

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
    // The page keeps only the test set (for its pictures); the worker loads both to train.
    state.data[key] = { test: await load({ url: d.url, train: false, transform }) };
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

/** Makes `model` the page's model (the one drawings go to) and returns its dataset. */
async function adoptModel(name, model, optimizer, defaults) {
  const data = await dataset($('dataset').value, defaults.normalize);
  Object.assign(state, {
    model,
    optimizer,
    modelName: name,
    normalize: defaults.normalize,
    classes: data.test.classes,
  });
  return data;
}

let currentRun = null;
const datasetInfo = () => datasets.find((x) => x.name === $('dataset').value);

async function train() {
  const name = $('model').value;
  const { model, optimizer, defaults } = newModel(name);
  const data = await adoptModel(name, model, optimizer, defaults);
  const curve = { trainCounter: [], trainLosses: [], testCounter: [], testLosses: [] };
  const n = 60000;
  let lastDraw = 0;
  // While training a plain polyline, redrawn at most every 200 ms (a vega chart takes 50-150 ms
  // of this thread); the full chart once training ends.
  const drawCurve = (final) => {
    if (curve.trainLosses.length === 0) return;
    if (final) {
      void viz.trainingCurve(curve).then((fig) => ($('curve').innerHTML = fig.svg));
      return;
    }
    if (performance.now() - lastDraw < 200) return;
    lastDraw = performance.now();
    $('curve').innerHTML = viz.liveChart(
      [{ name: 'Train Loss', xs: curve.trainCounter, ys: curve.trainLosses, color: '#1f77b4' }],
      {
        xLabel: 'number of training examples seen',
        yLabel: 'negative log likelihood loss',
        xMax: epochs * n,
        height: 300,
      },
    );
  };
  const started = performance.now();
  const epochs = Number($('epochs').value);
  $('log').textContent = '';
  setStatus('Training…', 'training');
  $('train').disabled = true;
  $('stop').disabled = false;
  let seen = 0;
  const spec = {
    model: name,
    url: datasetInfo().url,
    dataset: datasetInfo().name,
    epochs,
    lr: Number($('lr').value),
    logInterval: 20,
  };
  if (defaults.optimizer === 'sgd') spec.momentum = Number($('momentum').value);
  // The worker trains; this thread only draws (and reads the drawing pad).
  currentRun = t.trainInWorker(spec, {
    onLog: (line) => {
      $('log').textContent += `${line}\n`;
      $('log').scrollTop = 1e9;
    },
    onBatch(info) {
      seen += defaults.batchSize;
      const perS = Math.round(seen / ((performance.now() - started) / 1000));
      setStatus(`Epoch ${info.epoch}/${epochs}: ${Math.round((100 * info.batch) / info.batches)}%, ${perS} samples/s`);
      if (info.batch % 20 === 0) {
        curve.trainCounter.push(info.seen + (info.epoch - 1) * n);
        curve.trainLosses.push(info.loss);
        drawCurve(false);
      }
    },
    onTest(epoch, r) {
      curve.testCounter.push(epoch * n);
      curve.testLosses.push(r.loss);
    },
  });
  try {
    const done = await currentRun.done;
    io.loadModelBytes(model, done.model, 'the trained model');
    io.loadOptimizerBytes(optimizer, done.optimizer, 'its optimizer');
    state.result = done;
    if (done.stopped || !done.test) setStatus('Stopped: the model keeps what it learned so far.', 'trained');
    else {
      const acc = done.test.accuracy;
      window.playground.accuracy = acc;
      setStatus(`Trained: ${acc.toFixed(2)}% test accuracy in ${done.trainTimeS.toFixed(1)} s`, 'trained');
      await showResults(data.test, done.test);
    }
  } catch (e) {
    setStatus(String(e.message), 'trained');
  } finally {
    currentRun = null;
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
  window.playground.predictions = pred;
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
async function loadInto(load, what) {
  const name = $('model').value;
  const { model, optimizer, defaults } = newModel(name);
  try {
    await load(model, optimizer);
  } catch (e) {
    $('saved').textContent = String(e.message);
    return;
  }
  const data = await adoptModel(name, model, optimizer, defaults);
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
  loadInto((m, o) => io.loadModel(m, savedName(), { optimizer: o }), `${$('model').value} from this browser`);
$('download').onclick = () => state.model && io.saveModel(state.model, `downloads://${state.modelName}`);
$('upload').onchange = () => {
  const file = $('upload').files[0];
  // Cleared, so that choosing the same file again is a change too.
  $('upload').value = '';
  if (file) void loadInto((m) => io.loadModel(m, file), file.name);
};
$('train').onclick = () => void train();
$('stop').onclick = () => currentRun?.stop();

fillForm();
clearPad();
$('threads').textContent =
  t.getNumThreads() === 2
    ? 'Two threads: WebAssembly SIMD with a helper Web Worker.'
    : 'One thread (this page is not cross-origin isolated): WebAssembly SIMD.';
$('train').disabled = false;
setStatus('Ready: pick a model and press Train.', 'ready');
