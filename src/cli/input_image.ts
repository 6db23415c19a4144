import { existsSync } from 'node:fs';
import { readImage, type ImageReadMode } from '../io/image.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeFsError } from '../util/fs_error.js';
import { UsageError } from './args.js';

/** An image file named on the command line; a missing, unreadable or undecodable one is a UsageError. */
export function inputImage(file: string, mode: ImageReadMode): Tensor {
  if (!existsSync(file)) throw new UsageError(`image ${file} does not exist`);
  try {
    return readImage(file, mode);
  } catch (e) {
    throw new UsageError(describeFsError(e) ?? (e as Error).message);
  }
}
