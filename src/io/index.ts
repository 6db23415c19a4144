export { readImage, decodeImage, type ImageReadMode } from './image.js';
