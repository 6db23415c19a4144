import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readImage } from '../../io/image.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkIndex, type Dataset } from '../dataset.js';
import { FILE_SAMPLES } from '../loader_protocol.js';
import type { Transform } from '../transform.js';
import { IMG_EXTENSIONS } from './image_extensions.js';

const DECODABLE = new Set(['.jpg', '.jpeg', '.png']);

/**
 * `ImageFolder`'s options, as torchvision's: `transform`, `targetTransform`, `loader`, `isValidFile`.
 * @pytorch `torchvision.datasets.ImageFolder`
 */
export interface ImageFolderOptions {
  transform?: Transform;
  /** Maps each label before it is returned. */
  targetTransform?: (label: number) => number;
  /** Reads one file; default decodes PNG or JPEG to uint8 RGB [3, H, W], as torchvision's PIL loader converts to RGB. */
  loader?: (path: string) => Tensor;
  /** Which files to take; default: those with an image extension. */
  isValidFile?: (path: string) => boolean;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every folder under `top` (itself first), following links once each, as os.walk(followlinks=True) visits them. */
function walk(top: string): { dir: string; files: string[] }[] {
  const out: { dir: string; files: string[] }[] = [];
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const files: string[] = [];
    const dirs: string[] = [];
    for (const name of readdirSync(dir)) (isDirectory(join(dir, name)) ? dirs : files).push(name);
    out.push({ dir, files });
    for (const d of dirs) visit(join(dir, d));
  };
  visit(top);
  return out.sort((a, b) => byCodePoint(a.dir, b.dir));
}

/**
 * Images in a folder per class (`root/dog/1.png`, `root/cat/x.jpg`): classes are the sub-folder
 * names sorted as torchvision sorts them, samples each class's files in sorted order. Images are
 * read when asked for; one that does not decode is an error naming the file.
 * @pytorch `torchvision.datasets.ImageFolder`
 */
export class ImageFolder implements Dataset<[Tensor, number]> {
  readonly [FILE_SAMPLES] = true as const;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  /** [path, class index] of every image. */
  readonly samples: [string, number][];
  /** The class index of every sample. */
  readonly targets: number[];
  transform?: Transform;
  /** Maps each label before `get` returns it. */
  targetTransform?: (label: number) => number;
  private readonly loader: (path: string) => Tensor;
  /** Whether a loader was given (worker threads read files with the default one only). */
  readonly hasCustomLoader: boolean;

  constructor(
    readonly root: string,
    opts: ImageFolderOptions = {},
  ) {
    if (!isDirectory(root)) throw new Error(`ImageFolder: ${root} is not a folder`);
    this.classes = readdirSync(root)
      .filter((name) => isDirectory(join(root, name)))
      .sort(byCodePoint);
    if (this.classes.length === 0) throw new Error(`Couldn't find any class folder in ${root}.`);
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    const valid = opts.isValidFile ?? ((path: string) => IMG_EXTENSIONS.includes(extname(path).toLowerCase()));
    this.samples = [];
    const empty: string[] = [];
    this.classes.forEach((cls, index) => {
      const before = this.samples.length;
      for (const { dir, files } of walk(join(root, cls))) {
        for (const name of files.sort(byCodePoint)) {
          const path = join(dir, name);
          if (valid(path)) this.samples.push([path, index]);
        }
      }
      if (this.samples.length === before) empty.push(cls);
    });
    if (empty.length > 0)
      throw new Error(
        `Found no valid file for the classes ${empty.join(', ')}. Supported extensions are: ${IMG_EXTENSIONS.join(', ')}`,
      );
    if (!opts.loader && !opts.isValidFile) {
      const odd = this.samples.find(([path]) => !DECODABLE.has(extname(path).toLowerCase()));
      if (odd)
        throw new Error(
          `ImageFolder: not supported: ${extname(odd[0])} images such as ${odd[0]}; torchlit decodes PNG and JPEG. ` +
            'Convert them, skip them with isValidFile, or pass a loader.',
        );
    }
    this.loader = opts.loader ?? ((path) => readImage(path, 'rgb'));
    this.hasCustomLoader = opts.loader !== undefined;
    this.targets = this.samples.map(([, t]) => t);
    this.transform = opts.transform;
    this.targetTransform = opts.targetTransform;
  }

  get length(): number {
    return this.samples.length;
  }

  /** torchvision's older name for `samples`. */
  get imgs(): [string, number][] {
    return this.samples;
  }

  /** The image file of sample `index`, read (uint8 [3, H, W] with the default loader), before any transform. */
  image(index: number): Tensor {
    return this.loader(this.samples[checkIndex(index, this.length)][0]);
  }

  /** The image at `index`, read and transformed, and its class index. */
  get(index: number): [Tensor, number] {
    const [, target] = this.samples[checkIndex(index, this.length)];
    const image = this.image(index);
    return [
      this.transform ? this.transform.apply(image) : image,
      this.targetTransform ? this.targetTransform(target) : target,
    ];
  }
}
