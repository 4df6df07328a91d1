import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { sharedData } from '../util/shared-data.js';

const L = nb.keras.layers;

// Pixels standardised with the training set's mean and standard deviation (0.2860, 0.3530 of 255).
function prepare([x, y]: [nb.Tensor, nb.Tensor]): [nb.Tensor, nb.Tensor] {
  const scaled = nb.div(nb.reshape(nb.cast(x, 'float32'), [x.shape[0]!, 784]), 255);
  return [nb.div(nb.sub(scaled, 0.286), 0.353), y];
}

test('an MLP on Fashion-MNIST reaches >= 85% test accuracy after 1 epoch of fit', async (t) => {
  const data = nb.datasets.fashionMnist.load({ path: sharedData('fashion-mnist') });
  const [xTrain, yTrain] = prepare(data.train);
  const [xTest, yTest] = prepare(data.test);
  nb.setSeed(42);
  const model = nb.keras.sequential([
    L.dense({ units: 256, activation: 'relu', inputShape: [784] }),
    L.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xTrain, yTrain, { epochs: 1, batchSize: 32, verbose: 0 });
  const { accuracy } = model.evaluate(xTest, yTest, { batchSize: 1000 });
  t.diagnostic(`test accuracy ${accuracy!.toFixed(4)}, train accuracy ${history.history['accuracy']![0]!.toFixed(4)}`);
  assert.ok(accuracy! >= 0.85, `test accuracy ${accuracy} (train ${history.history['accuracy']![0]})`);
});
