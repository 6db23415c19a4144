/* global performance */
// The training the browser tests run in a page and in Node.js alike: the MNIST tutorial's Net, a
// compiled SGD step with momentum, on one fixed random batch. `t` is the torchlit module.
// Samples per second over all the steps, over the first 200 (while the JIT compilers warm up) and
// over the last quarter (settled).
export function trainNet(t, steps) {
  t.manualSeed(0);
  const net = new t.models.Net();
  const opt = new t.optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.5 });
  const step = t.compileStep(net, (out, y) => t.F.nllLoss(out, y), opt);
  const x = t.randn([64, 1, 28, 28]);
  const y = t.randint(0, 10, [64]);
  const losses = [step(x, y), step(x, y)];
  const at = [performance.now()];
  for (let i = 0; i < steps; i++) {
    losses.push(step(x, y));
    at.push(performance.now());
  }
  const rate = (from, to) => ((to - from) * 64) / ((at[to] - at[from]) / 1000);
  return {
    net,
    opt,
    step,
    x,
    losses,
    samplesPerS: rate(0, steps),
    firstSamplesPerS: rate(0, Math.min(200, steps)),
    settledSamplesPerS: rate(steps - Math.max(1, steps >> 2), steps),
  };
}
