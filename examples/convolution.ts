// What a convolution does to a photo (the corgi exercise): a random Conv2d(3, 10, kernel_size=3)
// applied to any PNG or JPEG, every output channel shown as an image.
// Run: npm run build && node dist/examples/convolution.js photo.jpg
import { io, manualSeed, nn, noGrad, viz } from '../src/index.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: node dist/examples/convolution.js IMAGE (a PNG or JPEG)');
  process.exit(2);
}
manualSeed(42);
const image = io.readImage(path, 'rgb').float().div(255); // [3, H, W] in [0, 1]
const convLayer = new nn.Conv2d(3, 10, 3, { stride: 1, padding: 0 });
const output = noGrad(() => convLayer.forward(image.unsqueeze(0)));
console.log(`Image shape: ${image.shape} -> conv output shape: ${output.shape}`);
await viz.saveFigure(viz.featureMaps(image, convLayer), 'feature_maps.png');
console.log('Wrote feature_maps.png');
