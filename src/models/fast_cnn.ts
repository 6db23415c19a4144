import { BatchNorm2d } from '../nn/batchnorm.js';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** One stage: `convs` 3x3 conv (no bias)-BN-ReLU layers, then 2x2 max pooling. */
function stage(inC: number, outC: number, convs: number): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < convs; i++)
    layers.push(
      new Conv2d(i === 0 ? inC : outC, outC, 3, { padding: 1, bias: false }),
      new BatchNorm2d(outC),
      new ReLU(),
    );
  return new Sequential(...layers, new MaxPool2d(2));
}

/**
 * The presets' CNN: stages of 3x3 conv-BatchNorm-ReLU layers each ending in 2x2 max pooling
 * (`widths` channels, `convs` layers per stage), then a linear classifier on the flattened map.
 */
export class FastCNN extends Module {
  features: Sequential;
  classifier: Sequential;
  /** Channels and conv layers of each stage, as given. */
  readonly widths: number[];
  readonly convs: number[];

  constructor(inChannels = 1, numClasses = 10, opts: { widths?: number[]; convs?: number[]; size?: number } = {}) {
    super();
    const widths = opts.widths ?? [32, 64, 128];
    const convs = opts.convs ?? widths.map(() => 1);
    if (convs.length !== widths.length)
      throw new RangeError(`FastCNN: convs has ${convs.length} stages, widths ${widths.length}`);
    let side = opts.size ?? 28;
    const stages = widths.map((w, i) => {
      side = Math.floor(side / 2);
      return stage(i === 0 ? inChannels : widths[i - 1], w, convs[i]);
    });
    if (side < 1)
      throw new RangeError(`FastCNN: ${widths.length} poolings leave nothing of ${opts.size ?? 28}-pixel images`);
    this.widths = widths;
    this.convs = convs;
    this.features = new Sequential(...stages);
    this.classifier = new Sequential(new Flatten(), new Linear(widths[widths.length - 1] * side * side, numClasses));
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.features.forward(x));
  }
}
