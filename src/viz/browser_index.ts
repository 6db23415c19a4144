/**
 * Pictures in a page: the same charts, grids and feature maps as Node's, as SVG text to put in the
 * page (no rasteriser: the browser draws SVG itself).
 * @module
 */
export { makeGrid, type GridOptions } from './grid.js';
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
export { liveChart, niceTicks, type LiveSeries, type LiveChartOptions } from './live_chart.js';
export { featureMaps, filtersFigure, firstConv, type FeatureMapOptions } from './feature_maps.js';
export type { Figure } from './figure.js';
export { toRgba, encodePng, type RgbaImage, type ToRgbaOptions } from './png.js';
export { colormap, type ColormapName } from './colormap.js';
