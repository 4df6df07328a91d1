import * as nb from '../../index.js';

const L = nb.keras.layers;

/** The smallest image side the three conv/pool stages accept (24 → 22 → 11 → 9 → 4 → 2 → 1). */
export const MIN_IMAGE_SIZE = 24;

export interface CatsDogsModelOptions {
  /** Seed of the augmentation layers' random streams (default: the global stream). */
  seed?: number;
  /** Adam's learning rate (default 1e-3). */
  learningRate?: number;
}

/**
 * The classic small binary convnet of the Keras "cats vs. dogs" examples, compiled with Adam,
 * binary crossentropy and accuracy:
 *
 * Rescaling 1/255 → RandomFlip horizontal → RandomRotation 0.1 → RandomZoom 0.1 →
 * [Conv2D 3x3 ReLU → MaxPool 2] with 32, 64, 128 filters → Flatten → Dropout 0.5 → Dense 1 sigmoid.
 *
 * The model takes raw RGB intensities 0..255 (float32 [n, h, w, 3], as
 * `nb.data.imageDatasetFromDirectory` yields them) and outputs P(second class). The augmentation
 * layers act only in training (inside `fit`); `predict` and `evaluate` see the images unchanged,
 * so a saved model needs no separate preprocessing step.
 *
 * @example
 * ```ts
 * const model = buildCatsDogsCnn([64, 64, 3], {seed: 1});
 * await model.fit(trainDataset, {epochs: 10, validationData: valDataset});
 * ```
 */
export function buildCatsDogsCnn(inputShape: [number, number, number], options: CatsDogsModelOptions = {}): nb.keras.Sequential {
  const [h, w] = inputShape;
  if (Math.min(h, w) < MIN_IMAGE_SIZE) {
    throw new nb.InvalidArgumentError(
      `cats_vs_dogs_cnn: images of ${h}x${w} are too small for three 3x3 conv + 2x2 pool stages; expected at least ${MIN_IMAGE_SIZE}x${MIN_IMAGE_SIZE}. Pass a larger image size (e.g. --image-size 64).`,
    );
  }
  const seed = options.seed;
  // Each augmentation layer gets its own seed so the three do not draw the same numbers.
  const layerSeed = (k: number): number | undefined => (seed === undefined ? undefined : (seed + k) >>> 0);
  const model = nb.keras.sequential(
    [
      L.inputLayer({ inputShape }),
      L.rescaling({ scale: 1 / 255, name: 'rescaling' }),
      L.randomFlip({ mode: 'horizontal', seed: layerSeed(1), name: 'random_flip' }),
      L.randomRotation({ factor: 0.1, seed: layerSeed(2), name: 'random_rotation' }),
      L.randomZoom({ heightFactor: 0.1, seed: layerSeed(3), name: 'random_zoom' }),
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ],
    { name: 'cats_vs_dogs_cnn' },
  );
  model.compile({ optimizer: new nb.keras.optimizers.Adam({ learningRate: options.learningRate ?? 1e-3 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}
