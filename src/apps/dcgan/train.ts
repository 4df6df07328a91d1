// `nabla train dcgan`: DCGAN with the TensorFlow tutorial's custom GradientTape training step.
import * as nb from '../../index.js';
import { runGanApp, type GanRunOptions, type GanRunResult } from '../gan/run.js';
import { buildDcgan, dcganTrainStep, type DcganOptions } from './model.js';

export interface DcganTrainOptions extends GanRunOptions, DcganOptions {}

/**
 * Trains DCGAN as the TensorFlow tutorial does (two GradientTapes per step, Adam 2e-4, beta1 0.5);
 * saves sample grids, the generator and a report with the FID-style score.
 *
 * @example
 * ```ts
 * const result = await trainDcgan({dataset: 'fashion-mnist', epochs: 20, outDir: 'runs/dcgan'});
 * console.log(result.fid);
 * ```
 */
export async function trainDcgan(options: DcganTrainOptions = {}): Promise<GanRunResult> {
  return runGanApp({ epochs: 10, batchSize: 64 }, options, () => {
    const gan = buildDcgan(options);
    const f = options.filters ?? 64;
    return {
      kind: 'dcgan',
      title: 'DCGAN (TensorFlow tutorial, GradientTape loop)',
      latentDim: gan.latentDim,
      generator: gan.generator,
      step: (real) => ({ ...dcganTrainStep(gan, real) }),
      generate: (noise) => gan.generator.predict(noise, { batchSize: 256 }) as nb.Tensor,
      lossKeys: ['dLoss', 'gLoss'],
      settings: [
        ['generator', `noise ${gan.latentDim} -> Dense 7x7x${4 * f} BN LeakyReLU -> ConvT ${2 * f} 5x5 BN LeakyReLU -> ConvT ${f} 5x5/2 BN LeakyReLU -> ConvT 1 5x5/2 tanh`],
        ['discriminator', `28x28x1 -> Conv ${f} 5x5/2 LeakyReLU Dropout 0.3 -> Conv ${2 * f} 5x5/2 LeakyReLU Dropout 0.3 -> Dense 1 (logit)`],
        ['training', 'custom GradientTape step: generator and discriminator losses (BCE from logits), one Adam per network'],
        ['optimizer', `Adam, learning rate ${options.learningRate ?? 2e-4}, beta1 0.5`],
      ],
    };
  });
}
