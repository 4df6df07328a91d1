// Sample images of the GAN apps: a grid per epoch from a fixed noise batch, and a strip with one
// row per epoch showing how the same noise vectors evolved.
import * as nb from '../../index.js';
import { toPixels } from './data.js';

/** Gray between tiles, so white-on-black and black-on-white images both stand out. */
const BACKGROUND = 96;

/** A grid of generated images (tanh range [-1, 1], [n, h, w, c]) as pixel values 0..255. */
export function sampleGrid(images: nb.Tensor, columns = 8): nb.Tensor {
  return nb.data.image.montage(toPixels(images), { columns, padding: 2, background: BACKGROUND });
}

/** Writes the grid of `images` to a PNG file. */
export function writeSampleGrid(path: string, images: nb.Tensor, columns = 8): void {
  nb.data.image.writeImage(path, sampleGrid(images, columns));
}

/**
 * One row per epoch of the first `perRow` samples of each epoch's batch (same noise, so each
 * column follows one noise vector through training); returns the image 0..255.
 */
export function progressStrip(epochSamples: readonly nb.Tensor[], perRow = 8): nb.Tensor {
  if (epochSamples.length === 0) throw new nb.InvalidArgumentError('progressStrip: no epochs to show; train at least one epoch.');
  const rows = epochSamples.map((s) => {
    const k = Math.min(perRow, s.shape[0]!);
    return nb.slice(s, [0, 0, 0, 0], [k, ...s.shape.slice(1)]);
  });
  const k = rows[0]!.shape[0]!;
  return nb.data.image.montage(toPixels(nb.concat(rows, 0)), { columns: k, padding: 2, background: BACKGROUND });
}
