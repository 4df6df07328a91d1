// The convolutional autoencoder: a Keras Sequential model, strided Conv2D encoder down to a 7x7
// bottleneck, Conv2DTranspose decoder back to 28x28, sigmoid output, trained by `fit` on binary
// cross-entropy against its own input.
import * as nb from '../../index.js';

const L = nb.keras.layers;

export interface ConvAutoencoderOptions {
  /** Filters of the first encoder conv and of both transposed convs (default 16). */
  filters?: number;
  /** Channels of the 7x7 bottleneck (default 4: 196 numbers per image, a quarter of the 784 pixels). */
  bottleneckChannels?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
}

/**
 * 28x28x1 -> Conv f 3x3/2 ReLU (14x14) -> Conv b 3x3/2 ReLU (7x7xb, the bottleneck) ->
 * ConvT f 3x3/2 ReLU (14x14) -> ConvT f 3x3/2 ReLU (28x28) -> Conv 1 3x3 sigmoid. Compiled with
 * Adam and binary cross-entropy (per pixel), with MSE as a metric.
 *
 * @example
 * ```ts
 * const ae = buildConvAutoencoder({filters: 8});
 * await ae.fit(images, images, {epochs: 2, batchSize: 64});
 * const recon = ae.predict(images) as nb.Tensor;   // [n, 28, 28, 1] in [0, 1]
 * ```
 */
export function buildConvAutoencoder(options: ConvAutoencoderOptions = {}): nb.keras.Sequential {
  const f = options.filters ?? 16;
  const b = options.bottleneckChannels ?? 4;
  for (const [name, v] of [['filters', f], ['bottleneckChannels', b]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new nb.InvalidArgumentError(`conv autoencoder: ${name} must be a positive integer, got ${String(v)}.`);
  }
  const model = nb.keras.sequential(
    [
      L.inputLayer({ inputShape: [28, 28, 1] }),
      L.conv2d({ filters: f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'encoder_conv1' }),
      L.conv2d({ filters: b, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'bottleneck' }),
      L.conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'decoder_convt1' }),
      L.conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'decoder_convt2' }),
      L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', name: 'reconstruction' }),
    ],
    { name: 'conv_autoencoder' },
  );
  model.compile({ optimizer: new nb.keras.optimizers.Adam({ learningRate: options.learningRate ?? 1e-3 }), loss: 'binaryCrossentropy', metrics: ['mse'] });
  return model;
}

/**
 * Mean squared error per pixel between two image batches of the same shape.
 *
 * @example
 * ```ts
 * meanSquaredError(nb.zeros([1, 2, 2, 1]), nb.ones([1, 2, 2, 1]));   // 1
 * ```
 */
export function meanSquaredError(a: nb.Tensor, b: nb.Tensor): number {
  return nb.mean(nb.square(nb.sub(a, b))).item() as number;
}

/**
 * The baseline a reconstruction must beat: the MSE of predicting every test image by the mean
 * training image.
 *
 * @example
 * ```ts
 * const baseline = meanImageError(data.trainImages, data.testImages);   // ~0.087 on Fashion-MNIST
 * ```
 */
export function meanImageError(train: nb.Tensor, test: nb.Tensor): number {
  const meanImage = nb.mean(train, 0, true);
  return meanSquaredError(nb.broadcastTo(meanImage, test.shape), test);
}
