import { noGrad } from '../autograd/grad_mode.js';
import { Conv2d } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ColormapName } from './colormap.js';
import type { Figure } from './figure.js';
import { imageGrid, type TitledImage } from './image_grid.js';
import { className } from '../util/class_name.js';

/** How feature maps are drawn: colormap, title, size and columns, and how the convolution's input is prepared. */
export interface FeatureMapOptions {
  cmap?: ColormapName;
  title?: string;
  /** Display size of each map (default 112). */
  size?: number;
  cols?: number;
  /** What the convolution sees, when it differs from the image shown (a model's normalisation). */
  prepare?: (image: Tensor) => Tensor;
}

/**
 * Applies `conv` to one image ([C, H, W], uint8 or floats in [0, 1]) and shows the input and every output channel,
 * each scaled to its own range: what a convolution does to a photo.
 */
export function featureMaps(input: Tensor, conv: Conv2d, opts: FeatureMapOptions = {}): Figure {
  const image = input.dtype === 'uint8' ? input.float().div(255) : input;
  if (image.ndim !== 3)
    throw new RangeError(`featureMaps expects one image [C, H, W], got [${image.shape.join(', ')}]`);
  if (image.shape[0] !== conv.inChannels) {
    throw new RangeError(
      `the image has ${image.shape[0]} channels but the convolution expects ${conv.inChannels}; read it as ${conv.inChannels === 1 ? "'gray'" : "'rgb'"}`,
    );
  }
  const out = noGrad(() => conv.forward(opts.prepare ? opts.prepare(image).unsqueeze(0) : image.unsqueeze(0))).select(
    0,
  );
  const items: TitledImage[] = [{ image, title: `input ${image.shape[2]}x${image.shape[1]}` }];
  for (let k = 0; k < out.shape[0]; k++) items.push({ image: out.select(k).unsqueeze(0), title: `channel ${k}` });
  const cols = opts.cols ?? Math.min(6, items.length);
  return imageGrid(items, {
    cols,
    cmap: opts.cmap ?? 'gray',
    normalize: true,
    size: opts.size,
    title: opts.title ?? `${conv.toString()} on the image`,
  });
}

/** The first Conv2d of a model, in declaration order. */
export function firstConv(model: Module): Conv2d {
  for (const [, m] of model.namedModules()) if (m instanceof Conv2d) return m;
  throw new RangeError(`${className(model)} has no Conv2d layer to show`);
}

/** A convolution's filters, one image each (input channels averaged), scaled to their own range. */
export function filtersFigure(conv: Conv2d, opts: FeatureMapOptions = {}): Figure {
  const w = conv.weight.detach();
  const items: TitledImage[] = [];
  for (let k = 0; k < w.shape[0]; k++) items.push({ image: w.select(k).mean(0, true), title: `filter ${k}` });
  return imageGrid(items, {
    cols: opts.cols ?? Math.min(10, items.length),
    cmap: opts.cmap ?? 'gray',
    normalize: true,
    size: opts.size ?? 56,
    title: opts.title ?? `${conv.toString()}: weights`,
  });
}
