import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { checkLayer } from './layer-check.js';
import { rand } from '../util/gradcheck.js';
import { InstanceNormalization, instanceNormalization } from '../../src/keras/layers/normalization/instance-normalization.js';

test('InstanceNormalization: shapes, gradients (inputs, gamma, beta) against central differences, config round-trip', () => {
  checkLayer(() => instanceNormalization({ gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }), InstanceNormalization, {
    inputShapes: [[2, 3, 3, 2]],
    expectedShape: [2, 3, 3, 2],
  });
  checkLayer(() => instanceNormalization({ axis: 1, gammaInitializer: 'randomNormal', epsilon: 1e-2 }), InstanceNormalization, {
    inputShapes: [[2, 3, 4]],
    expectedShape: [2, 3, 4],
    training: true,
  });
  checkLayer(() => instanceNormalization({ center: false }), InstanceNormalization, { inputShapes: [[3, 5, 2]], expectedShape: [3, 5, 2] });
});

test('InstanceNormalization: per example and channel, zero mean and unit variance over the spatial positions', () => {
  const x = nb.add(nb.mul(rand([2, 4, 4, 3], -1, 1, 9), nb.tensor([3, 0.5, 10])), nb.tensor([5, -2, 0]));
  const layer = instanceNormalization({ epsilon: 1e-5 });
  const y = layer.apply(x).dataSync();
  const xs = x.dataSync();
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 3; c++) {
      const at = (i: number): number => b * 48 + i * 3 + c;
      let mx = 0;
      for (let i = 0; i < 16; i++) mx += xs[at(i)]! / 16;
      let vx = 0;
      for (let i = 0; i < 16; i++) vx += (xs[at(i)]! - mx) ** 2 / 16;
      for (let i = 0; i < 16; i++) {
        const want = (xs[at(i)]! - mx) / Math.sqrt(vx + 1e-5);
        assert.ok(Math.abs(y[at(i)]! - want) < 1e-4, `y[${b}, ${i}, ${c}] = ${y[at(i)]} vs ${want}`);
      }
    }
  }
  // Unlike BatchNormalization the other examples of the batch do not matter, in training or not.
  const alone = layer.apply(nb.slice(x, [1, 0, 0, 0], [1, 4, 4, 3]), { training: true }).dataSync();
  alone.forEach((v, i) => assert.ok(Math.abs(v - y[48 + i]!) < 1e-5));
  assert.deepEqual(layer.weights.map((w) => w.shape), [[3], [3]]);
});

test('InstanceNormalization: errors name the layer, the shape and the fix; exported as nb.keras.layers', () => {
  assert.throws(() => instanceNormalization({ name: 'in_bad' }).apply(nb.zeros([2, 3])), /InstanceNormalization 'in_bad': expected an input of rank >= 3.*layerNormalization/);
  assert.throws(() => instanceNormalization({ name: 'in_axis', axis: 0 }).apply(nb.zeros([2, 3, 3])), /InstanceNormalization 'in_axis': axis 0 is not a channel axis/);
  assert.throws(() => instanceNormalization({ epsilon: -1 }), /epsilon must be a finite number >= 0/);
  assert.equal(nb.keras.layers.instanceNormalization, instanceNormalization);
  assert.equal(new nb.keras.layers.InstanceNormalization().name.startsWith('instance_normalization'), true);
  const model = nb.keras.sequential([nb.keras.layers.inputLayer({ inputShape: [4, 4, 2] }), nb.keras.layers.instanceNormalization()]);
  const copy = nb.keras.deserializeLayer(nb.keras.serializeLayer(model)) as nb.keras.Sequential;
  assert.equal(copy.layers[0]!.getClassName(), 'InstanceNormalization');
});
