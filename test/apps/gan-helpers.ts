import * as nb from '../../src/index.js';
import { buildGan, ganTrainStep } from '../../src/apps/gan/model.js';
import { loadGanData } from '../../src/apps/gan/data.js';

/**
 * Trains the Keras-pattern MLP GAN (hidden 64, noise 32, batch 32) on the shipped digits for
 * `steps` rounds and returns the mean absolute gap between the mean generated image and the mean
 * training image, after over before training (1: no progress).
 */
export function meanGapRatio(seed: number, steps: number): number {
  const x = loadGanData({ dataset: 'digits' }).images;
  const meanReal = nb.mean(x, 0);
  const gap = (g: nb.Tensor): number => nb.mean(nb.abs(nb.sub(nb.mean(g, 0), meanReal))).item() as number;
  nb.setSeed(seed);
  const gan = buildGan({ hidden: 64, latentDim: 32 });
  const probe = nb.randomNormal([256, 32]);
  const before = gap(gan.generator.predict(probe) as nb.Tensor);
  for (let s = 0; s < steps; s++) ganTrainStep(gan, nb.gather(x, nb.randomUniform([32], 0, x.shape[0]!, 'int32')));
  return gap(gan.generator.predict(probe) as nb.Tensor) / before;
}
