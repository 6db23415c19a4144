// ImageFolder-style data from files a user picked in a page (`<input type="file" webkitdirectory>`,
// a FileList) or from [path, Blob] pairs: the class is the folder under the picked one, classes and
// files in torchvision's order. Images are decoded once, up front (a page decodes asynchronously).
import { Tensor } from '../../tensor/tensor.js';
import { checkIndex, type Dataset } from '../dataset.js';
import type { Transform } from '../transform.js';
import { IMG_EXTENSIONS } from './image_extensions.js';

/** A picked file: the browser's `File` has these. */
export interface PickedFile extends Blob {
  readonly name: string;
  /** The path under the picked folder's parent (`photos/cat/1.png`); empty for files picked one by one. */
  readonly webkitRelativePath?: string;
}

/** `imageFolderFromFiles`' options, as `ImageFolder`'s, with a decoder in place of a loader. */
export interface ImageFilesOptions {
  transform?: Transform;
  /** Maps each label before it is returned. */
  targetTransform?: (label: number) => number;
  /** Which files to take, by path under the folder (`cat/1.png`); default: those with an image extension. */
  isValidFile?: (path: string) => boolean;
  /** Decodes one file; default: the browser's decoder, to uint8 RGB [3, H, W] with no colour management. */
  decode?: (file: Blob, path: string) => Promise<Tensor>;
  /** Refuse more images than this (default 100,000): each is decoded and held in memory. */
  maxImages?: number;
}

const DECODES_AT_ONCE = 8;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const extension = (path: string) => {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};

/** The image type a file's first bytes name, for decoders that need one. */
function sniffType(head: Uint8Array): string {
  const at = (bytes: number[], from = 0) => bytes.every((b, k) => head[from + k] === b);
  if (at([0x89, 0x50, 0x4e, 0x47])) return 'image/png';
  if (at([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (at([0x42, 0x4d])) return 'image/bmp';
  return '';
}

/** RGBA bytes to uint8 RGB [3, H, W], alpha dropped as PIL's convert('RGB') drops it. */
function rgbPlanes(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Tensor {
  const plane = width * height;
  const rgb = new Uint8Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    rgb[i] = rgba[4 * i];
    rgb[plane + i] = rgba[4 * i + 1];
    rgb[2 * plane + i] = rgba[4 * i + 2];
  }
  return new Tensor(rgb, [3, height, width], 'uint8');
}

/** A decoded frame as uint8 RGB [3, H, W]: RGBA and BGRA frames copied as they are (a conversion would premultiply), others converted. */
async function framePlanes(frame: VideoFrame): Promise<Tensor> {
  const { codedWidth: width, codedHeight: height, format } = frame;
  const packed = format === 'RGBA' || format === 'RGBX' || format === 'BGRA' || format === 'BGRX';
  const bytes = new Uint8Array(packed ? frame.allocationSize() : 4 * width * height);
  const [layout] = await frame.copyTo(bytes, packed ? {} : { format: 'RGBA' });
  const [r, b] = format?.startsWith('BGR') ? [2, 0] : [0, 2];
  const plane = width * height;
  const rgb = new Uint8Array(3 * plane);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = layout.offset + y * layout.stride + 4 * x;
      const to = y * width + x;
      rgb[to] = bytes[from + r];
      rgb[plane + to] = bytes[from + 1];
      rgb[2 * plane + to] = bytes[from + b];
    }
  return new Tensor(rgb, [3, height, width], 'uint8');
}

/**
 * The browser's decoder, without colour management: WebCodecs' ImageDecoder where there is one
 * (alpha left unpremultiplied, so colours under transparency survive as PIL keeps them), else
 * createImageBitmap and a canvas (whose premultiplied alpha loses colour under low alpha).
 */
async function decodeInPage(file: Blob, path: string): Promise<Tensor> {
  const fail = (e: unknown) =>
    new Error(`imageFolderFromFiles: ${path} is not an image this browser decodes (${(e as Error).message})`);
  if (typeof ImageDecoder === 'function') {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let frame: VideoFrame | undefined;
    try {
      // premultiplyAlpha is in the WebCodecs spec, not yet in TypeScript's DOM types.
      const init = { data: bytes, type: sniffType(bytes) || file.type, premultiplyAlpha: 'none' };
      const decoder = new ImageDecoder({ ...init, colorSpaceConversion: 'none' });
      frame = (await decoder.decode()).image;
      decoder.close();
      return await framePlanes(frame);
    } catch (e) {
      throw fail(e);
    } finally {
      frame?.close();
    }
  }
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function')
    throw new Error(
      `imageFolderFromFiles: no image decoder here (${path}); pass decode, as Node has no createImageBitmap`,
    );
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw fail(e);
  }
  const { width, height } = bitmap;
  const ctx = new OffscreenCanvas(width, height).getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return rgbPlanes(ctx.getImageData(0, 0, width, height).data, width, height);
}

/** The path under the picked folder of each file, and the file. */
function pathsOf(files: Iterable<PickedFile> | Iterable<[string, Blob]>): [string, Blob][] {
  const out: [string, Blob][] = [];
  for (const f of files) {
    if (Array.isArray(f)) {
      out.push([f[0].replace(/^\/+/, ''), f[1]]);
      continue;
    }
    const rel = f.webkitRelativePath ?? '';
    if (!rel)
      throw new Error(
        `imageFolderFromFiles: ${f.name} has no folder: pick a folder (<input type="file" webkitdirectory>) or give [path, file] pairs such as ['cat/1.png', file]`,
      );
    out.push([rel.slice(rel.indexOf('/') + 1), f]);
  }
  return out;
}

/**
 * An image classification dataset from files a user picked: a folder per class, as torchvision's
 * `ImageFolder` reads one, the images decoded once when it is made.
 * @pytorch `torchvision.datasets.ImageFolder`
 */
export class ImageFilesDataset implements Dataset<[Tensor, number]> {
  /** [path under the folder, class index] of every image. */
  readonly samples: [string, number][];
  readonly targets: number[];
  readonly classToIdx: Record<string, number>;
  transform?: Transform;
  /** Maps each label before `get` returns it. */
  targetTransform?: (label: number) => number;

  constructor(
    readonly classes: string[],
    samples: [string, number][],
    private readonly images: Tensor[],
    opts: ImageFilesOptions = {},
  ) {
    this.samples = samples;
    this.targets = samples.map(([, t]) => t);
    this.classToIdx = Object.fromEntries(classes.map((c, i) => [c, i]));
    this.transform = opts.transform;
    this.targetTransform = opts.targetTransform;
  }

  get length(): number {
    return this.samples.length;
  }

  /** The decoded image of sample `index` (uint8 [3, H, W] with the default decoder), before any transform. */
  image(index: number): Tensor {
    return this.images[checkIndex(index, this.length)];
  }

  get(index: number): [Tensor, number] {
    const image = this.image(index);
    const target = this.samples[index][1];
    return [
      this.transform ? this.transform.apply(image) : image,
      this.targetTransform ? this.targetTransform(target) : target,
    ];
  }
}

/**
 * `ImageFolder` over picked files: `await imageFolderFromFiles(input.files, { transform })` for a
 * folder picked with `<input type="file" webkitdirectory>` (`photos/cat/1.png` is class `cat`), or
 * over `[path, Blob]` pairs (`['cat/1.png', blob]`). Files straight in the folder are skipped, as
 * torchvision skips them; a class folder without images, an undecodable file or an extension torchlit
 * cannot decode is an error naming it.
 * @pytorch `torchvision.datasets.ImageFolder`
 */
export async function imageFolderFromFiles(
  files: Iterable<PickedFile> | Iterable<[string, Blob]>,
  opts: ImageFilesOptions = {},
): Promise<ImageFilesDataset> {
  const valid = opts.isValidFile ?? ((path: string) => IMG_EXTENSIONS.includes(extension(path)));
  const byClass = new Map<string, [string, Blob][]>();
  const folders = new Set<string>();
  for (const [path, blob] of pathsOf(files)) {
    const slash = path.indexOf('/');
    if (slash <= 0) continue;
    const cls = path.slice(0, slash);
    folders.add(cls);
    if (!valid(path)) continue;
    if (!byClass.has(cls)) byClass.set(cls, []);
    byClass.get(cls)!.push([path, blob]);
  }
  const classes = [...folders].sort(byCodePoint);
  if (classes.length === 0)
    throw new Error('imageFolderFromFiles: no class folder among the files (a folder per class: cat/1.png, dog/2.png)');
  const empty = classes.filter((c) => !byClass.has(c));
  if (empty.length > 0)
    throw new Error(
      `Found no valid file for the classes ${empty.join(', ')}. Supported extensions are: ${IMG_EXTENSIONS.join(', ')}`,
    );
  const dirAndName = (p: string) => [p.slice(0, p.lastIndexOf('/')), p.slice(p.lastIndexOf('/') + 1)] as const;
  const ordered: [string, Blob, number][] = classes.flatMap((cls, index) =>
    byClass
      .get(cls)!
      .sort(([a], [b]) => {
        const [da, na] = dirAndName(a);
        const [db, nb] = dirAndName(b);
        return byCodePoint(da, db) || byCodePoint(na, nb);
      })
      .map(([p, blob]) => [p, blob, index] as [string, Blob, number]),
  );
  const max = opts.maxImages ?? 100_000;
  if (ordered.length > max)
    throw new Error(
      `imageFolderFromFiles: ${ordered.length} images, more than maxImages ${max} (each is decoded and held in memory); raise maxImages`,
    );
  const decode = opts.decode ?? decodeInPage;
  // A few decodes at a time: all at once would hold every file's bitmap in memory together.
  const images: Tensor[] = new Array<Tensor>(ordered.length);
  let next = 0;
  const decodeNext = async (): Promise<void> => {
    for (let i = next++; i < ordered.length; i = next++) images[i] = await decode(ordered[i][1], ordered[i][0]);
  };
  await Promise.all(Array.from({ length: Math.min(DECODES_AT_ONCE, ordered.length) }, decodeNext));
  return new ImageFilesDataset(
    classes,
    ordered.map(([p, , i]) => [p, i]),
    images,
    opts,
  );
}
