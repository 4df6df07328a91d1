// Pictures of the autoencoder apps, as pixel tensors 0..255 [H, W, 1] ready for writeImage:
// originals above their reconstructions, the VAE's decoded latent map and samples from the prior.
import * as nb from '../../index.js';
import type { Vae } from './vae.js';

/** Gray between tiles, so dark and light clothes both stand out. */
const BACKGROUND = 96;

const toPixels = (x: nb.Tensor): nb.Tensor => nb.clipByValue(nb.mul(x, 255), 0, 255);

function checkBatch(op: string, x: nb.Tensor): void {
  if (x.rank !== 4) throw new nb.ShapeError(`${op}: expected images [n, h, w, c] in [0, 1], got shape [${x.shape.join(', ')}].`);
}

/**
 * A grid of `rows` pairs of rows: `columns` originals, then their reconstructions right below.
 * Both batches are [n, h, w, c] in [0, 1] with the same shape; the first rows*columns are shown.
 *
 * @example
 * ```ts
 * const grid = reconstructionGrid(testImages, model.predict(testImages) as nb.Tensor);
 * nb.data.image.writeImage('recon.png', grid);
 * ```
 */
export function reconstructionGrid(originals: nb.Tensor, reconstructions: nb.Tensor, columns = 10, rows = 2): nb.Tensor {
  checkBatch('reconstructionGrid', originals);
  if (originals.shape.join() !== reconstructions.shape.join()) {
    throw new nb.ShapeError(`reconstructionGrid: originals [${originals.shape.join(', ')}] and reconstructions [${reconstructions.shape.join(', ')}] must have the same shape.`);
  }
  const n = originals.shape[0]!;
  const k = Math.min(columns, n);
  const tiles: nb.Tensor[] = [];
  for (let r = 0; r < rows && r * k < n; r++) {
    const m = Math.min(k, n - r * k);
    const take = (x: nb.Tensor) => nb.slice(x, [r * k, 0, 0, 0], [m, ...x.shape.slice(1)]);
    const pad = (x: nb.Tensor) => (m === k ? x : nb.concat([x, nb.zeros([k - m, ...x.shape.slice(1)])], 0));
    tiles.push(pad(take(originals)), pad(take(reconstructions)));
  }
  return nb.data.image.montage(toPixels(nb.concat(tiles, 0)), { columns: k, padding: 2, background: BACKGROUND });
}

/**
 * The latent values of a `size` x `size` map: the first two latent dimensions run evenly over
 * [-range, range] (top to bottom falls on dimension 2, left to right rises on dimension 1), the
 * others stay 0. Returns [size*size, latentDim].
 *
 * @example
 * ```ts
 * latentGrid(2, 3, 1).arraySync();   // [[-1, 1], [0, 1], [1, 1], [-1, 0], ..., [1, -1]]
 * ```
 */
export function latentGrid(latentDim: number, size = 15, range = 2): nb.Tensor {
  if (!Number.isInteger(size) || size < 2) throw new nb.InvalidArgumentError(`latentGrid: size must be an integer >= 2, got ${String(size)}.`);
  const z = new Float32Array(size * size * latentDim);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const row = (i * size + j) * latentDim;
      z[row] = -range + (2 * range * j) / (size - 1);
      if (latentDim > 1) z[row + 1] = range - (2 * range * i) / (size - 1);
    }
  }
  return nb.tensor(z, [size * size, latentDim]);
}

/**
 * The VAE's decoded latent space: one tile per point of `latentGrid`, with no padding so the
 * images blend into one map.
 *
 * @example
 * ```ts
 * nb.data.image.writeImage('latent-map.png', latentMap(vae, 15, 2));
 * ```
 */
export function latentMap(vae: Vae, size = 15, range = 2): nb.Tensor {
  const images = vae.decode(latentGrid(vae.latentDim, size, range));
  return nb.data.image.montage(toPixels(images), { columns: size, padding: 0 });
}

/**
 * A grid of `n` images decoded from z ~ N(0, I) (the prior), drawn from nb's seeded generator.
 *
 * @example
 * ```ts
 * nb.data.image.writeImage('samples.png', priorSamples(vae, 64));
 * ```
 */
export function priorSamples(vae: Vae, n = 64, columns = 8): nb.Tensor {
  const images = vae.decode(nb.randomNormal([n, vae.latentDim]));
  return nb.data.image.montage(toPixels(images), { columns, padding: 2, background: BACKGROUND });
}
