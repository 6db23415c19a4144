/**
 * The extensions torchvision's ImageFolder takes, as its `IMG_EXTENSIONS`.
 * @pytorch `torchvision.datasets.folder.IMG_EXTENSIONS`
 */
export const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];
