import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainMnist } from '../../src/apps/mnist/train.js';
import { sharedData } from '../util/shared-data.js';

// One epoch over the first 20,000 Fashion-MNIST training images (18,000 after the 10% validation
// split), seeded. Batch 32 rather than the Keras example's 128: with 128 (140 steps) both nabla
// and PyTorch land at 76-79% depending on the seed, too close to the bar; 32 gives 81-82%.
// About 20 s on the native backend, several minutes on js (2 cores).
test('the mnist convnet reaches >= 78% test accuracy on Fashion-MNIST after 1 epoch on 20k samples', async (t) => {
  const r = await trainMnist({
    dataset: 'fashion-mnist',
    dataPath: sharedData('fashion-mnist'),
    limit: 20000,
    epochs: 1,
    batchSize: 32,
    seed: 42,
    outDir: null,
    verbose: 0,
    log: () => {},
  });
  t.diagnostic(`test accuracy ${r.testAccuracy.toFixed(4)} in ${r.trainSeconds.toFixed(1)} s, ${Math.round(r.samplesPerSecond)} samples/s (${r.backend})`);
  assert.equal(r.trainSamples, 18000);
  assert.equal(r.testSamples, 10000);
  assert.ok(r.testAccuracy >= 0.78, `test accuracy ${r.testAccuracy}`);
});
