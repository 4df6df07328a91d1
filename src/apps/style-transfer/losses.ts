// The three losses of neural style transfer (Gatys et al. 2015), written with nabla ops so the
// gradient flows back to the image.
import * as nb from '../../index.js';

function hwc(where: string, features: nb.Tensor): [number, number, number] {
  if (features.rank !== 4 || features.shape[0] !== 1) {
    throw new nb.ShapeError(`${where}: expected feature maps [1, height, width, channels], got shape [${features.shape.join(', ')}].`);
  }
  return [features.shape[1]!, features.shape[2]!, features.shape[3]!];
}

/**
 * The normalised Gram matrix of feature maps `[1, h, w, c]`: `Fᵀ F / (h w)` with `F` the `[h w, c]`
 * matrix of features, i.e. the average over positions of the channel outer products. Normalising
 * by the number of positions makes Grams of images of different sizes comparable.
 *
 * @example
 * ```ts
 * gramMatrix(nb.ones([1, 2, 2, 3])); // [3, 3] of ones
 * ```
 */
export function gramMatrix(features: nb.Tensor): nb.Tensor {
  const [h, w, c] = hwc('gramMatrix', features);
  const f = nb.reshape(features, [h * w, c]);
  return nb.div(nb.matMul(f, f, true, false), h * w);
}

/**
 * Style loss of one layer with `c` channels: `Σ (G - A)² / (4 c²)` between normalised Grams,
 * which equals Gatys et al.'s `1/(4 N² M²) Σ (G - A)²` on unnormalised ones.
 */
export function styleLayerLoss(gram: nb.Tensor, target: nb.Tensor): nb.Tensor {
  const c = gram.shape[0]!;
  return nb.div(nb.sum(nb.square(nb.sub(gram, target))), 4 * c * c);
}

/** Content loss: the mean squared difference of two feature maps. */
export function contentLoss(features: nb.Tensor, target: nb.Tensor): nb.Tensor {
  return nb.mean(nb.square(nb.sub(features, target)));
}

/**
 * Total-variation loss of an image `[1, h, w, c]` (as the Keras example, averaged instead of
 * summed): the mean over the `(h-1)(w-1)c` positions of `((x[i,j] - x[i+1,j])² + (x[i,j] - x[i,j+1])²)^1.25`.
 * It penalises high-frequency noise in the optimised image.
 */
export function totalVariationLoss(image: nb.Tensor): nb.Tensor {
  const [h, w, c] = hwc('totalVariationLoss', image);
  const corner = nb.slice(image, [0, 0, 0, 0], [1, h - 1, w - 1, c]);
  const down = nb.slice(image, [0, 1, 0, 0], [1, h - 1, w - 1, c]);
  const right = nb.slice(image, [0, 0, 1, 0], [1, h - 1, w - 1, c]);
  const a = nb.square(nb.sub(corner, down));
  const b = nb.square(nb.sub(corner, right));
  return nb.mean(nb.pow(nb.add(a, b), 1.25));
}
