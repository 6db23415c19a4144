// Models for the export checks (ONNX Runtime in the tests, PyTorch in bench/pytorch_export.ts):
// one of most layers, one whose forward is functional calls and tensor ops, one that cannot export.
import { cat, F, nn, randn, type Tensor } from '../../src/index.js';

/** Activations, padding, resizing, adaptive pools, layer norm, transposed convolution: [N, 2, 6, 5] in. */
export function layerZoo(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(2, 4, 3),
    new nn.LayerNorm([4, 3]),
    new nn.GELU(),
    new nn.ZeroPad2d([1, 2, 0, 1]),
    new nn.ELU(0.7),
    new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }),
    new nn.SiLU(),
    new nn.Softplus(2, 1),
    new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    new nn.GroupNorm(3, 3),
    new nn.GroupNorm(1, 3, { affine: false }),
    new nn.Hardtanh(-0.5, 0.7),
    new nn.Upsample({ size: [9, 7], mode: 'bilinear' }),
    new nn.Hardswish(),
    new nn.Upsample({ scaleFactor: 1.5, mode: 'bilinear', alignCorners: true }),
    new nn.PReLU(3),
    new nn.Hardsigmoid(),
    new nn.GELU('tanh'),
    new nn.ReLU6(),
    new nn.AdaptiveMaxPool2d([1, 5]),
    new nn.Flatten(),
    new nn.Unflatten(1, [3, 5]),
    new nn.Flatten(),
  );
}

class Block extends nn.Module {
  conv = new nn.Conv2d(3, 3, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(3);
  forward(x: Tensor): Tensor {
    const y = F.relu(this.bn.forward(this.conv.forward(x)));
    return y.add(x).mul(0.5).sub(x.div(4));
  }
}

/** Residual adds, scalars, views, permutes, reductions, cat, F.pad and F.interpolate, a parameter of its own: [N, 3, 6, 10] in. */
export class Functional extends nn.Module {
  block = new Block();
  fc = new nn.Linear(2 * 3 * 4 * 6, 4);
  scale = new nn.Parameter(randn([4]));
  forward(x: Tensor): Tensor {
    let h = this.block.forward(F.pad(x, [1, 1, 2, 0], { mode: 'reflect' }));
    h = F.maxPool2d(h, 2, { stride: 2 });
    h = cat([h, F.pad(F.interpolate(h, { scaleFactor: 0.5 }), [1, 2, 1, 1], { mode: 'replicate' })], 1);
    h = h.permute(0, 2, 3, 1).transpose(1, 2);
    h = h.sub(h.mean(1, true)).add(h.sum(3, true).mul(0.1));
    h = F.dropout(F.leakyRelu(h.reshape(-1, 2 * 3 * 4 * 6), 0.1), 0.2, this.training);
    return F.logSoftmax(this.fc.forward(h).mul(this.scale).exp().unsqueeze(1).squeeze(1), 1);
  }
}

/** A forward with an op neither export translates (cumsum): [N, 1, H, W] in. */
export class Cumulative extends nn.Module {
  conv1 = new nn.Conv2d(1, 2, 3);
  forward(t: Tensor): Tensor {
    return this.conv1.forward(t).cumsum(1);
  }
}
