import { extname } from 'node:path';
import { writeFileAtomic } from '../util/atomic_file.js';
import { svgToPng, type RasterOptions } from './render.js';

/** A picture as SVG text, with how it rasterises to PNG. */
export interface Figure {
  svg: string;
  raster?: RasterOptions;
}

/** Writes a figure as `.svg` or `.png` (by the path's extension); returns the path. */
export async function saveFigure(figure: Figure, path: string): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') writeFileAtomic(path, figure.svg);
  else if (ext === '.png') writeFileAtomic(path, await svgToPng(figure.svg, { scale: 2, ...figure.raster }));
  else throw new RangeError(`cannot save a figure as '${ext || path}': use .png or .svg`);
  return path;
}
