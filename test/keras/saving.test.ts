import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { rand } from '../util/gradcheck.js';

const L = nb.keras.layers;

function build(): nb.keras.Sequential {
  return nb.keras.sequential([
    L.dense({ units: 6, activation: 'relu', inputShape: [3] }),
    L.batchNormalization(),
    L.dropout({ rate: 0.2 }),
    L.dense({ units: 2, activation: 'softmax' }),
  ]);
}

function data(seed: number): [nb.Tensor, nb.Tensor] {
  const x = rand([16, 3], -1, 1, seed);
  const labels = nb.cast(nb.greater(nb.sum(x, 1), 0), 'int32');
  return [x, labels];
}

test('save -> loadModel is bit-exact, and training continues exactly as without the interruption', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-save-'));
  nb.setSeed(21);
  const a = build();
  a.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  for (let i = 0; i < 3; i++) a.trainOnBatch(...data(i));
  a.save(join(dir, 'm.nabla'));
  const b = nb.keras.loadModel(join(dir, 'm.nabla'));
  assert.equal(b.getClassName(), 'Sequential');
  assert.deepEqual(b.weights.map((w) => w.name.replace(/_\d+/g, '')), a.weights.map((w) => w.name.replace(/_\d+/g, '')));
  b.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), a.getWeights()[i]!.dataSync(), `weight ${i}`));
  const [x] = data(9);
  assert.deepEqual((b.predict(x) as nb.Tensor).dataSync(), (a.predict(x) as nb.Tensor).dataSync());

  // Continue both: same seed for dropout, same optimizer state -> identical weights.
  for (const m of [a, b]) {
    nb.setSeed(99);
    for (let i = 3; i < 6; i++) m.trainOnBatch(...data(i));
  }
  b.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), a.getWeights()[i]!.dataSync(), `weight ${i} after continued training`));
  assert.equal(b.optimizer!.iterations, a.optimizer!.iterations);
});

test('saving is atomic: a failed save leaves the previous file intact and no temporary files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-atomic-'));
  const path = join(dir, 'm.nabla');
  const m = build();
  m.save(path);
  const before = readFileSync(path);
  // A weight whose values cannot be packed makes the save throw midway.
  const bad = m.weights[0]!;
  const values = bad.values;
  Object.defineProperty(bad, 'values', { get: () => { throw new Error('disk full'); }, configurable: true });
  assert.throws(() => m.save(path), /disk full/);
  Object.defineProperty(bad, 'values', { value: values, writable: true, configurable: true });
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(readdirSync(dir), ['m.nabla']);
});

test('saveWeights/loadWeights round-trip; functional and nested models save and load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-weights-'));
  nb.setSeed(4);
  const inner = nb.keras.sequential([L.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
  const inp = nb.keras.input({ shape: [3] });
  const out = L.dense({ units: 1 }).apply(inner.apply(inp));
  const m = nb.keras.model({ inputs: inp, outputs: out });
  m.saveWeights(join(dir, 'w.nabla'));
  m.save(join(dir, 'm.nabla'));
  const x = rand([5, 3], -1, 1, 1);
  const loaded = nb.keras.loadModel(join(dir, 'm.nabla'));
  assert.deepEqual((loaded.predict(x) as nb.Tensor).dataSync(), (m.predict(x) as nb.Tensor).dataSync());

  nb.setSeed(5);
  const inner2 = nb.keras.sequential([L.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
  const inp2 = nb.keras.input({ shape: [3] });
  const m2 = nb.keras.model({ inputs: inp2, outputs: L.dense({ units: 1 }).apply(inner2.apply(inp2)) });
  assert.notDeepEqual((m2.predict(x) as nb.Tensor).dataSync(), (m.predict(x) as nb.Tensor).dataSync());
  m2.loadWeights(join(dir, 'w.nabla'));
  assert.deepEqual((m2.predict(x) as nb.Tensor).dataSync(), (m.predict(x) as nb.Tensor).dataSync());
});

test('loading bad files: missing, foreign, truncated, mismatched architecture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-bad-'));
  assert.throws(() => nb.keras.loadModel(join(dir, 'none.nabla')), /no file/);
  writeFileSync(join(dir, 'foreign.nabla'), 'hello world, not a model');
  assert.throws(() => nb.keras.loadModel(join(dir, 'foreign.nabla')), /not a nabla file/);
  const m = build();
  m.save(join(dir, 'm.nabla'));
  const full = readFileSync(join(dir, 'm.nabla'));
  writeFileSync(join(dir, 'cut.nabla'), full.subarray(0, full.length - 10));
  assert.throws(() => nb.keras.loadModel(join(dir, 'cut.nabla')), /truncated or corrupt/);
  const other = nb.keras.sequential([L.dense({ units: 5, inputShape: [3] })]);
  assert.throws(() => other.loadWeights(join(dir, 'm.nabla')), /architectures differ|shape/);
});

test('a subclassed model cannot save its architecture (clear error) but saves and loads weights', () => {
  class Tiny extends nb.keras.Model {
    d = L.dense({ units: 2 });
    override call(x: nb.Tensor | nb.Tensor[]) {
      return this.d.apply(Array.isArray(x) ? x[0]! : x);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'nabla-sub-'));
  const m = new Tiny();
  const x = rand([2, 3]);
  m.apply(x);
  assert.throws(() => m.save(join(dir, 'm.nabla')), /subclassed.*saveWeights/);
  m.saveWeights(join(dir, 'w.nabla'));
  const n = new Tiny();
  n.apply(x);
  n.loadWeights(join(dir, 'w.nabla'));
  assert.deepEqual((n.predict(x) as nb.Tensor).dataSync(), (m.predict(x) as nb.Tensor).dataSync());
});
