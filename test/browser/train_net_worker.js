/* global self, crossOriginIsolated */
// A module worker that loads torchlit (?src of the page) and trains Net as train_net.js does.
self.onmessage = async (e) => {
  try {
    const t = await import(e.data.src);
    const { trainNet } = await import('./train_net.js');
    const { losses, samplesPerS, firstSamplesPerS, settledSamplesPerS } = trainNet(t, e.data.steps);
    self.postMessage({
      losses,
      samplesPerS,
      firstSamplesPerS,
      settledSamplesPerS,
      threads: t.getNumThreads(),
      crossOriginIsolated,
    });
  } catch (err) {
    self.postMessage({ error: String((err && err.stack) || err) });
  }
};
