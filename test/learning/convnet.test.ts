import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainMnist, DEFAULTS } from '../../src/apps/mnist/train.js';

// The digits fallback of `nabla train mnist` with its defaults (15 epochs, batch 32, seed 42):
// 1,293 training images of 8x8, ~3 s on the native backend, ~30 s on js (2 cores).
test('the mnist convnet on the shipped 8x8 digits reaches >= 95% test accuracy with the defaults', async (t) => {
  const r = await trainMnist({ dataset: 'digits', outDir: null, verbose: 0, log: () => {} });
  t.diagnostic(`test accuracy ${r.testAccuracy.toFixed(4)} after ${r.epochs} epochs in ${r.trainSeconds.toFixed(1)} s (${r.backend})`);
  assert.equal(r.epochs, DEFAULTS.digits.epochs);
  assert.equal(r.testSamples, 359);
  assert.ok(r.testAccuracy >= 0.95, `test accuracy ${r.testAccuracy}`);
  // The figures agree with the per-class evaluation computed from the predictions.
  assert.ok(Math.abs(r.evaluation.accuracy - r.testAccuracy) < 1e-6);
});
