/**
 * Pictures: image grids with titles, training curves, comparison and confusion charts, feature maps; SVG and PNG.
 * @pytorch `torchvision.utils`
 * @module
 */
export { makeGrid, type GridOptions } from './grid.js';
export { saveImage } from './save_image.js';
export { imageGrid, type TitledImage, type ImageGridOptions } from './image_grid.js';
export {
  trainingCurve,
  lossPerEpoch,
  comparisonChart,
  confusionMatrixChart,
  renderChart,
  type CurveData,
  type ComparisonEntry,
} from './charts.js';
export { featureMaps, filtersFigure, firstConv, type FeatureMapOptions } from './feature_maps.js';
export { saveFigure, type Figure } from './figure.js';
export { svgToPng, type RasterOptions } from './render.js';
export { toRgba, encodePng, type RgbaImage, type ToRgbaOptions } from './png.js';
export { colormap, type ColormapName } from './colormap.js';
