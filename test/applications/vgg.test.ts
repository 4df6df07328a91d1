// keras.applications VGG16/VGG19: Keras's layer names and parameter counts, a forward pass that
// matches TensorFlow.js with the same weights, caffe preprocessing, and weight-file discovery.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../../src/index.js';

const A = nb.keras.applications;

const VGG19_CONV = ['block1_conv1', 'block1_conv2', 'block1_pool', 'block2_conv1', 'block2_conv2', 'block2_pool',
  'block3_conv1', 'block3_conv2', 'block3_conv3', 'block3_conv4', 'block3_pool', 'block4_conv1', 'block4_conv2', 'block4_conv3', 'block4_conv4', 'block4_pool',
  'block5_conv1', 'block5_conv2', 'block5_conv3', 'block5_conv4', 'block5_pool'];

let vgg19: nb.keras.Functional;
before(async () => {
  vgg19 = await A.VGG19({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
});

test('VGG19 (no top) has the Keras layer names, shapes and 20,024,384 parameters', () => {
  assert.deepEqual(vgg19.layers.slice(1).map((l) => l.name), VGG19_CONV);
  assert.equal(vgg19.countParams(), 20024384);
  assert.deepEqual([...vgg19.getLayer('block3_conv4').weights[0]!.shape], [3, 3, 256, 256]);
  assert.deepEqual([...vgg19.outputs[0]!.shape], [null, 1, 1, 512]);
});

test('VGG16 with the top: flatten, fc1, fc2, predictions; pooling and argument checks', async () => {
  const m = await A.VGG16({ weights: null, inputShape: [32, 32, 3], classes: 10 });
  const names = m.layers.map((l) => l.name);
  assert.deepEqual(names.slice(-4), ['flatten', 'fc1', 'fc2', 'predictions']);
  assert.equal(names.filter((n) => /conv/.test(n)).length, 13);
  assert.ok(names.includes('block3_conv3') && !names.includes('block3_conv4'));
  assert.equal(m.countParams(), 14714688 + (512 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 10 + 10));
  const y = m.predict(nb.zeros([2, 32, 32, 3])) as nb.Tensor;
  assert.deepEqual([...y.shape], [2, 10]);
  assert.ok(Math.abs((nb.sum(y).values as Float32Array)[0]! - 2) < 1e-4, 'softmax rows sum to 1');

  const avg = await A.VGG16({ weights: null, includeTop: false, inputShape: [null, null, 3], pooling: 'avg' });
  assert.deepEqual([...(avg.predict(nb.zeros([1, 32, 40, 3])) as nb.Tensor).shape], [1, 512]);

  await assert.rejects(A.VGG19({ weights: null, inputShape: [16, 16, 3] }), /32/);
  await assert.rejects(A.VGG19({ weights: null, inputShape: [32, 32, 1] }), /\[height, width, 3\]/);
  await assert.rejects(A.VGG19({ weights: null, inputShape: [null, null, 3] }), /fixed/);
  await assert.rejects(A.VGG19({ weights: 'imagenet', classes: 10 }), /classes: 1000/);
});

test('VGG19 forward matches TensorFlow.js with the same weights', () => {
  const tfModel = tf.sequential();
  let first = true;
  for (const layer of vgg19.layers.slice(1)) {
    if (layer.name.includes('pool')) {
      tfModel.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: layer.name }));
    } else {
      const filters = layer.weights[0]!.shape[3]!;
      tfModel.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: layer.name, kernelInitializer: 'zeros', ...(first ? { inputShape: [32, 32, 3] } : {}) }));
      first = false;
    }
  }
  // He-scaled random weights keep the activations of 16 ReLU layers away from zero.
  const weights = vgg19.weights.map((w, i) => {
    const fanIn = w.shape.length === 4 ? w.shape[0]! * w.shape[1]! * w.shape[2]! : 1;
    const limit = w.shape.length === 4 ? Math.sqrt(6 / fanIn) : 0.1;
    return nb.randomUniform([...w.shape], -limit, limit, 'float32', 100 + i);
  });
  vgg19.setWeights(weights);
  tfModel.setWeights(weights.map((w) => tf.tensor(w.values as Float32Array, [...w.shape])));

  const image = nb.randomUniform([1, 32, 32, 3], 0, 255, 'float32', 7);
  const x = A.preprocessInput(image);
  const ours = vgg19.predict(x) as nb.Tensor;
  const theirs = tfModel.predict(tf.tensor(x.values as Float32Array, [...x.shape])) as tf.Tensor;
  assert.deepEqual([...ours.shape], theirs.shape);
  const a = ours.values as Float32Array;
  const b = theirs.dataSync() as Float32Array;
  const scale = Math.max(...b.map(Math.abs));
  assert.ok(scale > 1e-3, `reference activations are not vanishing (max ${scale})`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-4 * scale, `element ${i}: nabla ${a[i]} vs tfjs ${b[i]}`);
  tf.dispose([theirs]);
  tfModel.dispose();
});

test("preprocessInput ('caffe') flips RGB to BGR and subtracts the ImageNet mean; deprocess undoes it", () => {
  const img = nb.tensor([255, 0, 10, 1, 2, 3], [1, 2, 3], 'int32');
  const x = A.preprocessInput(img);
  assert.equal(x.dtype, 'float32');
  const want = [10 - 103.939, 0 - 116.779, 255 - 123.68, 3 - 103.939, 2 - 116.779, 1 - 123.68];
  (x.values as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-4, `element ${i}: ${v} vs ${want[i]}`));
  const back = A.deprocess(x);
  (back.values as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - [255, 0, 10, 1, 2, 3][i]!) < 1e-4));
  // deprocess adds the mean to BGR [500, -500, 0], flips to RGB and clips to 0..255.
  assert.deepEqual([...(A.deprocess(nb.tensor([500, -500, 0], [1, 1, 3])).values as Float32Array)].map(Math.round), [124, 0, 255]);
  assert.throws(() => A.preprocessInput(nb.zeros([4, 4, 1])), nb.ShapeError);
  // 'tf' mode scales to [-1, 1].
  assert.deepEqual([...(A.preprocessInput(nb.tensor([0, 127.5, 255], [1, 1, 3]), 'tf').values as Float32Array)], [-1, 0, 1]);
});

test("weights: 'imagenet' is looked up in NABLA_DATA_DIR, ~/.nabla/models, ~/.keras/models; missing -> which file where", async () => {
  const saved = { home: process.env['HOME'], data: process.env['NABLA_DATA_DIR'] };
  const home = mkdtempSync(join(tmpdir(), 'nabla-home-'));
  const data = mkdtempSync(join(tmpdir(), 'nabla-data-'));
  process.env['HOME'] = home;
  process.env['NABLA_DATA_DIR'] = data;
  after(() => {
    for (const [k, v] of [['HOME', saved.home], ['NABLA_DATA_DIR', saved.data]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  await assert.rejects(A.VGG19({ includeTop: false }), (e: Error) =>
    e instanceof nb.NotFoundError && /vgg19_weights_tf_dim_ordering_tf_kernels_notop\.h5/.test(e.message) && e.message.includes(join(home, '.nabla', 'models')) && e.message.includes(join(home, '.keras', 'models')));
  await assert.rejects(A.VGG16({}), /vgg16_weights_tf_dim_ordering_tf_kernels\.h5/);
  await assert.rejects(A.VGG19({ weights: join(data, 'missing.h5') }), (e: Error) => e instanceof nb.NotFoundError && /missing\.h5/.test(e.message));

  mkdirSync(join(home, '.keras', 'models'), { recursive: true });
  writeFileSync(join(home, '.keras', 'models', 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'), '');
  assert.equal(A.findWeightsFile('vgg19', false, 'imagenet'), join(home, '.keras', 'models', 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'));
  mkdirSync(join(data, 'models'));
  writeFileSync(join(data, 'models', 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'), '');
  assert.equal(A.findWeightsFile('vgg19', false, 'imagenet'), join(data, 'models', 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'), 'NABLA_DATA_DIR comes first');
  // A found file that is not HDF5 fails with a clear error, not a crash.
  await assert.rejects(A.VGG19({ includeTop: false, inputShape: [32, 32, 3] }), /not an HDF5 file/);
});
