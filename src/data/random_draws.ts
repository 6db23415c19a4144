// The scalar draws torchvision's random transforms make, from torchlit's global generator in
// PyTorch's order and precision: torch.rand(1), torch.empty(1).uniform_(a, b), torch.randint(0, n, (1,)).
import { randint, uniformFill } from '../tensor/creation.js';

/** One float32 uniform draw in [low, high), as `torch.empty(1).uniform_(low, high).item()`. */
export function drawUniform(low = 0, high = 1): number {
  const out = new Float32Array(1);
  uniformFill(out, low, high);
  return out[0];
}

/** One `torch.randint(0, high, (1,)).item()`. */
export function drawInt(high: number): number {
  return randint(0, high, [1]).item();
}
