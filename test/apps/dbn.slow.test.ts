// Long learning check of the DBN app on Fashion-MNIST (NABLA_TEST_TAGS=slow), from the shared
// real data. Thresholds were measured on a 2-core machine with the native backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as nb from '../../src/index.js';
import { trainDbn } from '../../src/apps/dbn/train.js';
import { loadData } from '../../src/apps/mnist/data.js';
import { sharedData } from '../util/shared-data.js';

const native = nb.getBackend() === 'native';
const dir = (() => {
  try {
    return sharedData('fashion-mnist');
  } catch {
    return null;
  }
})();
const skip = !dir || !existsSync(dir) ? 'Fashion-MNIST not found under the shared data folder (set NABLA_SHARED_DATA)' : native ? false : 'a few minutes on the js backend';

// 784-128 DBN, 3,000 training images, 3 CD-1 epochs and 3 fine-tuning epochs, evaluated on the
// 10,000 test images. Measured (seeds 1, 2): reconstruction error 0.052 -> 0.035; pre-trained
// 0.759/0.761, random init 0.780/0.772 (pre-training does not help here); an MLP on all 60k reaches
// ~0.88, chance is 0.10.
test('DBN on a Fashion-MNIST subset: reconstruction error falls and the fine-tuned classifier reaches 70%', { skip }, async () => {
  const data = loadData({ dataset: 'fashion-mnist', path: dir!, limit: 3000 });
  const r = await trainDbn({ data, layers: [128], pretrainEpochs: 3, finetuneEpochs: 3, seed: 1, outDir: null, log: () => {} });
  const err = r.reconstructionError[0]!;
  assert.ok(err.at(-1)! <= 0.8 * err[0]!, `reconstruction error ${err.join(' -> ')}`);
  assert.ok(r.pretrainedAccuracy >= 0.7, `pre-trained test accuracy ${r.pretrainedAccuracy}`);
  assert.ok(r.randomInitAccuracy >= 0.5, `random-init test accuracy ${r.randomInitAccuracy}`);
});
