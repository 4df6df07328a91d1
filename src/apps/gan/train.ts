// `nabla train gan`: the basic GAN written the way the Keras pseudo-code does it.
import * as nb from '../../index.js';
import { buildGan, ganTrainStep, type MlpGanOptions } from './model.js';
import { runGanApp, type GanRunOptions, type GanRunResult } from './run.js';

export interface GanTrainOptions extends GanRunOptions, MlpGanOptions {}

/**
 * Trains the basic MLP GAN: per batch D.trainOnBatch(real, ones), D.trainOnBatch(G.predict(noise),
 * zeros), combined.trainOnBatch(noise, ones) with D frozen in the combined model; saves sample
 * grids, the generator and a report.
 *
 * @example
 * ```ts
 * const result = await trainGan({dataset: 'digits', epochs: 5, outDir: 'runs/gan'});
 * console.log(result.fidInitial, '->', result.fid);
 * ```
 */
export async function trainGan(options: GanTrainOptions = {}): Promise<GanRunResult> {
  return runGanApp({ epochs: 20, batchSize: 64 }, options, () => {
    const gan = buildGan(options);
    const hidden = options.hidden ?? 256;
    return {
      kind: 'gan',
      title: 'Basic GAN (MLP, Keras pattern)',
      latentDim: gan.latentDim,
      generator: gan.generator,
      step: (real) => ({ ...ganTrainStep(gan, real) }),
      generate: (noise) => gan.generator.predict(noise, { batchSize: 256 }) as nb.Tensor,
      lossKeys: ['dLossReal', 'dLossFake', 'gLoss'],
      settings: [
        ['generator', `noise ${gan.latentDim} -> Dense ${hidden} LeakyReLU -> Dense ${hidden * 2} LeakyReLU -> Dense 784 tanh -> 28x28x1`],
        ['discriminator', `28x28x1 -> Flatten -> Dense ${hidden * 2} LeakyReLU -> Dense ${hidden} LeakyReLU -> Dense 1 sigmoid; binary cross-entropy`],
        ['training', 'D.trainOnBatch(real, ones); D.trainOnBatch(G.predict(noise), zeros); combined.trainOnBatch(noise, ones) with D frozen'],
        ['optimizer', `Adam, learning rate ${options.learningRate ?? 2e-4}, beta1 0.5 (D and combined)`],
      ],
    };
  });
}
