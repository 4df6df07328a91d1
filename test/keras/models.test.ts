import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { rand } from '../util/gradcheck.js';

const L = nb.keras.layers;

function cnnLayers(): nb.keras.layers.Layer[] {
  return [
    L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dense({ units: 3, activation: 'softmax' }),
  ];
}

class SubclassedCNN extends nb.keras.Model {
  conv = L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' });
  pool = L.maxPooling2d({ poolSize: 2 });
  flat = L.flatten();
  head = L.dense({ units: 3, activation: 'softmax' });
  override call(x: nb.Tensor | nb.Tensor[]): nb.Tensor {
    const t = Array.isArray(x) ? x[0]! : x;
    return this.head.apply(this.flat.apply(this.pool.apply(this.conv.apply(t))));
  }
}

function batch(seed: number): [nb.Tensor, nb.Tensor] {
  const x = rand([8, 8, 8, 1], -1, 1, seed);
  const y = nb.oneHot(nb.cast(nb.floor(rand([8], 0, 2.999, seed + 1)), 'int32'), 3);
  return [x, y];
}

function trainThreeSteps(m: nb.keras.Model): nb.Tensor[] {
  m.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  for (let s = 0; s < 3; s++) {
    const [x, y] = batch(10 + s);
    m.trainOnBatch(x, y);
  }
  return m.getWeights();
}

test('the same CNN as Sequential, Functional and subclassed gives identical weights after 3 steps', () => {
  nb.setSeed(1234);
  const seq = nb.keras.sequential([L.inputLayer({ inputShape: [8, 8, 1] }), ...cnnLayers()]);
  const a = trainThreeSteps(seq);

  nb.setSeed(1234);
  const inputs = nb.keras.input({ shape: [8, 8, 1] });
  let h: nb.keras.SymbolicTensor = inputs;
  for (const layer of cnnLayers()) h = layer.apply(h);
  const b = trainThreeSteps(nb.keras.model({ inputs, outputs: h }));

  nb.setSeed(1234);
  const sub = new SubclassedCNN();
  sub.apply(nb.zeros([1, 8, 8, 1]));
  const c = trainThreeSteps(sub);

  assert.equal(a.length, 4);
  for (const other of [b, c]) {
    assert.equal(other.length, a.length);
    other.forEach((w, i) => assert.deepEqual(w.dataSync(), a[i]!.dataSync(), `weight ${i}`));
  }
  // and training really moved them
  nb.setSeed(1234);
  const fresh = nb.keras.sequential([L.inputLayer({ inputShape: [8, 8, 1] }), ...cnnLayers()]).getWeights();
  assert.notDeepEqual(fresh[0]!.dataSync(), a[0]!.dataSync());
});

function snapshot(ws: nb.Variable[]): Float32Array[] {
  return ws.map((w) => w.dataSync() as Float32Array);
}

test('GAN pattern: combined model with a frozen discriminator trains only the generator; D still trains alone', () => {
  nb.setSeed(7);
  const generator = nb.keras.sequential([
    L.dense({ units: 8, activation: 'relu', inputShape: [4] }),
    L.dense({ units: 6, activation: 'tanh' }),
  ]);
  const discriminator = nb.keras.sequential([
    L.dense({ units: 8, activation: 'relu', inputShape: [6] }),
    L.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  discriminator.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  discriminator.trainable = false;
  const noise = nb.keras.input({ shape: [4] });
  const combined = nb.keras.model({ inputs: noise, outputs: discriminator.apply(generator.apply(noise)) });
  combined.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  assert.equal(combined.trainableWeights.length, 4);

  const z = rand([16, 4], -1, 1, 3);
  const ones = nb.ones([16, 1]);
  const g0 = snapshot(generator.weights);
  const d0 = snapshot(discriminator.weights);
  combined.trainOnBatch(z, ones);
  snapshot(generator.weights).forEach((w, i) => assert.notDeepEqual(w, g0[i], `generator weight ${i} changed`));
  snapshot(discriminator.weights).forEach((w, i) => assert.deepEqual(w, d0[i], `discriminator weight ${i} unchanged`));

  const fake = generator.predict(z) as nb.Tensor;
  discriminator.trainOnBatch(fake, nb.zeros([16, 1]));
  snapshot(discriminator.weights).forEach((w, i) => assert.notDeepEqual(w, d0[i], `discriminator weight ${i} trained on its own`));
});

test('trainable=false freezes nested layers; summary counts trainable and non-trainable params', () => {
  const inner = nb.keras.sequential([L.dense({ units: 3, inputShape: [2] })]);
  const outer = nb.keras.sequential([inner, L.dense({ units: 1 })]);
  assert.equal(outer.trainableWeights.length, 4);
  inner.trainable = false;
  assert.equal(outer.trainableWeights.length, 2);
  assert.equal(outer.nonTrainableWeights.length, 2);
  assert.equal(inner.layers[0]!.trainable, false);
  const lines: string[] = [];
  const text = outer.summary({ printFn: (l) => lines.push(l) });
  assert.match(text, /Total params: 13/);
  assert.match(text, /Trainable params: 4/);
  assert.match(text, /Non-trainable params: 9/);
  assert.match(text, /\(None, 1\)/);
  assert.equal(lines.length, 1);
});

test('functional model: multi-input, multi-output, shared layer; config round-trip rebuilds the same graph', () => {
  nb.setSeed(3);
  const a = nb.keras.input({ shape: [4], name: 'a' });
  const b = nb.keras.input({ shape: [4], name: 'b' });
  const shared = L.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const merged = L.concatenate().apply([shared.apply(a), shared.apply(b)]) as nb.keras.SymbolicTensor;
  const out1 = L.dense({ units: 2, name: 'out1' }).apply(merged);
  const out2 = L.dense({ units: 1, activation: 'sigmoid', name: 'out2' }).apply(merged);
  const m = nb.keras.model({ inputs: [a, b], outputs: [out1, out2] });
  assert.deepEqual(m.inputNames, ['a', 'b']);
  assert.deepEqual(m.outputNames, ['out1', 'out2']);
  assert.equal(m.weights.length, 6);
  const xa = rand([5, 4], -1, 1, 1);
  const xb = rand([5, 4], -1, 1, 2);
  const [p1, p2] = m.predict([xa, xb]) as nb.Tensor[];
  assert.deepEqual(p1!.shape, [5, 2]);
  assert.deepEqual(p2!.shape, [5, 1]);
  const copy = nb.keras.Functional.fromConfig(JSON.parse(JSON.stringify(m.getConfig())) as Record<string, unknown>);
  copy.setWeights(m.getWeights());
  const [q1, q2] = copy.predict({ a: xa, b: xb }) as nb.Tensor[];
  assert.deepEqual(q1!.dataSync(), p1!.dataSync());
  assert.deepEqual(q2!.dataSync(), p2!.dataSync());

  m.compile({ optimizer: 'sgd', loss: { out1: 'mse', out2: 'binaryCrossentropy' }, lossWeights: { out1: 1, out2: 0.5 }, metrics: { out2: ['accuracy'] } });
  const result = m.trainOnBatch([xa, xb], [nb.zeros([5, 2]), nb.ones([5, 1])]) as number[];
  assert.deepEqual(m.metricsNames, ['loss', 'out1_loss', 'out2_loss', 'out2_accuracy']);
  assert.ok(Math.abs(result[0]! - (result[1]! + 0.5 * result[2]!)) < 1e-5, `total ${result[0]} = out1 + 0.5 out2`);
});

test('functional model: a disconnected graph and non-Input inputs are clear errors', () => {
  const a = nb.keras.input({ shape: [2] });
  const b = nb.keras.input({ shape: [2] });
  const out = L.add().apply([a, b]);
  assert.throws(() => nb.keras.model({ inputs: a, outputs: out }), /graph disconnected/);
  const h = L.dense({ units: 2 }).apply(a);
  assert.throws(() => nb.keras.model({ inputs: h, outputs: out }), /must come from nb\.keras\.input/);
});

test('a custom layer (subclassing Layer) with addWeight and addLoss trains inside a model; its loss is added', () => {
  class ScaledActivityPenalty extends nb.keras.layers.Layer {
    static override readonly className = 'ScaledActivityPenalty';
    scale!: nb.Variable;
    override build(inputShape: readonly (number | null)[]): void {
      this.scale = this.addWeight('scale', { shape: [inputShape[inputShape.length - 1]!], initializer: nb.keras.initializers.ones() });
    }
    override call(x: nb.Tensor | nb.Tensor[]): nb.Tensor {
      const y = nb.mul(Array.isArray(x) ? x[0]! : x, this.scale);
      this.addLoss(nb.mul(0.5, nb.mean(nb.square(y))));
      return y;
    }
  }
  nb.setSeed(8);
  const custom = new ScaledActivityPenalty();
  const m = nb.keras.sequential([L.dense({ units: 3, inputShape: [2] }), custom]);
  m.compile({ optimizer: nb.keras.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const x = rand([4, 2], -1, 1, 1);
  const y = nb.zeros([4, 3]);
  const pred = m.predict(x) as nb.Tensor;
  const mse = nb.mean(nb.square(pred)).item() as number;
  const loss = m.testOnBatch(x, y) as number;
  assert.ok(Math.abs(loss - 1.5 * mse) < 1e-5, `loss ${loss} = mse ${mse} + 0.5 mse`);
  const before = custom.scale.dataSync();
  m.trainOnBatch(x, y);
  assert.notDeepEqual(custom.scale.dataSync(), before, 'the custom weight trains');
  assert.equal(m.countParams(), 2 * 3 + 3 + 3);
});
