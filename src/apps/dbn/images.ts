// Pictures of an RBM: its filters (each hidden unit's weights as an image) and Gibbs chains.
import * as nb from '../../index.js';
import type { RBM } from './rbm.js';

/** Gray between tiles. */
const BACKGROUND = 96;

/** The side of the square images behind `units` visible units; an InvalidArgumentError when they are not a square. */
export function imageSide(units: number): number {
  const side = Math.round(Math.sqrt(units));
  if (side * side !== units) {
    throw new nb.InvalidArgumentError(`DBN images: ${units} visible units are not a square image; pictures need e.g. 784 (28x28) or 64 (8x8) units.`);
  }
  return side;
}

/**
 * The first `count` hidden units' weight vectors of `rbm` as images [count, side, side, 1] of
 * pixel values 0..255, each min-max normalised on its own (so the pattern shows, not the scale).
 */
export function filterImages(rbm: RBM, count = 100): nb.Tensor {
  const side = imageSide(rbm.visibleUnits);
  const k = Math.min(count, rbm.hiddenUnits);
  const w = nb.transpose(nb.slice(rbm.weights, [0, 0], [rbm.visibleUnits, k]));
  const lo = nb.min(w, 1, true);
  const hi = nb.max(w, 1, true);
  const scaled = nb.div(nb.sub(w, lo), nb.maximum(nb.sub(hi, lo), 1e-8));
  return nb.reshape(nb.mul(scaled, 255), [k, side, side, 1]);
}

/**
 * A montage of the filters of {@link filterImages}, 10 per row; pixel values 0..255.
 *
 * @example
 * ```ts
 * writePng('filters.png', filterGrid(dbn.rbms[0], 100));
 * ```
 */
export function filterGrid(rbm: RBM, count = 100): nb.Tensor {
  return nb.data.image.montage(filterImages(rbm, count), { columns: 10, padding: 1, background: BACKGROUND });
}

/**
 * Runs Gibbs chains of `rbm` started from `start` [m, visibleUnits] (values in [0, 1]) and
 * returns one row per checkpoint in `checkpoints` (Gibbs steps, ascending; 0 is the start) with
 * the chains' visible probabilities as images [checkpoints.length * m, side, side, 1] of 0..255.
 */
export function gibbsImages(rbm: RBM, start: nb.Tensor, checkpoints: readonly number[]): nb.Tensor {
  const side = imageSide(rbm.visibleUnits);
  const m = start.shape[0]!;
  const rows: nb.Tensor[] = [];
  let h = rbm.sampleHidden(start);
  let done = 0;
  for (const step of checkpoints) {
    if (!Number.isInteger(step) || step < done) {
      throw new nb.InvalidArgumentError(`gibbsImages: checkpoints must be ascending integers >= 0, got [${checkpoints.join(', ')}].`);
    }
    if (step === 0) {
      rows.push(start);
      continue;
    }
    const chain = rbm.gibbsFromHidden(h, step - done);
    h = chain.hiddenSample;
    done = step;
    rows.push(chain.visible);
  }
  return nb.reshape(nb.mul(nb.concat(rows, 0), 255), [rows.length * m, side, side, 1]);
}

/**
 * A montage of {@link gibbsImages}: one row per checkpoint, one column per chain; pixel values 0..255.
 *
 * @example
 * ```ts
 * writePng('gibbs.png', gibbsGrid(rbm, nb.slice(x, [0, 0], [10, 784]), [0, 1, 10, 100]));
 * ```
 */
export function gibbsGrid(rbm: RBM, start: nb.Tensor, checkpoints: readonly number[]): nb.Tensor {
  return nb.data.image.montage(gibbsImages(rbm, start, checkpoints), { columns: start.shape[0]!, padding: 1, background: BACKGROUND });
}

/** Writes an image of pixel values 0..255 [h, w, c] as a PNG file. */
export function writePng(path: string, image: nb.Tensor): void {
  nb.data.image.writeImage(path, nb.cast(nb.clipByValue(nb.round(image), 0, 255), 'int32'));
}
