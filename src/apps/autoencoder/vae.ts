// The variational autoencoder of the Keras "Variational AutoEncoder" example, as a subclassed
// nb.keras.Model: a Functional encoder giving zMean and zLogVar, the reparameterisation trick, a
// Sequential decoder giving pixel logits, and a GradientTape training step on the negative ELBO
// (summed binary cross-entropy per image plus the KL divergence from the N(0, I) prior).
import * as nb from '../../index.js';

const L = nb.keras.layers;

export interface VaeOptions {
  /** Size of the latent code z (default 2, so the latent space can be drawn as a map). */
  latentDim?: number;
  /** Filters of the first encoder conv (default 16); the second has 2f, the decoder mirrors them. */
  filters?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
}

/** The three figures of a VAE batch, averaged per image: loss = recon + kl = -ELBO. */
export interface VaeLosses {
  /** Summed binary cross-entropy of the 784 pixels: -E[log p(x|z)] (one sample of z). */
  recon: number;
  /** KL(q(z|x) || N(0, I)) = -0.5 * sum(1 + logVar - mean^2 - exp(logVar)). */
  kl: number;
  /** recon + kl. */
  loss: number;
  /** -loss, the evidence lower bound (nats per image). */
  elbo: number;
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new nb.InvalidArgumentError(`vae: ${name} must be a positive integer, got ${String(v)}.`);
}

/**
 * 28x28x1 -> Conv f 3x3/2 ReLU -> Conv 2f 3x3/2 ReLU -> Flatten -> Dense 16 ReLU -> [zMean, zLogVar] (Dense latentDim each).
 *
 * @example
 * ```ts
 * const [zMean, zLogVar] = buildVaeEncoder(2, 16).predict(images) as nb.Tensor[];   // [n, 2] each
 * ```
 */
export function buildVaeEncoder(latentDim: number, filters: number): nb.keras.Functional {
  const inputs = nb.keras.input({ shape: [28, 28, 1], name: 'image' });
  let h = L.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(inputs) as nb.keras.SymbolicTensor;
  h = L.conv2d({ filters: 2 * filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(h) as nb.keras.SymbolicTensor;
  h = L.flatten().apply(h) as nb.keras.SymbolicTensor;
  h = L.dense({ units: 16, activation: 'relu' }).apply(h) as nb.keras.SymbolicTensor;
  const zMean = L.dense({ units: latentDim, name: 'z_mean' }).apply(h) as nb.keras.SymbolicTensor;
  const zLogVar = L.dense({ units: latentDim, name: 'z_log_var' }).apply(h) as nb.keras.SymbolicTensor;
  return nb.keras.model({ inputs, outputs: [zMean, zLogVar], name: 'vae_encoder' });
}

/**
 * z [latentDim] -> Dense 7*7*2f ReLU -> Reshape 7x7x2f -> ConvT 2f 3x3/2 ReLU -> ConvT f 3x3/2 ReLU -> ConvT 1 3x3 (pixel logits).
 *
 * @example
 * ```ts
 * const pixels = nb.sigmoid(buildVaeDecoder(2, 16).predict(nb.randomNormal([4, 2])) as nb.Tensor);   // [4, 28, 28, 1]
 * ```
 */
export function buildVaeDecoder(latentDim: number, filters: number): nb.keras.Sequential {
  return nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [latentDim] }),
      L.dense({ units: 7 * 7 * 2 * filters, activation: 'relu' }),
      L.reshape({ targetShape: [7, 7, 2 * filters] }),
      L.conv2dTranspose({ filters: 2 * filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      L.conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      L.conv2dTranspose({ filters: 1, kernelSize: 3, padding: 'same', name: 'pixel_logits' }),
    ],
    { name: 'vae_decoder' },
  );
}

/**
 * The reparameterisation trick: z = mean + exp(0.5 * logVar) * eps with eps ~ N(0, I) drawn from
 * nb's seeded generator, so gradients flow to mean and logVar (and through them to the encoder).
 *
 * @example
 * ```ts
 * nb.setSeed(1);
 * const z = sampleLatent(zMean, zLogVar);   // same shape as zMean
 * ```
 */
export function sampleLatent(zMean: nb.Tensor, zLogVar: nb.Tensor): nb.Tensor {
  const eps = nb.randomNormal(zMean.shape as number[]);
  return nb.add(zMean, nb.mul(nb.exp(nb.mul(zLogVar, 0.5)), eps));
}

/**
 * Per-image KL(N(mean, exp(logVar)) || N(0, I)), averaged over the batch (a scalar tensor).
 *
 * @example
 * ```ts
 * klDivergence(nb.tensor([[1, 0]]), nb.tensor([[0, 0]])).item();   // 0.5
 * ```
 */
export function klDivergence(zMean: nb.Tensor, zLogVar: nb.Tensor): nb.Tensor {
  const terms = nb.sub(nb.sub(nb.add(zLogVar, 1), nb.square(zMean)), nb.exp(zLogVar));
  return nb.mean(nb.mul(nb.sum(terms, 1), -0.5));
}

/**
 * Per-image binary cross-entropy summed over the pixels, averaged over the batch (a scalar tensor).
 *
 * @example
 * ```ts
 * const recon = reconstructionLoss(images, decoder.apply(z) as nb.Tensor);   // nats per image
 * ```
 */
export function reconstructionLoss(images: nb.Tensor, logits: nb.Tensor): nb.Tensor {
  return nb.mean(nb.sum(nb.sigmoidCrossEntropyWithLogits({ labels: images, logits }), [1, 2, 3]));
}

/**
 * A VAE as a subclassed Keras model: `encoder` (Functional, image -> [zMean, zLogVar]) and
 * `decoder` (Sequential, z -> pixel logits); `call` encodes, samples z and decodes to pixel
 * probabilities. `trainBatch` is the GradientTape step of the Keras example.
 *
 * @example
 * ```ts
 * nb.setSeed(1);
 * const vae = new Vae({latentDim: 2});
 * for (let step = 0; step < 100; step++) {
 *   const {elbo, recon, kl} = vae.trainBatch(batch);   // one Adam step on -ELBO
 * }
 * const images = vae.decode(nb.randomNormal([16, 2]));   // samples from the prior, in [0, 1]
 * ```
 */
export class Vae extends nb.keras.Model {
  readonly latentDim: number;
  readonly filters: number;
  readonly encoder: nb.keras.Functional;
  readonly decoder: nb.keras.Sequential;
  readonly vaeOptimizer: nb.keras.optimizers.Adam;

  constructor(options: VaeOptions = {}) {
    super({ name: 'vae' });
    this.latentDim = options.latentDim ?? 2;
    this.filters = options.filters ?? 16;
    checkPositiveInt('latentDim', this.latentDim);
    checkPositiveInt('filters', this.filters);
    this.encoder = buildVaeEncoder(this.latentDim, this.filters);
    this.decoder = buildVaeDecoder(this.latentDim, this.filters);
    this.vaeOptimizer = new nb.keras.optimizers.Adam({ learningRate: options.learningRate ?? 1e-3 });
  }

  private checkImages(images: nb.Tensor, where: string): void {
    const s = images.shape;
    if (s.length !== 4 || s[1] !== 28 || s[2] !== 28 || s[3] !== 1) {
      throw new nb.ShapeError(`vae.${where}: expected images [n, 28, 28, 1] in [0, 1], got [${s.join(', ')}]; add the channel axis with nb.expandDims(x, -1) and resize to 28x28.`);
    }
  }

  /** [zMean, zLogVar] of a batch of images. */
  encode(images: nb.Tensor, training = false): [nb.Tensor, nb.Tensor] {
    this.checkImages(images, 'encode');
    const [zMean, zLogVar] = this.encoder.apply(images, { training }) as unknown as nb.Tensor[];
    return [zMean!, zLogVar!];
  }

  /** Pixel probabilities [n, 28, 28, 1] of latent codes z [n, latentDim]. */
  decode(z: nb.Tensor): nb.Tensor {
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new nb.ShapeError(`vae.decode: expected latent codes [n, ${this.latentDim}], got [${z.shape.join(', ')}]; the model's latentDim is ${this.latentDim}.`);
    }
    return nb.sigmoid(this.decoder.apply(z) as nb.Tensor);
  }

  override call(inputs: Parameters<nb.keras.Model['call']>[0], args: nb.keras.layers.CallArgs = {}): nb.Tensor {
    const images = Array.isArray(inputs) ? (inputs[0] as nb.Tensor) : (inputs as nb.Tensor);
    const [zMean, zLogVar] = this.encode(images, args.training ?? false);
    return this.decode(sampleLatent(zMean, zLogVar));
  }

  /** The loss tensors of a batch, with one sample of z per image. */
  lossTensors(images: nb.Tensor, training = false): { loss: nb.Tensor; recon: nb.Tensor; kl: nb.Tensor } {
    const [zMean, zLogVar] = this.encode(images, training);
    const logits = this.decoder.apply(sampleLatent(zMean, zLogVar), { training }) as nb.Tensor;
    const recon = reconstructionLoss(images, logits);
    const kl = klDivergence(zMean, zLogVar);
    return { loss: nb.add(recon, kl), recon, kl };
  }

  /**
   * One Adam step on the negative ELBO of `images` (the Keras example's `train_step`, written
   * with a GradientTape); returns the batch's figures before the step.
   */
  trainBatch(images: nb.Tensor): VaeLosses {
    const tape = new nb.GradientTape();
    const t = tape.record(() => this.lossTensors(images, true));
    const vars = [...this.encoder.trainableWeights, ...this.decoder.trainableWeights];
    const grads = tape.gradient(t.loss, vars);
    this.vaeOptimizer.applyGradients(vars.map((v, i) => [grads[i] ?? null, v] as const));
    return figures(t);
  }

  /** The mean figures over `images` in batches, without training (one z sample per image). */
  evaluateLosses(images: nb.Tensor, batchSize = 256): VaeLosses {
    this.checkImages(images, 'evaluateLosses');
    const n = images.shape[0]!;
    let recon = 0;
    let kl = 0;
    for (let start = 0; start < n; start += batchSize) {
      const k = Math.min(batchSize, n - start);
      const batch = nb.slice(images, [start, 0, 0, 0], [k, 28, 28, 1]);
      const f = figures(this.lossTensors(batch, false));
      recon += f.recon * k;
      kl += f.kl * k;
    }
    return lossesOf(recon / n, kl / n);
  }
}

function lossesOf(recon: number, kl: number): VaeLosses {
  return { recon, kl, loss: recon + kl, elbo: -(recon + kl) };
}

function figures(t: { recon: nb.Tensor; kl: nb.Tensor }): VaeLosses {
  return lossesOf(t.recon.item() as number, t.kl.item() as number);
}
