/**
 * Pictures: image grids with titles, training curves, comparison and confusion charts, feature maps; SVG and PNG.
 * @pytorch `torchvision.utils`
 * @module
 */
export * from './browser_index.js';
export { saveImage } from './save_image.js';
export { saveFigure } from './figure.js';
export { svgToPng, type RasterOptions } from './render.js';
