import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadIris } from '../../src/apps/iris/data.js';
import { trainIris } from '../../src/apps/iris/train.js';
import { sharedData } from '../util/shared-data.js';

// The real iris table from the shared data folder (the package ships an identical copy).
const data = loadIris(sharedData('tabular', 'iris.csv'));

test('a 2-layer MLP trained with GradientTape and SGD reaches >= 95% training accuracy on iris', () => {
  const result = trainIris({ data, epochs: 300, learningRate: 0.1, seed: 42 });
  assert.ok(result.trainAccuracy >= 0.95, `train accuracy ${result.trainAccuracy}`);
  assert.ok(result.finalLoss < 0.2, `final loss ${result.finalLoss}`);
});

test('the same seed gives bit-identical training results; another seed does not', () => {
  const a = trainIris({ data, epochs: 20, seed: 7 });
  const b = trainIris({ data, epochs: 20, seed: 7 });
  const c = trainIris({ data, epochs: 20, seed: 8 });
  assert.equal(a.finalLoss, b.finalLoss);
  assert.equal(a.trainAccuracy, b.trainAccuracy);
  assert.notEqual(a.finalLoss, c.finalLoss);
});
