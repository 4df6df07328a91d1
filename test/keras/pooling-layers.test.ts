import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { checkLayer } from './layer-check.js';
import { rand } from '../util/gradcheck.js';
import {
  AveragePooling1D,
  AveragePooling2D,
  MaxPooling1D,
  MaxPooling2D,
  averagePooling1d,
  averagePooling2d,
  maxPooling1d,
  maxPooling2d,
} from '../../src/keras/layers/pooling/pooling.js';
import {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalMaxPooling1d,
  globalMaxPooling2d,
} from '../../src/keras/layers/pooling/global-pooling.js';
import { UpSampling2D, upSampling2d } from '../../src/keras/layers/pooling/up-sampling2d.js';
import { Cropping2D, ZeroPadding2D, cropping2d, zeroPadding2d } from '../../src/keras/layers/pooling/padding2d.js';
import * as poolingBarrel from '../../src/keras/layers/pooling/index.js';

function assertClose(actual: nb.Tensor, expected: ArrayLike<number>, tol = 1e-5, what = 'values'): void {
  const a = actual.dataSync();
  assert.equal(a.length, expected.length, `${what}: size`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - expected[i]!) <= tol * (1 + Math.abs(expected[i]!)), `${what}[${i}]: ${a[i]} vs ${expected[i]}`);
}

test('MaxPooling1D / AveragePooling1D: shapes, gradients, config round-trip', () => {
  checkLayer(() => maxPooling1d({ poolSize: 2 }), MaxPooling1D, { inputShapes: [[2, 5, 3]], expectedShape: [2, 2, 3] });
  checkLayer(() => maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }), MaxPooling1D, { inputShapes: [[1, 5, 2]], expectedShape: [1, 3, 2] });
  checkLayer(() => averagePooling1d({ poolSize: 2, strides: 1 }), AveragePooling1D, { inputShapes: [[2, 4, 3]], expectedShape: [2, 3, 3] });
  checkLayer(() => averagePooling1d({ poolSize: [3], padding: 'same' }), AveragePooling1D, { inputShapes: [[1, 7, 2]], expectedShape: [1, 3, 2] });
});

test('MaxPooling2D / AveragePooling2D: shapes, gradients, config round-trip', () => {
  checkLayer(() => maxPooling2d(), MaxPooling2D, { inputShapes: [[2, 4, 5, 2]], expectedShape: [2, 2, 2, 2] });
  checkLayer(() => maxPooling2d({ poolSize: [3, 2], strides: [1, 2], padding: 'same' }), MaxPooling2D, { inputShapes: [[1, 3, 5, 2]], expectedShape: [1, 3, 3, 2] });
  checkLayer(() => averagePooling2d({ poolSize: 2, strides: 1 }), AveragePooling2D, { inputShapes: [[2, 3, 3, 2]], expectedShape: [2, 2, 2, 2] });
  checkLayer(() => averagePooling2d({ poolSize: 2, padding: 'same' }), AveragePooling2D, { inputShapes: [[1, 3, 5, 1]], expectedShape: [1, 2, 3, 1] });
});

test('Global pooling: shapes, gradients, config round-trip (with and without keepdims)', () => {
  checkLayer(() => globalAveragePooling2d(), GlobalAveragePooling2D, { inputShapes: [[2, 3, 4, 3]], expectedShape: [2, 3] });
  checkLayer(() => globalAveragePooling2d({ keepdims: true }), GlobalAveragePooling2D, { inputShapes: [[2, 3, 4, 3]], expectedShape: [2, 1, 1, 3] });
  checkLayer(() => globalMaxPooling2d(), GlobalMaxPooling2D, { inputShapes: [[2, 3, 3, 2]], expectedShape: [2, 2] });
  checkLayer(() => globalMaxPooling2d({ keepdims: true }), GlobalMaxPooling2D, { inputShapes: [[1, 3, 3, 2]], expectedShape: [1, 1, 1, 2] });
  checkLayer(() => globalAveragePooling1d(), GlobalAveragePooling1D, { inputShapes: [[2, 5, 3]], expectedShape: [2, 3] });
  checkLayer(() => globalMaxPooling1d({ keepdims: true }), GlobalMaxPooling1D, { inputShapes: [[2, 5, 3]], expectedShape: [2, 1, 3] });
});

test('UpSampling2D, ZeroPadding2D, Cropping2D: shapes, gradients, config round-trip', () => {
  checkLayer(() => upSampling2d(), UpSampling2D, { inputShapes: [[2, 2, 3, 2]], expectedShape: [2, 4, 6, 2] });
  checkLayer(() => upSampling2d({ size: [2, 3], interpolation: 'bilinear' }), UpSampling2D, { inputShapes: [[1, 2, 2, 2]], expectedShape: [1, 4, 6, 2] });
  checkLayer(() => zeroPadding2d(), ZeroPadding2D, { inputShapes: [[2, 2, 3, 2]], expectedShape: [2, 4, 5, 2] });
  checkLayer(() => zeroPadding2d({ padding: [[1, 0], [2, 1]] }), ZeroPadding2D, { inputShapes: [[1, 2, 2, 2]], expectedShape: [1, 3, 5, 2] });
  checkLayer(() => cropping2d({ cropping: [1, 2] }), Cropping2D, { inputShapes: [[2, 4, 5, 2]], expectedShape: [2, 2, 1, 2] });
  checkLayer(() => cropping2d({ cropping: [[0, 1], [2, 0]] }), Cropping2D, { inputShapes: [[1, 3, 4, 2]], expectedShape: [1, 2, 2, 2] });
});

test('pooling 1D equals pooling 2D over images of height 1, and hand-computed windows', () => {
  const x = rand([2, 7, 3], -1, 1, 4);
  const x4 = nb.reshape(x, [2, 1, 7, 3]);
  for (const padding of ['valid', 'same'] as const) {
    const m1 = maxPooling1d({ poolSize: 3, strides: 2, padding }).apply(x);
    const m2 = maxPooling2d({ poolSize: [1, 3], strides: [1, 2], padding }).apply(x4);
    assert.deepEqual(m1.dataSync(), m2.dataSync());
    const a1 = averagePooling1d({ poolSize: 3, strides: 2, padding }).apply(x);
    const a2 = averagePooling2d({ poolSize: [1, 3], strides: [1, 2], padding }).apply(x4);
    assertClose(a1, a2.dataSync());
  }
  // Hand-computed: windows [0..2], [2..4], [4..6] of one channel.
  const seq = [3, -1, 4, 1, -5, 9, 2];
  const t = nb.tensor(seq, [1, 7, 1]);
  assertClose(maxPooling1d({ poolSize: 3, strides: 2 }).apply(t), [4, 4, 9]);
  assertClose(averagePooling1d({ poolSize: 3, strides: 2 }).apply(t), [2, 0, 2]);
  // 'same' average pooling leaves padding out of the count: last window is [2] alone.
  assertClose(averagePooling1d({ poolSize: 2, padding: 'same' }).apply(t), [1, 2.5, 2, 2]);
  // 2-D: default strides = poolSize.
  const img = nb.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
  assertClose(maxPooling2d({ poolSize: 2 }).apply(img), [6, 8, 14, 16]);
  assertClose(averagePooling2d({ poolSize: 2 }).apply(img), [3.5, 5.5, 11.5, 13.5]);
  assertClose(globalAveragePooling2d().apply(img), [8.5]);
  assertClose(globalMaxPooling2d().apply(img), [16]);
  assertClose(globalAveragePooling1d().apply(t), [13 / 7]);
  assertClose(globalMaxPooling1d().apply(t), [9]);
});

test('UpSampling2D nearest repeats each pixel; bilinear keeps constants and interpolates', () => {
  const x = nb.tensor([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]);
  const y = upSampling2d({ size: [2, 3] }).apply(x);
  assert.deepEqual(y.shape, [1, 4, 6, 2]);
  const xv = x.dataSync();
  const yv = y.dataSync();
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 6; j++)
      for (let c = 0; c < 2; c++) assert.equal(yv[(i * 6 + j) * 2 + c], xv[(Math.floor(i / 2) * 2 + Math.floor(j / 3)) * 2 + c]);
  const flat = upSampling2d({ size: 2, interpolation: 'bilinear' }).apply(nb.fill([1, 3, 3, 1], 7));
  assertClose(flat, new Array(36).fill(7));
  // Half-pixel centres (tf.image.resize): a row [0, 4] becomes [0, 1, 3, 4].
  const row = upSampling2d({ size: [1, 2], interpolation: 'bilinear' }).apply(nb.tensor([0, 4], [1, 1, 2, 1]));
  assertClose(row, [0, 1, 3, 4]);
});

test('ZeroPadding2D and Cropping2D are inverse; padding forms; zeros at the borders', () => {
  const x = rand([2, 3, 4, 2], -1, 1, 8);
  for (const p of [1, [2, 1], [[1, 2], [0, 3]]] as const) {
    const padded = zeroPadding2d({ padding: p }).apply(x);
    const back = cropping2d({ cropping: p }).apply(padded);
    assert.deepEqual(back.shape, x.shape);
    assert.deepEqual(back.dataSync(), x.dataSync());
    // The padded tensor's sum equals the input's: everything added is zero.
    assertClose(nb.sum(padded), [nb.sum(x).item() as number], 1e-5);
  }
  const pad = zeroPadding2d({ padding: [[1, 0], [0, 2]] });
  assert.deepEqual(pad.padding, [[1, 0], [0, 2]]);
  const y = pad.apply(nb.ones([1, 1, 1, 1]));
  assert.deepEqual(Array.from(y.dataSync()), [0, 0, 0, 1, 0, 0]);
  const sym = zeroPadding2d({ padding: 2 }).apply(nb.keras.input({ shape: [null, 5, 3] }));
  assert.deepEqual(sym.shape, [null, null, 9, 3]);
  const csym = cropping2d({ cropping: [[1, 1], [2, 2]] }).apply(nb.keras.input({ shape: [null, 5, 3] }));
  assert.deepEqual(csym.shape, [null, null, 1, 3]);
});

test('pooling layers: bad arguments and inputs give errors naming the layer and the value', () => {
  assert.throws(
    () => maxPooling2d({ name: 'mp' }).apply(nb.zeros([4, 4, 3])),
    (e: Error) => e instanceof nb.ShapeError && /'mp'/.test(e.message) && /expected ndim=4, found ndim=3/.test(e.message),
  );
  assert.throws(
    () => averagePooling1d({ name: 'ap' }).apply(nb.zeros([1, 4, 4, 3])),
    (e: Error) => e instanceof nb.ShapeError && /'ap'/.test(e.message) && /expected ndim=3/.test(e.message),
  );
  assert.throws(() => maxPooling2d({ poolSize: 0 }), /MaxPooling2D: poolSize must be a positive integer/);
  assert.throws(() => maxPooling2d({ padding: 'causal' as 'same' }), /MaxPooling2D: padding must be one of 'valid', 'same', got 'causal'/);
  assert.throws(() => averagePooling2d({ dataFormat: 'channels_first' }), /AveragePooling2D: dataFormat 'channels_first' is not supported/);
  assert.throws(
    () => maxPooling2d({ name: 'big', poolSize: 5 }).apply(nb.zeros([1, 3, 3, 1])),
    (e: Error) => e instanceof nb.ShapeError && /MaxPooling2D 'big'/.test(e.message) && /too small/.test(e.message),
  );
  assert.throws(() => upSampling2d({ interpolation: 'bicubic' as 'nearest' }), /UpSampling2D: interpolation must be 'nearest' or 'bilinear', got "bicubic"/);
  assert.throws(() => upSampling2d({ size: -1 }), /UpSampling2D: size must be a positive integer/);
  assert.throws(() => zeroPadding2d({ padding: [1, 2, 3] as unknown as number }), /ZeroPadding2D: padding must be a non-negative integer, \[height, width\] or \[\[top, bottom\], \[left, right\]\]/);
  assert.throws(() => cropping2d({ cropping: -1 }), /Cropping2D: cropping must be a non-negative integer/);
  assert.throws(
    () => cropping2d({ name: 'crop', cropping: [2, 0] }).apply(nb.zeros([1, 4, 4, 1])),
    (e: Error) => e instanceof nb.ShapeError && /Cropping2D 'crop'/.test(e.message) && /removes the whole input/.test(e.message),
  );
  assert.throws(() => globalAveragePooling2d({ name: 'gap' }).apply(nb.zeros([2, 3])), /'gap'.*expected ndim=4/);
});

test('pooling barrel exports the classes and factories; Keras default names', () => {
  for (const name of [
    'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D',
    'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D', 'maxPooling1d', 'maxPooling2d',
    'averagePooling1d', 'averagePooling2d', 'globalAveragePooling1d', 'globalAveragePooling2d', 'globalMaxPooling1d',
    'globalMaxPooling2d', 'upSampling2d', 'zeroPadding2d', 'cropping2d',
  ]) {
    assert.equal(typeof (poolingBarrel as Record<string, unknown>)[name], 'function', name);
  }
  assert.match(maxPooling2d().name, /^max_pooling2d(_\d+)?$/);
  assert.match(globalAveragePooling2d().name, /^global_average_pooling2d(_\d+)?$/);
  assert.match(upSampling2d().name, /^up_sampling2d(_\d+)?$/);
  assert.deepEqual(maxPooling2d({ poolSize: [3, 2] }).getConfig().strides, [3, 2]);
});
