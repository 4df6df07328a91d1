import * as nb from '../../index.js';

const L = nb.keras.layers;

/**
 * The Keras example "mnist_convnet": Conv2D 32 3x3 ReLU → MaxPool 2 → Conv2D 64 3x3 ReLU →
 * MaxPool 2 → Flatten → Dropout 0.5 → Dense softmax, compiled with Adam, sparse categorical
 * crossentropy and accuracy.
 *
 * The model takes raw pixel intensities 0..255 (float32 [n, h, w, 1]); its first layer rescales
 * them to 0..1, so a saved model needs no separate preprocessing step.
 *
 * Images smaller than 16x16 (the 8x8 UCI digits) use `padding: 'same'` in both convolutions:
 * 8x8 → conv 8x8x32 → pool 4x4 → conv 4x4x64 → pool 2x2 → 256 features, the same layers as
 * for 28x28 (where 'valid' padding gives 26 → 13 → 11 → 5, 1600 features).
 */
export function buildConvnet(inputShape: [number, number, number], numClasses: number): nb.keras.Sequential {
  const padding = Math.min(inputShape[0], inputShape[1]) < 16 ? 'same' : 'valid';
  const model = nb.keras.sequential(
    [
      L.inputLayer({ inputShape }),
      L.rescaling({ scale: 1 / 255, name: 'rescaling' }),
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: numClasses, activation: 'softmax' }),
    ],
    { name: 'mnist_convnet' },
  );
  model.compile({ optimizer: new nb.keras.optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
