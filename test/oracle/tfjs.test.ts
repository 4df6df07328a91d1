// Independent oracle: nabla's ops against TensorFlow.js's CPU backend on the same random inputs.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../../src/index.js';

type Arr = Float32Array | Int32Array | Uint8Array;

let seed = 12345;
function randomValues(n: number, lo: number, hi: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    v[i] = lo + ((seed >>> 8) / 16777216) * (hi - lo);
  }
  return v;
}

/** The same random float tensor in both libraries. */
function pair(shape: number[], lo = -1, hi = 1): [nb.Tensor, tf.Tensor] {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = randomValues(n, lo, hi);
  return [nb.tensor(v, shape), tf.tensor(v, shape)];
}

function intPair(values: number[], shape: number[]): [nb.Tensor, tf.Tensor] {
  return [nb.tensor(values, shape, 'int32'), tf.tensor(values, shape, 'int32')];
}

function compare(name: string, ours: nb.Tensor, theirs: tf.Tensor, tol = 1e-4): void {
  assert.deepEqual([...ours.shape], theirs.shape, `${name}: shape`);
  const a = ours.values as Arr;
  const b = theirs.dataSync() as Arr;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    assert.ok(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)), `${name}: element ${i}: nabla ${x} vs tfjs ${y}`);
  }
}

before(async () => {
  await tf.setBackend('cpu');
});

const cases: [string, () => [nb.Tensor, tf.Tensor]][] = [];
const add = (name: string, f: () => [nb.Tensor, tf.Tensor]): void => {
  cases.push([name, f]);
};

// Element-wise binary with broadcasting.
add('add', () => { const [a, ta] = pair([3, 1, 4]); const [b, tb] = pair([5, 1]); return [nb.add(a, b), tf.add(ta, tb)]; });
add('sub', () => { const [a, ta] = pair([2, 3]); const [b, tb] = pair([3]); return [nb.sub(a, b), tf.sub(ta, tb)]; });
add('mul', () => { const [a, ta] = pair([4, 3]); const [b, tb] = pair([4, 1]); return [nb.mul(a, b), tf.mul(ta, tb)]; });
add('div', () => { const [a, ta] = pair([6]); const [b, tb] = pair([6], 0.5, 2); return [nb.div(a, b), tf.div(ta, tb)]; });
add('pow', () => { const [a, ta] = pair([6], 0.1, 2); const [b, tb] = pair([6], -2, 2); return [nb.pow(a, b), tf.pow(ta, tb)]; });
add('maximum', () => { const [a, ta] = pair([2, 5]); const [b, tb] = pair([5]); return [nb.maximum(a, b), tf.maximum(ta, tb)]; });
add('minimum', () => { const [a, ta] = pair([2, 5]); const [b, tb] = pair([2, 1]); return [nb.minimum(a, b), tf.minimum(ta, tb)]; });
add('squaredDifference', () => { const [a, ta] = pair([7]); const [b, tb] = pair([7]); return [nb.squaredDifference(a, b), tf.squaredDifference(ta, tb)]; });
// Unary.
add('exp', () => { const [a, ta] = pair([9], -3, 3); return [nb.exp(a), tf.exp(ta)]; });
add('log', () => { const [a, ta] = pair([9], 0.01, 5); return [nb.log(a), tf.log(ta)]; });
add('sqrt', () => { const [a, ta] = pair([9], 0, 5); return [nb.sqrt(a), tf.sqrt(ta)]; });
add('sigmoid', () => { const [a, ta] = pair([9], -8, 8); return [nb.sigmoid(a), tf.sigmoid(ta)]; });
add('tanh', () => { const [a, ta] = pair([9], -4, 4); return [nb.tanh(a), tf.tanh(ta)]; });
add('relu', () => { const [a, ta] = pair([9]); return [nb.relu(a), tf.relu(ta)]; });
add('elu', () => { const [a, ta] = pair([9], -3, 3); return [nb.elu(a), tf.elu(ta)]; });
add('selu', () => { const [a, ta] = pair([9], -3, 3); return [nb.selu(a), tf.selu(ta)]; });
add('softplus', () => { const [a, ta] = pair([9], -10, 10); return [nb.softplus(a), tf.softplus(ta)]; });
add('leakyRelu', () => { const [a, ta] = pair([9]); return [nb.leakyRelu(a, 0.3), tf.leakyRelu(ta, 0.3)]; });
add('clipByValue', () => { const [a, ta] = pair([9], -2, 2); return [nb.clipByValue(a, -0.5, 0.7), tf.clipByValue(ta, -0.5, 0.7)]; });
// Reductions.
add('sum', () => { const [a, ta] = pair([3, 4, 5]); return [nb.sum(a, [0, 2]), tf.sum(ta, [0, 2])]; });
add('mean', () => { const [a, ta] = pair([3, 4, 5]); return [nb.mean(a, 1, true), tf.mean(ta, 1, true)]; });
add('max', () => { const [a, ta] = pair([3, 4, 5]); return [nb.max(a, -1), tf.max(ta, -1)]; });
add('min', () => { const [a, ta] = pair([3, 4, 5]); return [nb.min(a, 0), tf.min(ta, 0)]; });
add('prod', () => { const [a, ta] = pair([3, 4], 0.5, 1.5); return [nb.prod(a, 1), tf.prod(ta, 1)]; });
add('argMax', () => { const [a, ta] = pair([4, 6]); return [nb.argMax(a, 1), tf.argMax(ta, 1)]; });
add('logSumExp', () => { const [a, ta] = pair([4, 6], -20, 20); return [nb.logSumExp(a, 1), tf.logSumExp(ta, 1)]; });
add('moments.variance', () => { const [a, ta] = pair([5, 6]); return [nb.moments(a, 0).variance, tf.moments(ta, 0).variance]; });
// Linear algebra.
add('matMul', () => { const [a, ta] = pair([7, 5]); const [b, tb] = pair([5, 3]); return [nb.matMul(a, b), tf.matMul(ta, tb)]; });
add('matMul transposed batched', () => {
  const [a, ta] = pair([2, 5, 7]); const [b, tb] = pair([2, 3, 5]);
  return [nb.matMul(a, b, true, true), tf.matMul(ta, tb, true, true)];
});
// NN.
add('softmax', () => { const [a, ta] = pair([4, 7], -5, 5); return [nb.softmax(a), tf.softmax(ta)]; });
add('logSoftmax', () => { const [a, ta] = pair([4, 7], -5, 5); return [nb.logSoftmax(a), tf.logSoftmax(ta)]; });
add('softmaxCrossEntropyWithLogits', () => {
  const [logits, tl] = pair([5, 4], -3, 3);
  const labels = nb.softmax(pair([5, 4])[0]);
  const tLabels = tf.tensor(labels.dataSync(), [5, 4]);
  return [
    nb.softmaxCrossEntropyWithLogits({ labels, logits }),
    tf.losses.softmaxCrossEntropy(tLabels, tl, undefined, 0, tf.Reduction.NONE),
  ];
});
add('sigmoidCrossEntropyWithLogits', () => {
  const [logits, tl] = pair([6], -5, 5);
  const [labels, tlab] = pair([6], 0, 1);
  return [nb.sigmoidCrossEntropyWithLogits({ labels, logits }), tf.losses.sigmoidCrossEntropy(tlab, tl, undefined, 0, tf.Reduction.NONE)];
});
add('batchNormalization', () => {
  const [x, tx] = pair([2, 3, 4]); const [m, tm] = pair([4]); const [v, tv] = pair([4], 0.5, 2);
  const [o, to] = pair([4]); const [s, ts] = pair([4]);
  return [nb.batchNormalization(x, m, v, o, s, 1e-3), tf.batchNorm(tx, tm, tv, to, ts, 1e-3)];
});
add('conv2d same stride 2', () => {
  const [x, tx] = pair([2, 7, 6, 3]); const [f, tfl] = pair([3, 3, 3, 4]);
  return [nb.conv2d(x, f, 2, 'same'), tf.conv2d(tx as tf.Tensor4D, tfl as tf.Tensor4D, 2, 'same')];
});
add('conv2d valid dilation 2', () => {
  const [x, tx] = pair([1, 9, 8, 2]); const [f, tfl] = pair([3, 2, 2, 3]);
  return [nb.conv2d(x, f, 1, 'valid', 'NHWC', 2), tf.conv2d(tx as tf.Tensor4D, tfl as tf.Tensor4D, 1, 'valid', 'NHWC', 2)];
});
add('conv2dTranspose', () => {
  const [x, tx] = pair([2, 4, 4, 3]); const [f, tfl] = pair([3, 3, 5, 3]);
  return [nb.conv2dTranspose(x, f, [2, 8, 8, 5], 2, 'same'), tf.conv2dTranspose(tx as tf.Tensor4D, tfl as tf.Tensor4D, [2, 8, 8, 5], 2, 'same')];
});
add('depthwiseConv2d', () => {
  const [x, tx] = pair([2, 6, 6, 3]); const [f, tfl] = pair([3, 3, 3, 2]);
  return [nb.depthwiseConv2d(x, f, 1, 'same'), tf.depthwiseConv2d(tx as tf.Tensor4D, tfl as tf.Tensor4D, 1, 'same')];
});
add('maxPool', () => { const [x, tx] = pair([2, 7, 7, 3]); return [nb.maxPool(x, 3, 2, 'same'), tf.maxPool(tx as tf.Tensor4D, 3, 2, 'same')]; });
add('avgPool', () => { const [x, tx] = pair([2, 6, 6, 3]); return [nb.avgPool(x, 2, 2, 'valid'), tf.avgPool(tx as tf.Tensor4D, 2, 2, 'valid')]; });
add('resizeBilinear', () => { const [x, tx] = pair([1, 4, 5, 2]); return [nb.image.resizeBilinear(x, [7, 3]), tf.image.resizeBilinear(tx as tf.Tensor4D, [7, 3])]; });
add('resizeBilinear halfPixelCenters', () => {
  const [x, tx] = pair([1, 4, 5, 2]);
  return [nb.image.resizeBilinear(x, [8, 9], false, true), tf.image.resizeBilinear(tx as tf.Tensor4D, [8, 9], false, true)];
});
add('resizeNearestNeighbor', () => { const [x, tx] = pair([1, 3, 4, 1]); return [nb.image.resizeNearestNeighbor(x, [6, 8]), tf.image.resizeNearestNeighbor(tx as tf.Tensor4D, [6, 8])]; });
// Layout.
add('transpose', () => { const [x, tx] = pair([2, 3, 4]); return [nb.transpose(x, [2, 0, 1]), tf.transpose(tx, [2, 0, 1])]; });
add('concat', () => { const [a, ta] = pair([2, 3]); const [b, tb] = pair([2, 5]); return [nb.concat([a, b], 1), tf.concat([ta, tb], 1)]; });
add('gather', () => {
  const [x, tx] = pair([5, 3]); const [i, ti] = intPair([4, 0, 2, 2], [4]);
  return [nb.gather(x, i, 0), tf.gather(tx, ti, 0)];
});
add('gatherND', () => {
  const [x, tx] = pair([4, 3, 2]); const [i, ti] = intPair([0, 1, 3, 2], [2, 2]);
  return [nb.gatherND(x, i), tf.gatherND(tx, ti)];
});
add('pad constant', () => { const [x, tx] = pair([2, 3]); return [nb.pad(x, [[1, 0], [2, 1]], 5), tf.pad(tx, [[1, 0], [2, 1]], 5)]; });
add('mirrorPad reflect', () => { const [x, tx] = pair([3, 4]); return [nb.mirrorPad(x, [[1, 2], [2, 1]], 'reflect'), tf.mirrorPad(tx, [[1, 2], [2, 1]], 'reflect')]; });
add('tile', () => { const [x, tx] = pair([2, 3]); return [nb.tile(x, [2, 3]), tf.tile(tx, [2, 3])]; });
add('reverse', () => { const [x, tx] = pair([3, 4]); return [nb.reverse(x, [0, 1]), tf.reverse(tx, [0, 1])]; });
add('stridedSlice', () => {
  const [x, tx] = pair([6, 5]);
  return [nb.stridedSlice(x, [5, 1], [0, 5], [-2, 2]), tf.stridedSlice(tx, [5, 1], [0, 5], [-2, 2])];
});
add('slice', () => { const [x, tx] = pair([4, 5]); return [nb.slice(x, [1, 2], [2, -1]), tf.slice(tx, [1, 2], [2, -1])]; });
add('oneHot', () => { const [i, ti] = intPair([1, 0, 3], [3]); return [nb.oneHot(i, 4), tf.oneHot(ti as tf.Tensor1D, 4).toFloat()]; });

for (const [name, f] of cases) {
  test(`oracle: ${name}`, () => {
    const [ours, theirs] = f();
    compare(name, ours, theirs);
  });
}

test('oracle covers at least 30 ops', () => {
  assert.ok(cases.length >= 30, `${cases.length} cases`);
});

// Gradients, against tfjs's own gradients.
test('oracle gradients: conv2d, maxPool, matMul, softmax cross-entropy', () => {
  const [x, tx] = pair([2, 6, 6, 2]);
  const [f, tfl] = pair([3, 3, 2, 3]);
  const ours = nb.grads((a, b) => nb.sum(nb.maxPool(nb.conv2d(a!, b!, 1, 'same'), 2, 2, 'valid')))([x, f]);
  const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), 2, 2, 'valid')))([tx, tfl]);
  compare('d conv2d/maxPool / dx', ours[0]!, theirs[0]!, 1e-3);
  compare('d conv2d/maxPool / dfilter', ours[1]!, theirs[1]!, 1e-3);

  const [a, ta] = pair([4, 5]);
  const [w, tw] = pair([5, 3]);
  // tfjs's gradient assumes each label row sums to 1, as a probability distribution does.
  const labels = nb.softmax(pair([4, 3])[0]);
  const tlab = tf.tensor(labels.dataSync(), [4, 3]);
  const g = nb.grads((p, q) => nb.sum(nb.softmaxCrossEntropyWithLogits({ labels, logits: nb.matMul(p!, q!) })))([a, w]);
  const tg = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.losses.softmaxCrossEntropy(tlab, tf.matMul(p, q), undefined, 0, tf.Reduction.SUM))([ta, tw]);
  compare('d softmaxCE(matMul) / da', g[0]!, tg[0]!, 1e-3);
  compare('d softmaxCE(matMul) / dw', g[1]!, tg[1]!, 1e-3);
});
