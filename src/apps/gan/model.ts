// The basic GAN's networks, written as the Keras pseudo-code does it: MLPs on 28x28x1 images in
// [-1, 1], a compiled discriminator, and a combined model with the discriminator frozen.
import * as nb from '../../index.js';

const L = nb.keras.layers;

/** Image shape every GAN app works on: 28x28 grayscale, values in [-1, 1]. */
export const IMAGE_SHAPE: [number, number, number] = [28, 28, 1];

export interface MlpGanOptions {
  /** Size of the noise vector (default 64). */
  latentDim?: number;
  /** Units of the hidden layers (default 256). */
  hidden?: number;
  /** Adam learning rate of both models (default 2e-4, beta1 0.5). */
  learningRate?: number;
}

/** Adam as DCGAN and the Keras GAN examples use it: beta1 0.5. */
export function ganAdam(learningRate = 2e-4): nb.keras.optimizers.Adam {
  return new nb.keras.optimizers.Adam({ learningRate, beta1: 0.5 });
}

/** Generator: noise [latentDim] -> Dense+LeakyReLU x2 -> Dense 784 tanh -> 28x28x1. */
export function buildMlpGenerator(options: MlpGanOptions = {}): nb.keras.Sequential {
  const latentDim = options.latentDim ?? 64;
  const hidden = options.hidden ?? 256;
  return nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [latentDim] }),
      L.dense({ units: hidden }),
      L.leakyReLU({ alpha: 0.2 }),
      L.dense({ units: hidden * 2 }),
      L.leakyReLU({ alpha: 0.2 }),
      L.dense({ units: 28 * 28, activation: 'tanh' }),
      L.reshape({ targetShape: IMAGE_SHAPE }),
    ],
    { name: 'generator' },
  );
}

/** Discriminator: 28x28x1 -> Flatten -> Dense+LeakyReLU x2 -> Dense 1 sigmoid, compiled with BCE. */
export function buildMlpDiscriminator(options: MlpGanOptions = {}): nb.keras.Sequential {
  const hidden = options.hidden ?? 256;
  const d = nb.keras.sequential(
    [
      L.inputLayer({ inputShape: IMAGE_SHAPE }),
      L.flatten(),
      L.dense({ units: hidden * 2 }),
      L.leakyReLU({ alpha: 0.2 }),
      L.dense({ units: hidden }),
      L.leakyReLU({ alpha: 0.2 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ],
    { name: 'discriminator' },
  );
  d.compile({ optimizer: ganAdam(options.learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return d;
}

/**
 * The combined model `D(G(z))` with the discriminator frozen (`trainable = false` before
 * compiling), so its `trainOnBatch(noise, ones)` moves only the generator's weights. The
 * discriminator, compiled before it was frozen, still trains through its own `trainOnBatch`.
 */
export function buildCombined(generator: nb.keras.Model, discriminator: nb.keras.Model, latentDim: number, learningRate?: number): nb.keras.Functional {
  discriminator.trainable = false;
  const z = nb.keras.input({ shape: [latentDim], name: 'noise' });
  const combined = nb.keras.model({ inputs: z, outputs: discriminator.apply(generator.apply(z)), name: 'gan' });
  combined.compile({ optimizer: ganAdam(learningRate), loss: 'binaryCrossentropy' });
  return combined;
}

/** The three models of the basic GAN. */
export interface Gan {
  generator: nb.keras.Sequential;
  discriminator: nb.keras.Sequential;
  combined: nb.keras.Functional;
  latentDim: number;
}

/** Builds G, the compiled D and the combined model with D frozen. */
export function buildGan(options: MlpGanOptions = {}): Gan {
  const generator = buildMlpGenerator(options);
  const discriminator = buildMlpDiscriminator(options);
  const combined = buildCombined(generator, discriminator, options.latentDim ?? 64, options.learningRate);
  return { generator, discriminator, combined, latentDim: options.latentDim ?? 64 };
}

/** Losses and accuracy of one round of the Keras GAN loop. */
export interface GanStep {
  dLossReal: number;
  dLossFake: number;
  dAccReal: number;
  dAccFake: number;
  gLoss: number;
}

/**
 * One round of the Keras pattern: D.trainOnBatch(real, ones), D.trainOnBatch(G.predict(noise),
 * zeros), combined.trainOnBatch(noise, ones).
 */
export function ganTrainStep(gan: Gan, real: nb.Tensor): GanStep {
  const n = real.shape[0]!;
  const ones = nb.ones([n, 1]);
  const zeros = nb.zeros([n, 1]);
  const [dLossReal, dAccReal] = gan.discriminator.trainOnBatch(real, ones) as number[];
  const fake = gan.generator.predict(nb.randomNormal([n, gan.latentDim])) as nb.Tensor;
  const [dLossFake, dAccFake] = gan.discriminator.trainOnBatch(fake, zeros) as number[];
  const gLoss = gan.combined.trainOnBatch(nb.randomNormal([n, gan.latentDim]), ones) as number;
  return { dLossReal: dLossReal!, dLossFake: dLossFake!, dAccReal: dAccReal!, dAccFake: dAccFake!, gLoss };
}
