import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { rand } from '../util/gradcheck.js';

const L = nb.keras.layers;
const cb = nb.keras.callbacks;
const { Dataset } = nb.data;

/** A linearly separable 2-class problem: label = x0 + x1 > 0. */
function blobs(n: number, seed: number): [nb.Tensor, nb.Tensor] {
  const x = rand([n, 2], -1, 1, seed);
  const v = x.values;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = v[2 * i]! + v[2 * i + 1]! > 0 ? 1 : 0;
  return [x, nb.tensor(y, [n, 1])];
}

function classifier(seed: number): nb.keras.Sequential {
  nb.setSeed(seed);
  const m = nb.keras.sequential([L.dense({ units: 8, activation: 'tanh', inputShape: [2] }), L.dense({ units: 1, activation: 'sigmoid' })]);
  m.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  m.build([null, 2]);
  return m;
}

const weightsOf = (m: nb.keras.Model): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

test('fit on a Dataset equals fit on the same tensors with shuffle off (same batches), with validation either way', async () => {
  const [x, y] = blobs(100, 1);
  const [vx, vy] = blobs(40, 2);
  const a = classifier(3);
  const ha = await a.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, validationData: [vx, vy] });
  const b = classifier(3);
  const ds = Dataset.fromTensorSlices([x, y]).batch(16);
  const hb = await b.fit(ds, { epochs: 3, verbose: 0, validationData: Dataset.fromTensorSlices([vx, vy]).batch(32) });
  assert.deepEqual(weightsOf(b), weightsOf(a));
  assert.deepEqual(hb.history['loss'], ha.history['loss']);
  assert.deepEqual(hb.history['accuracy'], ha.history['accuracy']);
  // Validation metrics are means over samples, so batch size only changes float rounding.
  ha.history['val_loss']!.forEach((v, i) => assert.ok(Math.abs(v - hb.history['val_loss']![i]!) < 1e-5));
  assert.deepEqual(hb.history['val_accuracy'], ha.history['val_accuracy']);
  // Tensor training with a Dataset for validation works too.
  const c = classifier(3);
  const hc = await c.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, validationData: Dataset.fromTensorSlices([vx, vy]).batch(32) });
  assert.deepEqual(hc.history['val_accuracy'], ha.history['val_accuracy']);
  assert.deepEqual(weightsOf(c), weightsOf(a));
});

test('evaluate and predict on a Dataset equal the tensor results (and return Promises)', async () => {
  const [x, y] = blobs(70, 4);
  const m = classifier(5);
  await m.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0 });
  const ds = Dataset.fromTensorSlices([x, y]).batch(32);
  const fromTensors = m.evaluate(x, y, { batchSize: 32 });
  const pending = m.evaluate(ds);
  assert.ok(pending instanceof Promise);
  assert.deepEqual(await pending, fromTensors);
  const p = m.predict(x, { batchSize: 32 }) as nb.Tensor;
  const fromPairs = (await m.predict(ds)) as nb.Tensor;
  const fromX = (await m.predict(Dataset.fromTensorSlices(x).batch(32))) as nb.Tensor;
  assert.deepEqual(fromPairs.shape, [70, 1]);
  assert.deepEqual(fromPairs.dataSync(), p.dataSync());
  assert.deepEqual(fromX.dataSync(), p.dataSync());
  assert.deepEqual(((await m.predict(ds, { steps: 1 })) as nb.Tensor).shape, [32, 1]);
  // Weighted elements [x, y, sampleWeight] match evaluate's sampleWeight.
  const sw = rand([70], 0, 1, 9);
  const weighted = m.evaluate(x, y, { batchSize: 32, sampleWeight: sw });
  assert.deepEqual(await m.evaluate(Dataset.fromTensorSlices([x, y, sw]).batch(32)), weighted);
});

test('multi-input model: dataset elements with records keyed by input name', async () => {
  nb.setSeed(6);
  const a = nb.keras.input({ shape: [2], name: 'a' });
  const b = nb.keras.input({ shape: [3], name: 'b' });
  const merged = L.concatenate().apply([a, b]) as nb.keras.SymbolicTensor;
  const m = nb.keras.model({ inputs: [a, b], outputs: L.dense({ units: 1 }).apply(merged) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const xa = rand([12, 2], -1, 1, 1);
  const xb = rand([12, 3], -1, 1, 2);
  const y = rand([12, 1], -1, 1, 3);
  const ds = Dataset.fromTensorSlices([{ a: xa, b: xb }, y]).batch(4);
  const h = await m.fit(ds, { epochs: 2, verbose: 0 });
  assert.equal(h.history['loss']!.length, 2);
  assert.deepEqual(await m.evaluate(ds), m.evaluate({ a: xa, b: xb }, y, { batchSize: 4 }));
  const p = (await m.predict(ds.map(([x]) => x))) as nb.Tensor;
  assert.deepEqual(p.dataSync(), (m.predict([xa, xb]) as nb.Tensor).dataSync());
});

test('stepsPerEpoch runs one iterator across epochs; unknown sizes are learnt after the first epoch', async () => {
  const [x, y] = blobs(40, 7);
  const m = classifier(8);
  const batches: number[] = [];
  const stepsSeen: (number | null)[] = [];
  const counter = new cb.LambdaCallback({
    onEpochBegin: function (this: nb.keras.callbacks.Callback) {
      stepsSeen.push(this.params.steps);
    },
    onTrainBatchEnd: (batch) => void batches.push(batch),
  });
  // Infinite: 4 steps per epoch, continuing where the last epoch stopped.
  let pulled = 0;
  const infinite = Dataset.fromTensorSlices([x, y]).batch(10).repeat().map((e) => (pulled++, e));
  await m.fit(infinite, { epochs: 3, stepsPerEpoch: 4, verbose: 0, callbacks: [counter] });
  assert.equal(batches.length, 12);
  assert.ok(pulled >= 12 && pulled <= 14, `pulled ${pulled}`);
  assert.deepEqual(stepsSeen, [4, 4, 4]);
  // Unknown cardinality: steps null in epoch 1, then known.
  batches.length = 0;
  stepsSeen.length = 0;
  const unknown = Dataset.fromTensorSlices([x, y]).batch(10).filter(() => true);
  assert.equal(unknown.cardinality(), nb.data.UNKNOWN);
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await m.fit(unknown, { epochs: 2, verbose: 2, callbacks: [counter] });
  } finally {
    process.stdout.write = write;
  }
  assert.deepEqual(stepsSeen, [null, 4]);
  assert.equal(batches.length, 8);
  const out = lines.join('');
  assert.match(out, /Epoch 1\/2\n4\/4 \[=+\]/);
  assert.doesNotMatch(out, /null|NaN/);
});

test('a finite dataset that runs out under stepsPerEpoch stops training with a warning', async () => {
  const [x, y] = blobs(20, 9);
  const m = classifier(10);
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    const h = await m.fit(Dataset.fromTensorSlices([x, y]).batch(5), { epochs: 5, stepsPerEpoch: 3, verbose: 0 });
    assert.equal(h.history['loss']!.length, 2, 'epoch 2 had one batch left; training stopped after it');
  } finally {
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
  }
  assert.ok(warnings.some((w) => /ran out after 1 of 3 steps in epoch 2/.test(w)), warnings.join('\n'));
});

test('Dataset misuse is reported clearly', async () => {
  const [x, y] = blobs(20, 11);
  const m = classifier(12);
  const ds = Dataset.fromTensorSlices([x, y]).batch(5);
  await assert.rejects(m.fit(ds, { batchSize: 5, verbose: 0 }), /batchSize cannot be used with a Dataset/);
  await assert.rejects(m.fit(ds, { validationSplit: 0.2, verbose: 0 }), /validationSplit cannot be used with a Dataset/);
  await assert.rejects(m.fit(ds as never, y as never, { verbose: 0 }), /already holds the targets/);
  await assert.rejects(m.fit(ds.repeat(), { verbose: 0 }), /infinite.*stepsPerEpoch/);
  await assert.rejects(m.fit(Dataset.fromTensorSlices([x, y]), { verbose: 0 }), /input 0 has 2 samples but target 0 has 1.*batch it first, e\.g\. ds\.batch\(32\)/);
  await assert.rejects(m.fit(Dataset.fromTensorSlices([x, nb.squeeze(y, [1])]), { verbose: 0 }), /holds a scalar.*batch the dataset first/);
  await assert.rejects(m.fit(Dataset.fromTensorSlices(x).batch(5), { verbose: 0 }), /\[x, y\] or \[x, y, sampleWeight\].*single Tensor/);
  await assert.rejects(m.fit(ds.take(0), { verbose: 0 }), /got no batches/);
  await assert.rejects(m.evaluate(ds.repeat()), /infinite/);
  await assert.rejects(m.evaluate(ds, { batchSize: 4 }), /batchSize cannot be used/);
  assert.equal((await m.evaluate(ds.repeat(), { steps: 2 }))['loss'] !== undefined, true);
  const uncompiled = nb.keras.sequential([L.dense({ units: 1, inputShape: [2] })]);
  await assert.rejects(uncompiled.evaluate(ds), /not compiled/);
});

test('a shuffled, prefetched CSV-like pipeline trains to high accuracy', async () => {
  const [x, y] = blobs(256, 13);
  const m = classifier(14);
  const ds = Dataset.fromTensorSlices({ features: x, label: y })
    .map((e) => [e.features, e.label] as const)
    .cache()
    .shuffle(256, { seed: 1 })
    .batch(32)
    .prefetch(2);
  const h = await m.fit(ds, { epochs: 8, verbose: 0 });
  assert.ok(h.history['accuracy']![7]! >= 0.9, `accuracy ${h.history['accuracy']![7]}`);
});

test('classWeight applies to Dataset batches as it does to tensors', async () => {
  const [x, y] = blobs(48, 15);
  const a = classifier(16);
  await a.fit(x, y, { epochs: 2, batchSize: 12, shuffle: false, verbose: 0, classWeight: { 0: 0.25, 1: 2 } });
  const b = classifier(16);
  await b.fit(Dataset.fromTensorSlices([x, y]).batch(12), { epochs: 2, verbose: 0, classWeight: { 0: 0.25, 1: 2 } });
  assert.deepEqual(weightsOf(b), weightsOf(a));
});
