// Seconds a loader takes to yield every batch of an epoch, median over epochs (the data benches).
import { manualSeed, type DataLoader } from '../src/index.js';

/** The median seconds of `epochs` passes over `loader`, after seeding the global generator with 1. */
export function medianEpochSeconds<T>(loader: DataLoader<T>, epochs: number): number {
  manualSeed(1);
  const times: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    for (const batch of loader) void batch;
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(epochs / 2)];
}
