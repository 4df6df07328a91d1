// Keras HDF5 weight files (Keras 2 and Keras 3 layouts) generated with h5wasm load into nabla
// models bit-exact; wrong files fail with errors naming the layer/shape and change nothing.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { fixtureLayers, ready, writeKeras2, writeKeras3, type FixtureLayer } from './h5-fixtures.js';

const L = nb.keras.layers;
const dir = mkdtempSync(join(tmpdir(), 'nabla-h5-'));

before(ready);

/** A small VGG-like functional model with Keras-style names. */
function smallModel(): nb.keras.Functional {
  const inputs = nb.keras.input({ shape: [8, 8, 3], name: 'input_1' });
  let x = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'block1_conv1' }).apply(inputs) as nb.keras.SymbolicTensor;
  x = L.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'block1_conv2' }).apply(x) as nb.keras.SymbolicTensor;
  x = L.maxPooling2d({ poolSize: 2, name: 'block1_pool' }).apply(x) as nb.keras.SymbolicTensor;
  x = L.flatten({ name: 'flatten' }).apply(x) as nb.keras.SymbolicTensor;
  const outputs = L.dense({ units: 5, name: 'fc1' }).apply(x) as nb.keras.SymbolicTensor;
  return nb.keras.model({ inputs, outputs, name: 'small' });
}

/** Asserts each layer's weights equal the fixture's values bit for bit (kernels HWIO / [in, out]). */
function assertLoaded(model: nb.keras.Model, layers: FixtureLayer[]): void {
  for (const l of layers) {
    const ws = model.getLayer(l.name).getWeights();
    assert.equal(ws.length, l.values.length, `${l.name}: weight count`);
    ws.forEach((w, i) => {
      assert.deepEqual([...w.shape], l.shapes[i], `${l.name} weight ${i}: shape`);
      assert.deepEqual(w.values, l.values[i], `${l.name} weight ${i}: values`);
    });
  }
}

function snapshot(model: nb.keras.Model): Float32Array[] {
  return model.getWeights().map((t) => Float32Array.from(t.values as Float32Array));
}

test('Keras 2 layout (layer_names/weight_names, kernel:0 and legacy _W_1:0 names) loads bit-exact', async () => {
  for (const legacy of [false, true]) {
    const source = smallModel();
    const layers = fixtureLayers(source, legacy);
    const path = join(dir, `k2-${legacy}.h5`);
    writeKeras2(path, layers);
    const m = smallModel();
    await m.loadWeights(path);
    assertLoaded(m, layers);
    // The kernel is used in HWIO order: conv2d with the file's kernel gives the same output.
    const x = nb.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 3);
    const k = nb.tensor(layers[1]!.values[0]!, layers[1]!.shapes[0]!);
    const b = nb.tensor(layers[1]!.values[1]!, layers[1]!.shapes[1]!);
    const expected = nb.relu(nb.add(nb.conv2d(x, k, 1, 'same'), b));
    const feat = nb.keras.model({ inputs: m.inputs, outputs: m.getLayer('block1_conv1').inboundNodes[0]!.outputs[0]! });
    assert.deepEqual((feat.predict(x) as nb.Tensor).values, expected.values);
  }
});

test('Keras 2 layout with layer_names split into chunks (layer_names0, layer_names1) loads', async () => {
  const layers = fixtureLayers(smallModel());
  const path = join(dir, 'chunked.h5');
  writeKeras2(path, layers, true);
  const m = smallModel();
  await m.loadWeights(path);
  assertLoaded(m, layers);
});

test('Keras 3 layout (layers/<class>/vars/<i>) loads by structure, and by name when the file records names', async () => {
  for (const withNames of [false, true]) {
    const layers = fixtureLayers(smallModel());
    const path = join(dir, `k3-${withNames}.weights.h5`);
    writeKeras3(path, layers, withNames);
    const m = smallModel();
    await m.loadWeights(path);
    assertLoaded(m, layers);
  }
});

test('Keras 2 layout: a nested model is one group, its trainable weights first (as Keras 2 orders them)', async () => {
  const build = () => {
    const inner = nb.keras.sequential([L.inputLayer({ inputShape: [3] }), L.dense({ units: 4, name: 'd1' }), L.batchNormalization({ name: 'bn' }), L.dense({ units: 2, name: 'd2' })], { name: 'inner' });
    const inputs = nb.keras.input({ shape: [3] });
    return nb.keras.model({ inputs, outputs: inner.apply(inputs) as nb.keras.SymbolicTensor, name: 'outer' });
  };
  const m = build();
  const inner = m.getLayer('inner') as nb.keras.Model;
  const vars = [...inner.trainableWeights, ...inner.nonTrainableWeights];
  assert.deepEqual(vars.map((v) => v.name.split('/')[1]!.replace(/_\d+$/, '')), ['kernel', 'bias', 'gamma', 'beta', 'kernel', 'bias', 'moving_mean', 'moving_variance']);
  const shapes = vars.map((v) => [...v.shape]);
  const values = shapes.map((sh) => Float32Array.from({ length: sh.reduce((a, b) => a * b, 1) }, (_, i) => i + 0.5));
  const weightNames = ['d1/kernel:0', 'd1/bias:0', 'bn/gamma:0', 'bn/beta:0', 'd2/kernel:0', 'd2/bias:0', 'bn/moving_mean:0', 'bn/moving_variance:0'];
  const path = join(dir, 'nested.h5');
  writeKeras2(path, [{ name: 'input_1', className: 'InputLayer', weightNames: [], shapes: [], values: [] }, { name: 'inner', className: 'Sequential', weightNames, shapes, values }]);
  await m.loadWeights(path);
  vars.forEach((v, i) => assert.deepEqual(v.values, values[i], weightNames[i]));
});

test('Keras 3 layout: a nested model\'s layers live under layers/<model>/layers/...', async () => {
  const inner = nb.keras.sequential([L.inputLayer({ inputShape: [3] }), L.dense({ units: 4 }), L.batchNormalization(), L.dense({ units: 2 })]);
  const inputs = nb.keras.input({ shape: [3] });
  const m = nb.keras.model({ inputs, outputs: inner.apply(inputs) as nb.keras.SymbolicTensor });
  const { loadH5wasm } = await import('../../src/keras/saving/hdf5-file.js');
  const h5 = await loadH5wasm();
  const path = join(dir, 'nested.weights.h5');
  const f = new h5.File(path, 'w');
  const groups = ['dense', 'batch_normalization', 'dense_1'];
  const leaves = inner.layers.filter((l) => l.weights.length > 0);
  const values = leaves.map((l) => l.weights.map((w) => Float32Array.from({ length: w.size }, (_, i) => i * 0.25 - 1)));
  leaves.forEach((l, k) => {
    let vars = f as import('h5wasm/node').Group;
    for (const part of ['layers', 'sequential', 'layers', groups[k]!, 'vars']) vars = (vars.get(part) as import('h5wasm/node').Group | null) ?? vars.create_group(part);
    l.weights.forEach((w, i) => vars.create_dataset({ name: String(i), data: values[k]![i]!, shape: [...w.shape] }));
  });
  f.close();
  await m.loadWeights(path);
  leaves.forEach((l, k) => l.weights.forEach((w, i) => assert.deepEqual(w.values, values[k]![i])));
});

test('a full-model Keras 2 file (weights under model_weights/) loads too', async () => {
  const { loadH5wasm } = await import('../../src/keras/saving/hdf5-file.js');
  const h5 = await loadH5wasm();
  const layers = fixtureLayers(smallModel());
  const flat = join(dir, 'flat.h5');
  writeKeras2(flat, layers);
  // Copy the layout under model_weights/ as model.save('m.h5') writes it.
  const path = join(dir, 'full.h5');
  const f = new h5.File(path, 'w');
  f.create_attribute('model_config', '{}');
  const g = f.create_group('model_weights');
  const names = layers.map((l) => l.name);
  g.create_attribute('layer_names', names, [names.length], `S${Math.max(...names.map((n) => n.length))}`);
  for (const l of layers) {
    const lg = g.create_group(l.name);
    lg.create_attribute('weight_names', l.weightNames, [l.weightNames.length], `S${Math.max(1, ...l.weightNames.map((n) => n.length))}`);
    if (l.weightNames.length) lg.create_group(l.name);
    l.weightNames.forEach((wn, i) => lg.create_dataset({ name: wn, data: l.values[i]!, shape: l.shapes[i]! }));
  }
  f.close();
  const m = smallModel();
  await m.loadWeights(path);
  assertLoaded(m, layers);
});

test('missing layer, wrong shape, extra layer, not HDF5: clear errors, nothing half-loaded', async () => {
  const m = smallModel();
  const before = snapshot(m);
  const unchanged = () => snapshot(m).forEach((w, i) => assert.deepEqual(w, before[i]));

  // Missing fc1 (block1_conv1 comes first in the file and must not be assigned).
  const layers = fixtureLayers(smallModel());
  const missing = join(dir, 'missing.h5');
  writeKeras2(missing, layers.filter((l) => l.name !== 'fc1'));
  await assert.rejects(m.loadWeights(missing), (e: Error) => e instanceof nb.NotFoundError && /'fc1'/.test(e.message) && /block1_conv1/.test(e.message));
  unchanged();

  // Wrong shape in block1_conv2: the message names the layer and both shapes.
  const wrong = layers.map((l) => (l.name === 'block1_conv2' ? { ...l, shapes: [[3, 3, 4, 7], [7]], values: [new Float32Array(252), new Float32Array(7)] } : l));
  const wrongPath = join(dir, 'wrong.h5');
  writeKeras2(wrongPath, wrong);
  await assert.rejects(m.loadWeights(wrongPath), (e: Error) => e instanceof nb.ShapeError && /block1_conv2/.test(e.message) && /\[3, 3, 4, 6\]/.test(e.message) && /\[3, 3, 4, 7\]/.test(e.message));
  unchanged();

  // Channels-first kernel: the hint names the cause.
  const transposed = layers.map((l) => (l.name === 'block1_conv1' ? { ...l, shapes: [[4, 3, 3, 3], [4]] } : l));
  const tPath = join(dir, 'th.h5');
  writeKeras2(tPath, transposed);
  await assert.rejects(m.loadWeights(tPath), /channels-first/);
  unchanged();

  // A file layer the model lacks: an error unless skipExtraLayers.
  const extra = [...layers, { name: 'fc2', className: 'Dense', weightNames: ['fc2/kernel:0'], shapes: [[5, 2]], values: [new Float32Array(10)] }];
  const extraPath = join(dir, 'extra.h5');
  writeKeras2(extraPath, extra);
  await assert.rejects(m.loadWeights(extraPath), /'fc2'.*skipExtraLayers/);
  unchanged();
  await m.loadWeights(extraPath, { skipExtraLayers: true });
  assertLoaded(m, layers);

  // Keras 3 structure that does not fit (no names): the path is named.
  const k3 = join(dir, 'k3-bad.weights.h5');
  writeKeras3(k3, layers.filter((l) => l.name !== 'block1_conv2'), false);
  await assert.rejects(smallModel().loadWeights(k3), /conv2d_1/);

  // Not HDF5 (but has the extension), missing file.
  const notH5 = join(dir, 'fake.h5');
  writeFileSync(notH5, 'definitely not hdf5');
  await assert.rejects(nb.keras.loadKerasH5Weights(m, notH5), (e: Error) => e instanceof nb.InvalidArgumentError && /not an HDF5 file/.test(e.message));
  await assert.rejects(nb.keras.loadKerasH5Weights(m, join(dir, 'nope.h5')), nb.NotFoundError);
  // A truncated download: the signature is there, the rest is not.
  const truncated = join(dir, 'truncated.h5');
  writeFileSync(truncated, readFileSync(missing).subarray(0, 3000));
  await assert.rejects(m.loadWeights(truncated), (e: Error) => e instanceof nb.InvalidArgumentError && /damaged or truncated/.test(e.message));
  assertLoaded(m, layers);
  // An HDF5 file that is not a Keras weight file.
  const { loadH5wasm } = await import('../../src/keras/saving/hdf5-file.js');
  const h5 = await loadH5wasm();
  const other = join(dir, 'other.h5');
  const f = new h5.File(other, 'w');
  f.create_dataset({ name: 'data', data: new Float32Array(3) });
  f.close();
  await assert.rejects(m.loadWeights(other), /not a Keras weight file.*data/);
});

test('VGG19 (notop): files with the real layer names and shapes load bit-exact in both layouts', async () => {
  const vgg = await nb.keras.applications.VGG19({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
  const layers = fixtureLayers(vgg, true);
  assert.equal(layers.filter((l) => l.values.length > 0).length, 16);
  const k2 = join(dir, 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5');
  writeKeras2(k2, layers);
  // Through the applications API (weights as a path) and through model.loadWeights.
  const a = await nb.keras.applications.VGG19({ weights: k2, includeTop: false, inputShape: [32, 32, 3] });
  assertLoaded(a, layers);
  const k3 = join(dir, 'vgg19.weights.h5');
  writeKeras3(k3, layers, false);
  await vgg.loadWeights(k3);
  assertLoaded(vgg, layers);
});
