// The scalar draws torchvision's random transforms make, from torchlit's global generator in
// PyTorch's order and precision: torch.rand(1), torch.empty(1).uniform_(a, b), torch.randint(0, n, (1,)).
import { uniformFill } from '../tensor/creation.js';
import { defaultGenerator } from '../tensor/generator.js';

const one = new Float32Array(1);

/** One float32 uniform draw in [low, high), as `torch.empty(1).uniform_(low, high).item()`. */
export function drawUniform(low = 0, high = 1): number {
  uniformFill(one, low, high);
  return one[0];
}

/** One `torch.randint(0, high, (1,)).item()` for high below 2^32: a 32-bit draw modulo high, as randint. */
export function drawInt(high: number): number {
  if (!(high > 0 && high < 2 ** 32 && Number.isInteger(high)))
    throw new RangeError(`randint expects integers low < high, got low=0, high=${high}`);
  return defaultGenerator.random() % high;
}
