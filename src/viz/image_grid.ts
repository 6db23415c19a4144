import type { Tensor } from '../tensor/tensor.js';
import type { ColormapName } from './colormap.js';
import type { Figure } from './figure.js';
import { encodePng, toRgba } from './png.js';
import { escapeXml, svgDocument, textWidth } from './svg.js';
import { toBase64 } from '../util/base64.js';

/** An image and the title above it in an image grid. */
export interface TitledImage {
  /** [1, H, W], [3, H, W] or [H, W]; floats in [0, 1] unless the grid normalizes. */
  image: Tensor;
  title?: string;
  /** Title colour, e.g. 'green' for a right prediction and 'red' for a wrong one. */
  color?: string;
}

/** The layout of an image grid: rows, columns, cell size, title. */
export interface ImageGridOptions {
  rows?: number;
  cols?: number;
  /** Colormap for one-channel images (default gray). */
  cmap?: ColormapName;
  /** Scale each image to its own min and max (feature maps, filters). */
  normalize?: boolean;
  /** Display size of the longer side of each image, in pixels (default 112). */
  size?: number;
  /** A title over the whole grid. */
  title?: string;
  fontSize?: number;
}

/**
 * Images in a grid with a title over each, as the tutorials draw them with matplotlib subplots
 * (`Ground Truth: 7`, class names): an SVG figure embedding each image as a PNG, drawn pixel-exact.
 */
export function imageGrid(items: TitledImage[], opts: ImageGridOptions = {}): Figure {
  if (items.length === 0) throw new RangeError('imageGrid needs at least one image');
  const fontSize = opts.fontSize ?? 13;
  const cols = opts.cols ?? (opts.rows ? Math.ceil(items.length / opts.rows) : Math.min(items.length, 8));
  const rows = opts.rows ?? Math.ceil(items.length / cols);
  if (rows * cols < items.length) throw new RangeError(`a ${rows}x${cols} grid cannot hold ${items.length} images`);
  const size = opts.size ?? 112;
  const shapes = items.map(({ image }) => (image.ndim === 2 ? image.shape : image.shape.slice(1)));
  const scale = size / Math.max(...shapes.flat());
  const hasTitles = items.some((i) => i.title);
  const titleH = hasTitles ? Math.ceil(fontSize * 1.6) : 0;
  const widest = Math.max(...items.map((i) => (i.title ? textWidth(i.title, fontSize) : 0)));
  const imgW = Math.max(...shapes.map((s) => s[1] * scale));
  const imgH = Math.max(...shapes.map((s) => s[0] * scale));
  const gap = 12;
  const cellW = Math.ceil(Math.max(imgW, widest)) + gap;
  const cellH = Math.ceil(imgH + titleH) + gap;
  const headH = opts.title ? Math.ceil(fontSize * 2.4) : 0;
  const width = Math.max(cols * cellW + gap, opts.title ? textWidth(opts.title, fontSize + 3) + 2 * gap : 0);
  const height = headH + rows * cellH + gap;
  const parts: string[] = [];
  if (opts.title)
    parts.push(
      `<text x="${width / 2}" y="${fontSize * 1.7}" font-size="${fontSize + 3}" text-anchor="middle">${escapeXml(opts.title)}</text>`,
    );
  items.forEach(({ image, title, color }, k) => {
    const x = gap + (k % cols) * cellW;
    const y = headH + gap + Math.floor(k / cols) * cellH;
    const cx = x + (cellW - gap) / 2;
    const [h, w] = shapes[k];
    const png = toBase64(encodePng(toRgba(image, { cmap: opts.cmap, normalize: opts.normalize })));
    if (title)
      parts.push(
        `<text x="${cx}" y="${y + fontSize}" font-size="${fontSize}" text-anchor="middle" fill="${escapeXml(color ?? 'black')}">${escapeXml(title)}</text>`,
      );
    parts.push(
      `<image x="${cx - (w * scale) / 2}" y="${y + titleH}" width="${w * scale}" height="${h * scale}" preserveAspectRatio="none" ` +
        `style="image-rendering:pixelated" href="data:image/png;base64,${png}"/>`,
    );
  });
  return { svg: svgDocument(Math.ceil(width), height, parts.join('\n')), raster: { pixelated: true, scale: 1 } };
}
