// DCGAN as the TensorFlow tutorial builds it: a Dense -> Reshape -> Conv2DTranspose generator with
// BatchNormalization and LeakyReLU ending in tanh, and a strided-conv discriminator with
// LeakyReLU and Dropout that outputs a logit. Trained with a hand-written GradientTape step.
import * as nb from '../../index.js';

const L = nb.keras.layers;

export interface DcganOptions {
  /** Size of the noise vector (default 100, as the tutorial). */
  latentDim?: number;
  /**
   * Base number of filters (default 64, the tutorial's size): the generator uses 4f, 2f, f and
   * the discriminator f, 2f. Smaller values train faster (tests use 8).
   */
  filters?: number;
  /** Adam learning rate (default 2e-4, beta1 0.5). */
  learningRate?: number;
}

/** Noise [latentDim] -> Dense 7*7*4f -> BN, LeakyReLU -> 7x7x4f -> ConvT 2f (7x7) -> ConvT f (14x14) -> ConvT 1 tanh (28x28). */
export function buildDcganGenerator(options: DcganOptions = {}): nb.keras.Sequential {
  const latentDim = options.latentDim ?? 100;
  const f = options.filters ?? 64;
  return nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [latentDim] }),
      L.dense({ units: 7 * 7 * 4 * f, useBias: false }),
      L.batchNormalization(),
      L.leakyReLU({ alpha: 0.3 }),
      L.reshape({ targetShape: [7, 7, 4 * f] }),
      L.conv2dTranspose({ filters: 2 * f, kernelSize: 5, strides: 1, padding: 'same', useBias: false }),
      L.batchNormalization(),
      L.leakyReLU({ alpha: 0.3 }),
      L.conv2dTranspose({ filters: f, kernelSize: 5, strides: 2, padding: 'same', useBias: false }),
      L.batchNormalization(),
      L.leakyReLU({ alpha: 0.3 }),
      L.conv2dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', useBias: false, activation: 'tanh' }),
    ],
    { name: 'dcgan_generator' },
  );
}

/** 28x28x1 -> Conv f stride 2, LeakyReLU, Dropout 0.3 -> Conv 2f stride 2, LeakyReLU, Dropout 0.3 -> Flatten -> Dense 1 (logit). */
export function buildDcganDiscriminator(options: DcganOptions = {}): nb.keras.Sequential {
  const f = options.filters ?? 64;
  return nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [28, 28, 1] }),
      L.conv2d({ filters: f, kernelSize: 5, strides: 2, padding: 'same' }),
      L.leakyReLU({ alpha: 0.3 }),
      L.dropout({ rate: 0.3 }),
      L.conv2d({ filters: 2 * f, kernelSize: 5, strides: 2, padding: 'same' }),
      L.leakyReLU({ alpha: 0.3 }),
      L.dropout({ rate: 0.3 }),
      L.flatten(),
      L.dense({ units: 1 }),
    ],
    { name: 'dcgan_discriminator' },
  );
}

/** Generator, discriminator and their two Adam optimizers. */
export interface Dcgan {
  generator: nb.keras.Sequential;
  discriminator: nb.keras.Sequential;
  generatorOptimizer: nb.keras.optimizers.Adam;
  discriminatorOptimizer: nb.keras.optimizers.Adam;
  latentDim: number;
}

export function buildDcgan(options: DcganOptions = {}): Dcgan {
  const lr = options.learningRate ?? 2e-4;
  return {
    generator: buildDcganGenerator(options),
    discriminator: buildDcganDiscriminator(options),
    generatorOptimizer: new nb.keras.optimizers.Adam({ learningRate: lr, beta1: 0.5 }),
    discriminatorOptimizer: new nb.keras.optimizers.Adam({ learningRate: lr, beta1: 0.5 }),
    latentDim: options.latentDim ?? 100,
  };
}

const bce = (labels: nb.Tensor, logits: nb.Tensor): nb.Tensor => nb.mean(nb.keras.losses.binaryCrossentropy(labels, logits, { fromLogits: true }));

/** The tutorial's discriminator loss: real logits against ones plus fake logits against zeros. */
export function discriminatorLoss(realLogits: nb.Tensor, fakeLogits: nb.Tensor): nb.Tensor {
  return nb.add(bce(nb.onesLike(realLogits), realLogits), bce(nb.zerosLike(fakeLogits), fakeLogits));
}

/** The tutorial's generator loss: fake logits against ones. */
export function generatorLoss(fakeLogits: nb.Tensor): nb.Tensor {
  return bce(nb.onesLike(fakeLogits), fakeLogits);
}

/** Losses of one DCGAN step, and how often D called real images real and fakes fake (logit sign). */
export interface DcganStep {
  dLoss: number;
  gLoss: number;
  dAccReal: number;
  dAccFake: number;
}

const shareAbove = (logits: nb.Tensor, positive: boolean): number => {
  const v = logits.dataSync();
  let k = 0;
  for (let i = 0; i < v.length; i++) if (v[i]! > 0 === positive) k++;
  return k / v.length;
};

/**
 * One `train_step` of the tutorial: both networks run under two GradientTapes, each optimizer
 * applies the gradient of its own loss to its own network's trainable weights.
 */
export function dcganTrainStep(gan: Dcgan, real: nb.Tensor): DcganStep {
  const n = real.shape[0]!;
  const noise = nb.randomNormal([n, gan.latentDim]);
  const gTape = new nb.GradientTape();
  const dTape = new nb.GradientTape();
  const { gLoss, dLoss, realLogits, fakeLogits } = gTape.record(() =>
    dTape.record(() => {
      const fake = gan.generator.apply(noise, { training: true }) as nb.Tensor;
      const realOut = gan.discriminator.apply(real, { training: true }) as nb.Tensor;
      const fakeOut = gan.discriminator.apply(fake, { training: true }) as nb.Tensor;
      return { gLoss: generatorLoss(fakeOut), dLoss: discriminatorLoss(realOut, fakeOut), realLogits: realOut, fakeLogits: fakeOut };
    }),
  );
  const gVars = gan.generator.trainableWeights;
  const dVars = gan.discriminator.trainableWeights;
  const gGrads = gTape.gradient(gLoss, gVars);
  const dGrads = dTape.gradient(dLoss, dVars);
  gan.generatorOptimizer.applyGradients(gVars.map((v, i) => [gGrads[i] ?? null, v] as const));
  gan.discriminatorOptimizer.applyGradients(dVars.map((v, i) => [dGrads[i] ?? null, v] as const));
  return {
    dLoss: dLoss.item() as number,
    gLoss: gLoss.item() as number,
    dAccReal: shareAbove(realLogits, true),
    dAccFake: shareAbove(fakeLogits, false),
  };
}
