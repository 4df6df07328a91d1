import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('tensor infers shape and dtype from nested arrays', () => {
  const t = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.equal(t.rank, 2);
  assert.equal(t.size, 6);
  assert.deepEqual(t.arraySync(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(nb.tensor([true, false]).dtype, 'bool');
  assert.deepEqual(nb.tensor([true, false]).arraySync(), [true, false]);
  assert.deepEqual(nb.tensor([1, 2, 3, 4], [2, 2], 'int32').arraySync(), [[1, 2], [3, 4]]);
  assert.deepEqual(nb.scalar(3).shape, []);
  assert.equal(nb.scalar(3).item(), 3);
});

test('ragged arrays, wrong sizes and non-integers for int32 are rejected', () => {
  assert.throws(() => nb.tensor([[1, 2], [3]]), nb.ShapeError);
  assert.throws(() => nb.tensor([1, 2, 3], [2, 2]), /3 values cannot fill shape \[2,2\]/);
  assert.throws(() => nb.tensor([1.5], [1], 'int32'), nb.DTypeError);
  assert.throws(() => nb.zeros([2, -1]), nb.InvalidArgumentError);
});

test('dataSync returns a copy: changing it leaves the tensor intact', () => {
  const t = nb.tensor([1, 2]);
  const d = t.dataSync();
  d[0] = 99;
  assert.deepEqual(t.arraySync(), [1, 2]);
});

test('creation helpers', async () => {
  assert.deepEqual(nb.zeros([2]).arraySync(), [0, 0]);
  assert.deepEqual(nb.ones([2], 'int32').arraySync(), [1, 1]);
  assert.deepEqual(nb.fill([2], 7).arraySync(), [7, 7]);
  assert.deepEqual(nb.zerosLike(nb.tensor([[1, 2]])).shape, [1, 2]);
  assert.deepEqual(nb.onesLike(nb.tensor([1, 2], [2], 'int32')).dtype, 'int32');
  assert.deepEqual(nb.range(5).arraySync(), [0, 1, 2, 3, 4]);
  assert.equal(nb.range(5).dtype, 'int32');
  assert.deepEqual(nb.range(1, 2, 0.25).arraySync(), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(nb.range(5, 1, -2).arraySync(), [5, 3]);
  assert.deepEqual(nb.linspace(0, 1, 5).arraySync(), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(nb.eye(2, 3).arraySync(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(nb.eye(2, 2, [2]).shape, [2, 2, 2]);
  assert.deepEqual(nb.oneHot(nb.tensor([0, 2, 5], [3], 'int32'), 3).arraySync(), [[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(Array.from(await nb.tensor([1, 2]).data()), [1, 2]);
  assert.throws(() => nb.range(0, 1, 0), nb.InvalidArgumentError);
});

test('toString prints like TensorFlow', () => {
  assert.equal(nb.tensor([1, 2]).toString(), 'tf.Tensor([1. 2.], shape=(2,), dtype=float32)');
  assert.equal(nb.scalar(2, 'int32').toString(), 'tf.Tensor(2, shape=(), dtype=int32)');
  assert.equal(nb.tensor([[1, 2], [3, 4]], undefined, 'int32').toString(), 'tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)');
  assert.equal(nb.tensor([true, false]).toString(), 'tf.Tensor([ True False], shape=(2,), dtype=bool)');
  const big = nb.zeros([2000]).toString();
  assert.match(big, /\[0\. 0\. 0\. \.\.\. 0\. 0\. 0\.\], shape=\(2000,\)/);
});

test('TensorFlow dtype rules: no implicit mixing of float32 and int32', () => {
  const f = nb.tensor([1, 2]);
  const i = nb.tensor([1, 2], [2], 'int32');
  assert.throws(() => nb.add(f, i), (e: unknown) => e instanceof nb.DTypeError && /add/.test(e.message) && /float32/.test(e.message) && /int32/.test(e.message) && /cast/.test(e.message));
  assert.deepEqual(nb.add(i, 1).dtype, 'int32');
  assert.throws(() => nb.add(i, 1.5), nb.DTypeError);
  assert.deepEqual(nb.add(nb.cast(i, 'float32'), f).arraySync(), [2, 4]);
  assert.throws(() => nb.add(nb.tensor([true]), nb.tensor([false])), nb.DTypeError);
  assert.deepEqual(nb.div(nb.tensor([7, -7], [2], 'int32'), 2).arraySync(), [3, -4]);
});

test('Variable: assign, assignAdd, assignSub, names and trainable', () => {
  const v = new nb.Variable(nb.tensor([1, 2]), { name: 'v' });
  assert.equal(v.name, 'v');
  assert.equal(v.trainable, true);
  const snapshot = nb.reshape(v, [2, 1]);
  v.assign(nb.tensor([5, 6]));
  assert.deepEqual(v.arraySync(), [5, 6]);
  assert.deepEqual(snapshot.arraySync(), [[1], [2]], 'views of the old value do not change');
  v.assignAdd(nb.tensor([1, 1]));
  v.assignSub(nb.tensor([0.5, 0.5]));
  assert.deepEqual(v.arraySync(), [5.5, 6.5]);
  assert.deepEqual(v.initialValue.arraySync(), [1, 2]);
  assert.throws(() => v.assign(nb.tensor([1, 2, 3])), (e: unknown) => e instanceof nb.ShapeError && /\[3\]/.test(e.message) && /\[2\]/.test(e.message));
  assert.throws(() => v.assign(nb.tensor([1, 2], [2], 'int32')), nb.DTypeError);
  const w = new nb.Variable(nb.zeros([1]), { name: 'v', trainable: false });
  assert.equal(w.name, 'v_1');
  assert.equal(w.trainable, false);
});

test('Variable: assignAdd/assignSub on large float32 and int32 values, old reads unchanged', () => {
  const n = 5000;
  const start = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const delta = Float32Array.from({ length: n }, (_, i) => Math.cos(i) / 3);
  const v = new nb.Variable(nb.tensor(start, [50, 100]));
  const before = nb.identity(v);
  v.assignSub(nb.tensor(delta, [50, 100]));
  v.assignAdd(nb.tensor(delta, [50, 100]));
  v.assignSub(nb.tensor(delta, [50, 100]));
  const got = v.dataSync() as Float32Array;
  for (let i = 0; i < n; i += 97) assert.ok(Math.abs(got[i]! - (start[i]! - delta[i]!)) < 1e-6, `element ${i}`);
  assert.deepEqual(Array.from(before.dataSync() as Float32Array).slice(0, 5), Array.from(start.slice(0, 5)));
  const k = new nb.Variable(nb.tensor([3, 4], [2], 'int32'));
  k.assignSub(nb.tensor([1, 5], [2], 'int32'));
  k.assignAdd(nb.tensor([2, 2], [2], 'int32'));
  assert.deepEqual(k.arraySync(), [4, 1]);
  assert.equal(k.dtype, 'int32');
});
