// TF.js layers-model import/export, checked against @tensorflow/tfjs itself (a devDependency):
// nabla models exported and loaded by tf.loadLayersModel, and TF.js models saved with an IOHandler
// and imported into nabla, must predict the same (max abs diff <= 1e-5).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, unlinkSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../../src/index.js';
import { exportTfjsLayersModel, importTfjsLayersModel } from '../../src/keras/saving/tfjs-format.js';
import { rand } from '../util/gradcheck.js';

const L = nb.keras.layers;
const TOL = 1e-5;

before(async () => {
  await tf.setBackend('cpu');
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'nabla-tfjs-'));
}

/** Random weights (moving variances positive), deterministic per seed. */
function randomizeWeights(model: nb.keras.Model, seed: number): void {
  model.weights.forEach((w, i) => {
    const lo = w.name.includes('moving_variance') ? 0.5 : -0.5;
    const hi = w.name.includes('moving_variance') ? 1.5 : 0.5;
    w.assign(rand([...w.shape], lo, hi, seed * 100 + i + 1));
  });
}

/** Loads an exported folder into TF.js through an IOHandler reading the files. */
async function loadInTfjs(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const shards = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(dir, p))));
  const data = Buffer.concat(shards);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
      weightData,
    }),
  });
}

/** Saves a TF.js model as model.json + weights.bin with a custom save handler. */
async function saveFromTfjs(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const parts = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData!];
      writeFileSync(join(dir, 'weights.bin'), Buffer.concat(parts.map((b) => Buffer.from(b))));
      const json = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

function toList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'output sizes differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Asserts nabla's and TF.js's predictions agree on the same inputs. */
function assertSamePredictions(nbModel: nb.keras.Model, tfModel: tf.LayersModel, xs: nb.Tensor[], label: string): void {
  const nbOut = toList(nbModel.predict(xs.length === 1 ? xs[0]! : xs) as nb.Tensor | nb.Tensor[]);
  const tfIn = xs.map((x) => tf.tensor(Array.from(x.dataSync()), [...x.shape], x.dtype === 'int32' ? 'int32' : 'float32'));
  const tfOut = toList(tfModel.predict(tfIn.length === 1 ? tfIn[0]! : tfIn) as tf.Tensor | tf.Tensor[]);
  assert.equal(nbOut.length, tfOut.length, `${label}: number of outputs`);
  nbOut.forEach((o, i) => {
    assert.deepEqual([...o.shape], tfOut[i]!.shape, `${label}: output ${i} shape`);
    const d = maxAbsDiff(o.dataSync() as Float32Array, tfOut[i]!.dataSync() as Float32Array);
    assert.ok(d <= TOL, `${label}: output ${i} differs by ${d}`);
  });
  tf.dispose([...tfIn, ...tfOut]);
}

type Sym = nb.keras.SymbolicTensor;
/** Applies a layer to symbolic inputs, typed as one symbolic output. */
function sym(layer: nb.keras.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

function ints(shape: number[], max: number, seed: number): nb.Tensor {
  const v = rand(shape, 0, max, seed).dataSync();
  return nb.tensor(Int32Array.from(v, (x) => Math.min(max - 1, Math.floor(x))), shape, 'int32');
}

// ----- nabla → TF.js ---------------------------------------------------------------------------

async function exportAndCompare(model: nb.keras.Model, xs: nb.Tensor[], label: string): Promise<tf.LayersModel> {
  const dir = tmp();
  exportTfjsLayersModel(model, join(dir, 'out'));
  const tfModel = await loadInTfjs(join(dir, 'out'));
  assertSamePredictions(model, tfModel, xs, label);
  // And nabla reads its own export back.
  assertSamePredictions(importTfjsLayersModel(join(dir, 'out')), tfModel, xs, `${label} (re-imported)`);
  return tfModel;
}

test('export: Sequential MLP with BatchNormalization and Dropout, trained a step, predicts the same in TF.js', async () => {
  nb.setSeed(3);
  const model = nb.keras.sequential([
    L.dense({ units: 8, activation: 'relu', inputShape: [6], kernelRegularizer: nb.keras.regularizers.l2({ l2: 1e-4 }) }),
    L.batchNormalization(),
    L.dropout({ rate: 0.3 }),
    L.dense({ units: 8, activation: 'tanh', kernelInitializer: 'heNormal', kernelConstraint: nb.keras.constraints.maxNorm({ maxValue: 3 }) }),
    L.prelu(),
    L.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = rand([16, 6], -1, 1, 1);
  model.trainOnBatch(x, ints([16], 3, 2));
  model.trainOnBatch(x, ints([16], 3, 2));

  const dir = tmp();
  exportTfjsLayersModel(model, dir);
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.match(json.generatedBy, /^nabla /);
  assert.equal(json.convertedBy, null);
  assert.equal(json.modelTopology.class_name, 'Sequential');
  assert.equal(json.modelTopology.keras_version, 'tfjs-layers 4.22.0');
  assert.equal(json.modelTopology.backend, 'tensor_flow.js');
  const first = json.modelTopology.config.layers[0];
  assert.deepEqual(first.config.batch_input_shape, [null, 6]);
  assert.equal(first.config.kernel_initializer.class_name, 'VarianceScaling');
  assert.equal(first.config.kernel_initializer.config.mode, 'fan_avg');
  assert.equal(first.config.kernel_regularizer.class_name, 'L1L2');
  const names = json.weightsManifest[0].weights.map((w: { name: string }) => w.name);
  const bn = model.layers[1]!.name;
  assert.deepEqual(names.slice(2, 6), [`${bn}/gamma`, `${bn}/beta`, `${bn}/moving_mean`, `${bn}/moving_variance`]);
  assert.equal(readFileSync(join(dir, 'weights.bin')).length, model.countParams() * 4);

  const tfModel = await loadInTfjs(dir);
  assertSamePredictions(model, tfModel, [rand([5, 6], -2, 2, 9)], 'MLP');
});

test('export: CNN (Conv2D, pooling, padding/cropping, upsampling, Flatten, Dense) predicts the same in TF.js', async () => {
  const model = nb.keras.sequential([
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 9, 2] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.zeroPadding2d({ padding: [[1, 0], [0, 1]] }),
    L.conv2d({ filters: 5, kernelSize: [2, 3], strides: 2, useBias: false }),
    L.upSampling2d({ size: [2, 1] }),
    L.cropping2d({ cropping: [[1, 0], [0, 0]] }),
    L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
    L.flatten(),
    L.dense({ units: 4, activation: 'sigmoid' }),
  ]);
  randomizeWeights(model, 2);
  await exportAndCompare(model, [rand([3, 9, 9, 2], -1, 1, 4)], 'CNN');
});

test('export: functional model with two inputs, Concatenate, a shared layer, a nested Sequential and two outputs', async () => {
  const a = nb.keras.input({ shape: [5], name: 'in_a' });
  const b = nb.keras.input({ shape: [4], name: 'in_b' });
  const shared = L.dense({ units: 6, activation: 'elu', name: 'shared' });
  const ha = sym(shared, sym(L.dense({ units: 4, name: 'proj_a' }), a));
  const hb = sym(shared, b);
  const merged = sym(L.concatenate({ name: 'merge' }), [ha, hb]);
  const tower = nb.keras.sequential([L.dense({ units: 5, activation: 'relu', inputShape: [12], name: 'tower_1' }), L.dense({ units: 2, name: 'tower_2' })], { name: 'tower' });
  const out1 = sym(L.dense({ units: 3, activation: 'softmax', name: 'out1' }), merged);
  const out2 = sym(tower, merged);
  const model = nb.keras.model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
  randomizeWeights(model, 3);
  const tfModel = await exportAndCompare(model, [rand([4, 5], -1, 1, 5), rand([4, 4], -1, 1, 6)], 'functional');
  assert.deepEqual(tfModel.inputNames, ['in_a', 'in_b']);
});

test('export: Embedding, Bidirectional(LSTM), GRU (resetAfter false), SimpleRNN, TimeDistributed predict the same in TF.js', async () => {
  const model = nb.keras.sequential([
    L.embedding({ inputDim: 12, outputDim: 5, inputLength: 7 }),
    L.bidirectional({ layer: new L.LSTM({ units: 4, returnSequences: true }) }),
    L.gru({ units: 3, returnSequences: true, resetAfter: false }),
    L.timeDistributed({ layer: L.dense({ units: 4, activation: 'relu' }) }),
    L.simpleRNN({ units: 3, goBackwards: true }),
    L.dense({ units: 2 }),
  ]);
  randomizeWeights(model, 4);
  const dir = tmp();
  exportTfjsLayersModel(model, dir);
  const names: string[] = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights.map((w: { name: string }) => w.name);
  const bi = model.layers[1]!;
  assert.ok(names.includes(`${bi.name}/forward_${(bi as nb.keras.layers.Bidirectional).forwardLayer.name.replace(/^forward_/, '')}/recurrent_kernel`), names.join());
  assert.ok(names.includes(`${model.layers[3]!.name}/kernel`), names.join());
  const tfModel = await loadInTfjs(dir);
  assertSamePredictions(model, tfModel, [ints([3, 7], 12, 7)], 'RNN');
});

test('export: DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, Conv1D and the activation/shape layers', async () => {
  const conv = nb.keras.sequential([
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [7, 7, 3] }),
    L.separableConv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
    L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
    L.batchNormalization(),
    L.globalAveragePooling2d(),
  ]);
  randomizeWeights(conv, 5);
  await exportAndCompare(conv, [rand([2, 7, 7, 3], -1, 1, 8)], 'depthwise/separable/transpose');

  const x = nb.keras.input({ shape: [8, 3] });
  let h = sym(L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'swish' }), x);
  h = sym(L.layerNormalization(), h);
  h = sym(L.maxPooling1d({ poolSize: 2 }), h);
  h = sym(L.leakyReLU({ alpha: 0.1 }), h);
  const p = sym(L.permute({ dims: [2, 1] }), h);
  const r = sym(L.reshape({ targetShape: [4, 4] }), sym(L.rescaling({ scale: 0.5, offset: 0.1 }), p));
  const s = sym(L.add(), [r, sym(L.averagePooling1d({ poolSize: 1 }), h)]);
  const m = sym(L.maximum(), [sym(L.reLU({ maxValue: 0.4 }), s), sym(L.elu(), s)]);
  const t = sym(L.multiply(), [sym(L.minimum(), [m, s]), sym(L.average(), [m, s])]);
  const g = sym(L.globalMaxPooling1d(), sym(L.gaussianNoise({ stddev: 0.3 }), t));
  const rep = sym(L.repeatVector({ n: 2 }), g);
  const d = sym(L.dot({ axes: [2, 2], normalize: true }), [rep, rep]);
  const out = sym(L.softmax(), sym(L.activation({ activation: 'selu' }), sym(L.flatten(), d)));
  const model = nb.keras.model({ inputs: x, outputs: out });
  randomizeWeights(model, 6);
  await exportAndCompare(model, [rand([3, 8, 3], -1, 1, 10)], 'misc layers');
});

test('export: nested models (a functional model inside a Sequential, a Sequential inside a functional model)', async () => {
  const i = nb.keras.input({ shape: [6], name: 'inner_in' });
  const inner = nb.keras.model({ inputs: i, outputs: sym(L.dense({ units: 4, activation: 'tanh', name: 'inner_dense' }), i), name: 'inner_fn' });
  const seq = nb.keras.sequential([inner, L.dense({ units: 3, name: 'after' })], { name: 'outer_seq' });
  randomizeWeights(seq, 7);
  await exportAndCompare(seq, [rand([4, 6], -1, 1, 18)], 'functional inside Sequential');

  const x = nb.keras.input({ shape: [6], name: 'x' });
  const stack = nb.keras.sequential([L.dense({ units: 5, inputShape: [6], name: 's1' }), L.dense({ units: 5, name: 's2' })], { name: 'stack' });
  const y = sym(L.add({ name: 'sum' }), [sym(stack, x), sym(L.dense({ units: 5, name: 'skip' }), x)]);
  const outer = nb.keras.model({ inputs: x, outputs: sym(inner2(), y), name: 'outer_fn' });
  randomizeWeights(outer, 8);
  await exportAndCompare(outer, [rand([4, 6], -1, 1, 19)], 'Sequential and functional inside functional');

  function inner2(): nb.keras.Model {
    const z = nb.keras.input({ shape: [5], name: 'z' });
    return nb.keras.model({ inputs: z, outputs: sym(L.dense({ units: 2, name: 'head' }), z), name: 'head_fn' });
  }
});

// ----- TF.js → nabla ---------------------------------------------------------------------------

async function importAndCompare(tfModel: tf.LayersModel, xs: nb.Tensor[], label: string): Promise<nb.keras.Model> {
  const dir = tmp();
  await saveFromTfjs(tfModel, dir);
  const model = importTfjsLayersModel(dir);
  assertSamePredictions(model, tfModel, xs, label);
  // The model.json path works too.
  assertSamePredictions(importTfjsLayersModel(join(dir, 'model.json')), tfModel, xs, `${label} (model.json path)`);
  return model;
}

/** Sets every TF.js weight to deterministic random values (variances positive). */
function randomizeTfjs(model: tf.LayersModel, seed: number): void {
  model.setWeights(
    model.weights.map((w, i) => {
      const pos = w.originalName.includes('moving_variance');
      const v = rand([...w.shape] as number[], pos ? 0.5 : -0.5, pos ? 1.5 : 0.5, seed * 100 + i + 1);
      return tf.tensor(Array.from(v.dataSync()), w.shape as number[]);
    }),
  );
}

test('import: a TF.js Sequential MLP with BatchNormalization and Dropout predicts the same in nabla', async () => {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
      tf.layers.batchNormalization(),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: 'leCunNormal' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  randomizeTfjs(m, 1);
  const model = await importAndCompare(m, [rand([6, 6], -2, 2, 11)], 'tfjs MLP');
  assert.equal(model.getClassName(), 'Sequential');
  assert.equal(model.layers.length, 5);

  // The weights split over two shard files, as the converter writes them.
  const dir = tmp();
  await saveFromTfjs(m, dir);
  const bin = readFileSync(join(dir, 'weights.bin'));
  writeFileSync(join(dir, 'group1-shard1of2.bin'), bin.subarray(0, 100));
  writeFileSync(join(dir, 'group1-shard2of2.bin'), bin.subarray(100));
  unlinkSync(join(dir, 'weights.bin'));
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  assertSamePredictions(importTfjsLayersModel(dir), m, [rand([3, 6], -2, 2, 20)], 'tfjs MLP from two shards');
});

test('import: a TF.js CNN predicts the same in nabla', async () => {
  const m = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [10, 10, 1] }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', dilationRate: 2 }),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.dense({ units: 2 }),
    ],
  });
  randomizeTfjs(m, 2);
  await importAndCompare(m, [rand([2, 10, 10, 1], -1, 1, 12)], 'tfjs CNN');
});

test('import: a TF.js functional model with two inputs, a shared layer, a nested model and two outputs', async () => {
  const a = tf.input({ shape: [4], name: 'a' });
  const b = tf.input({ shape: [4], name: 'b' });
  const shared = tf.layers.dense({ units: 5, activation: 'sigmoid', name: 'shared' });
  const sa = shared.apply(a) as tf.SymbolicTensor;
  const sb = shared.apply(b) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([sa, sb]) as tf.SymbolicTensor;
  const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ units: 3, inputShape: [5], name: 'inner_d' })] });
  const o1 = tf.layers.dense({ units: 2, name: 'o1' }).apply(cat) as tf.SymbolicTensor;
  const o2 = inner.apply(sb) as tf.SymbolicTensor;
  const m = tf.model({ inputs: [a, b], outputs: [o1, o2], name: 'fm' });
  randomizeTfjs(m, 3);
  const model = await importAndCompare(m, [rand([3, 4], -1, 1, 13), rand([3, 4], -1, 1, 14)], 'tfjs functional');
  assert.deepEqual(model.inputNames, ['a', 'b']);
});

test("import: TF.js LSTM/GRU (default hard_sigmoid), Bidirectional, Embedding, SimpleRNN, TimeDistributed predict the same", async () => {
  const m = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }),
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN, mergeMode: 'sum' }),
      tf.layers.gru({ units: 4, returnSequences: true }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }),
      tf.layers.simpleRNN({ units: 2 }),
    ],
  });
  randomizeTfjs(m, 4);
  const model = await importAndCompare(m, [ints([4, 6], 10, 15)], 'tfjs RNN');
  // The imported model (with TF.js's hard sigmoid) exports back to TF.js unchanged.
  const dir = tmp();
  exportTfjsLayersModel(model, dir);
  const lstm = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology.config.layers[1].config.layer.config;
  assert.equal(lstm.recurrent_activation, 'hard_sigmoid');
  assertSamePredictions(model, await loadInTfjs(dir), [ints([4, 6], 10, 16)], 'tfjs RNN re-exported');
});

test('import: TF.js DepthwiseConv2D, SeparableConv2D, Conv2DTranspose predict the same', async () => {
  const m = tf.sequential({
    layers: [
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [6, 6, 2] }),
      tf.layers.separableConv2d({ filters: 3, kernelSize: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
      tf.layers.flatten(),
    ],
  });
  randomizeTfjs(m, 5);
  await importAndCompare(m, [rand([2, 6, 6, 2], -1, 1, 17)], 'tfjs depthwise/separable/transpose');
});

// ----- errors ----------------------------------------------------------------------------------

test('export errors: Lambda, GRU resetAfter: true, Subtract, hard_sigmoid name the layer', () => {
  const lambda = nb.keras.sequential([L.dense({ units: 2, inputShape: [3] }), L.lambda({ function: (x) => nb.mul(x as nb.Tensor, 2), name: 'times_two' })]);
  assert.throws(() => exportTfjsLayersModel(lambda, tmp()), (e: Error) => e instanceof nb.InvalidArgumentError && /times_two/.test(e.message) && /Lambda/.test(e.message));
  const gru = nb.keras.sequential([L.gru({ units: 2, inputShape: [3, 2], name: 'g' })]);
  assert.throws(() => exportTfjsLayersModel(gru, tmp()), /'g' \(GRU\).*resetAfter: false/);
  // nabla's hard_sigmoid (Keras 3: relu6(x + 3) / 6) is not TF.js's (Keras 2: clip(0.2x + 0.5, 0, 1)).
  const hard = nb.keras.sequential([L.dense({ units: 2, activation: 'hard_sigmoid', inputShape: [3], name: 'hs' })]);
  assert.throws(() => exportTfjsLayersModel(hard, tmp()), /'hs' \(Dense\).*hard_sigmoid.*Keras 2/);
  const sub = nb.keras.input({ shape: [2] });
  const subtract = nb.keras.model({ inputs: sub, outputs: sym(L.subtract({ name: 'sub' }), [sub, sub]) });
  assert.throws(() => exportTfjsLayersModel(subtract, tmp()), /'sub' \(Subtract\)/);
});

test('import errors: missing weights.bin, corrupt JSON, another format, unknown layer class, shape mismatch', async () => {
  const dir = tmp();
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], name: 'd1' }), tf.layers.dense({ units: 2, name: 'd2' })] });
  await saveFromTfjs(m, dir);
  const original = readFileSync(join(dir, 'model.json'), 'utf8');
  const json = JSON.parse(original);

  const bad = (mutate: (j: typeof json) => void): string => {
    const d = tmp();
    const j = JSON.parse(original);
    mutate(j);
    writeFileSync(join(d, 'model.json'), JSON.stringify(j));
    writeFileSync(join(d, 'weights.bin'), readFileSync(join(dir, 'weights.bin')));
    return d;
  };

  assert.throws(() => importTfjsLayersModel(join(tmp(), 'nothing')), nb.NotFoundError);

  const noWeights = tmp();
  writeFileSync(join(noWeights, 'model.json'), original);
  assert.throws(() => importTfjsLayersModel(noWeights), (e: Error) => e instanceof nb.NotFoundError && /weights\.bin/.test(e.message));

  const corrupt = tmp();
  writeFileSync(join(corrupt, 'model.json'), original.slice(0, 40));
  assert.throws(() => importTfjsLayersModel(corrupt), (e: Error) => e instanceof nb.InvalidArgumentError && /not valid JSON/.test(e.message));

  assert.throws(() => importTfjsLayersModel(bad((j) => (j.format = 'graph-model'))), /graph-model/);
  assert.throws(
    () => importTfjsLayersModel(bad((j) => (j.modelTopology.config.layers[1].class_name = 'Masking'))),
    (e: Error) => e instanceof nb.InvalidArgumentError && /'d2' \(Masking\)/.test(e.message),
  );
  assert.throws(
    () => importTfjsLayersModel(bad((j) => (j.modelTopology.config.layers[1].config.units = 4))),
    (e: Error) => e instanceof nb.ShapeError && /d2\/kernel/.test(e.message),
  );
  assert.throws(() => importTfjsLayersModel(bad((j) => (j.weightsManifest[0].weights[3].name = 'd2/other'))), /'d2\/bias'/);

  const truncated = bad(() => {});
  writeFileSync(join(truncated, 'weights.bin'), readFileSync(join(dir, 'weights.bin')).subarray(0, 20));
  assert.throws(() => importTfjsLayersModel(truncated), /truncated/);

  // A refused export writes nothing; a repeated export leaves exactly the two files (no temporaries).
  const refused = join(tmp(), 'refused');
  const lambda = nb.keras.sequential([L.lambda({ function: (x) => x, inputShape: [2] })]);
  assert.throws(() => exportTfjsLayersModel(lambda, refused), nb.InvalidArgumentError);
  assert.equal(existsSync(refused), false);
  const twice = tmp();
  const small = nb.keras.sequential([L.dense({ units: 2, inputShape: [3] })]);
  exportTfjsLayersModel(small, twice);
  exportTfjsLayersModel(small, twice);
  assert.deepEqual(readdirSync(twice).sort(), ['model.json', 'weights.bin']);
  assert.equal(json.weightsManifest[0].weights.length, 4);
});
