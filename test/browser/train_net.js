/* global performance */
// The training the browser tests run in a page and in Node.js alike: the MNIST tutorial's Net, a
// compiled SGD step with momentum, on one fixed random batch. `t` is the torchlit module.
export function trainNet(t, steps) {
  t.manualSeed(0);
  const net = new t.models.Net();
  const opt = new t.optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.5 });
  const step = t.compileStep(net, (out, y) => t.F.nllLoss(out, y), opt);
  const x = t.randn([64, 1, 28, 28]);
  const y = t.randint(0, 10, [64]);
  const losses = [step(x, y), step(x, y)];
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) losses.push(step(x, y));
  const samplesPerS = (steps * 64) / ((performance.now() - t0) / 1000);
  return { net, opt, step, x, losses, samplesPerS };
}
