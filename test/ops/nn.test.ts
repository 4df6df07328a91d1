import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  batchNormalization,
  dropout,
  l2Normalize,
  logSoftmax,
  sigmoidCrossEntropyWithLogits,
  softmax,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../../src/ops/nn.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

const int = (values: number[]): nb.Tensor => nb.tensor(values, [values.length], 'int32');

function gradients(f: (...xs: nb.Tensor[]) => nb.Tensor, inputs: nb.Tensor[]): (nb.Tensor | null)[] {
  const tape = new nb.GradientTape();
  tape.watch(inputs);
  const y = tape.record(() => f(...inputs));
  return tape.gradient(y, inputs);
}

/** Softmax of one row in double precision, as the oracle. */
function softmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

test('softmax: hand-checked values; rows sum to 1', () => {
  assertClose(softmax(nb.tensor([1, 2, 3])), [0.09003057, 0.24472847, 0.66524096]);
  assertClose(softmax(nb.tensor([[0, 0], [0, Math.log(3)]])), [[0.5, 0.5], [0.25, 0.75]]);
  const y = softmax(rand([4, 7], -3, 3, 1));
  assertClose(nb.sum(y, -1), [1, 1, 1, 1]);
});

test('softmax / logSoftmax: numerically stable for huge and -Infinity logits', () => {
  assertClose(softmax(nb.tensor([1000, 1001, 1002])), softmaxRow([0, 1, 2]));
  assertClose(softmax(nb.tensor([-1000, -1001])), softmaxRow([0, -1]));
  assertClose(softmax(nb.tensor([0, -Infinity, 0])), [0.5, 0, 0.5]);
  assertClose(logSoftmax(nb.tensor([1000, 1000])), [-Math.LN2, -Math.LN2]);
  assertClose(logSoftmax(nb.tensor([0, -Infinity])), [0, -Infinity]);
});

test('logSoftmax: hand-checked values equal log(softmax)', () => {
  assertClose(logSoftmax(nb.tensor([1, 2, 3])), [-2.40760596, -1.40760596, -0.40760596]);
  const x = rand([3, 5], -4, 4, 2);
  assertClose(logSoftmax(x), nb.log(softmax(x)), 1e-5);
});

test('softmax / logSoftmax: any axis, by moving it last', () => {
  const x = rand([2, 3, 4], -2, 2, 3);
  const xv = x.arraySync() as number[][][];
  const y = softmax(x, 1).arraySync() as number[][][];
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < 4; k++) {
      const expected = softmaxRow([0, 1, 2].map((j) => xv[i]![j]![k]!));
      [0, 1, 2].forEach((j) => assert.ok(Math.abs(y[i]![j]![k]! - expected[j]!) < 1e-6));
    }
  }
  assertClose(nb.sum(softmax(x, 0), 0), nb.ones([3, 4]));
  assertClose(softmax(x, -1), softmax(x, 2));
  assertClose(logSoftmax(x, 0), nb.log(softmax(x, 0)), 1e-5);
});

test('softmax / logSoftmax: gradients on every axis', () => {
  const x = rand([2, 3, 4], -2, 2, 4);
  for (const axis of [-1, 0, 1]) {
    gradCheck((t) => softmax(t, axis), [x]);
    gradCheck((t) => logSoftmax(t, axis), [x]);
  }
});

test('softmax / logSoftmax: second-order gradients (nested tapes) match central differences', () => {
  const w = rand([2, 4], -1, 1, 5);
  const firstGrad = (f: (t: nb.Tensor) => nb.Tensor) => (x: nb.Tensor): nb.Tensor => {
    const tape = new nb.GradientTape();
    tape.watch(x);
    const y = tape.record(() => nb.sum(nb.mul(w, f(x))));
    return tape.gradient(y, x)!;
  };
  gradCheck(firstGrad((t) => softmax(t)), [rand([2, 4], -2, 2, 6)]);
  gradCheck(firstGrad((t) => logSoftmax(t)), [rand([2, 4], -2, 2, 7)]);
  gradCheck(firstGrad((t) => softmax(t, 0)), [rand([2, 4], -2, 2, 8)]);
});

test('softmax: second derivative of one probability matches the hand-derived formula', () => {
  // p0 = softmax(x)_0: ∂p0/∂x0 = p0(1−p0), ∂²p0/∂x0² = p0(1−p0)(1−2p0).
  const x = nb.tensor([0.3, -0.2, 0.5]);
  const p0 = softmaxRow([0.3, -0.2, 0.5])[0]!;
  const outerTape = new nb.GradientTape();
  outerTape.watch(x);
  const g = outerTape.record(() => {
    const inner = new nb.GradientTape();
    inner.watch(x);
    const y = inner.record(() => nb.sum(nb.mul(softmax(x), nb.tensor([1, 0, 0]))));
    return nb.sum(nb.mul(inner.gradient(y, x)!, nb.tensor([1, 0, 0])));
  });
  assert.ok(Math.abs(g.item() - p0 * (1 - p0)) < 1e-6);
  const h = outerTape.gradient(g, x)!;
  assert.ok(Math.abs(h.values[0]! - p0 * (1 - p0) * (1 - 2 * p0)) < 1e-6);
});

test('softmax: errors for scalars, ints and bad axes', () => {
  assert.throws(() => softmax(nb.scalar(1)), (e: unknown) => e instanceof nb.ShapeError && /softmax/.test(e.message));
  assert.throws(() => softmax(int([1, 2])), (e: unknown) => e instanceof nb.DTypeError && /softmax/.test(e.message));
  assert.throws(() => logSoftmax(nb.zeros([2, 2]), 2), (e: unknown) => e instanceof nb.InvalidArgumentError && /axis 2/.test(e.message));
});

test('softmaxCrossEntropyWithLogits: values, gradient softmax − labels, other axes', () => {
  const labels = nb.tensor([[0, 1, 0], [0.5, 0.25, 0.25]]);
  const logits = nb.tensor([[2, 1, 0.1], [0, 1, 2]]);
  const loss = softmaxCrossEntropyWithLogits({ labels, logits });
  const expected = [0, 1].map((r) => {
    const p = softmaxRow((logits.arraySync() as number[][])[r]!);
    const z = (labels.arraySync() as number[][])[r]!;
    return -z.reduce((acc, zi, i) => acc + zi * Math.log(p[i]!), 0);
  });
  assertClose(loss, expected);
  const [, gLogits] = gradients((z, x) => softmaxCrossEntropyWithLogits({ labels: z, logits: x }), [labels, logits]);
  assertClose(gLogits!, nb.sub(softmax(logits), labels));
  gradCheck((z, x) => softmaxCrossEntropyWithLogits({ labels: z, logits: x }), [labels, logits]);
  const labelsT = nb.tensor([[0, 0.5], [1, 0.25], [0, 0.25]]);
  const logitsT = nb.tensor([[2, 0], [1, 1], [0.1, 2]]);
  const lossT = softmaxCrossEntropyWithLogits({ labels: labelsT, logits: logitsT }, 0);
  assertClose(lossT, loss);
});

test('softmaxCrossEntropyWithLogits: stable for large logits; shape errors', () => {
  const loss = softmaxCrossEntropyWithLogits({ labels: nb.tensor([[1, 0]]), logits: nb.tensor([[1000, 0]]) });
  assertClose(loss, [0]);
  assert.throws(
    () => softmaxCrossEntropyWithLogits({ labels: nb.zeros([2, 3]), logits: nb.zeros([2, 4]) }),
    (e: unknown) => e instanceof nb.ShapeError && e.message.includes('[2,3]') && e.message.includes('[2,4]'),
  );
});

test('sparseSoftmaxCrossEntropyWithLogits: equals the dense loss with one-hot labels', () => {
  const logits = rand([4, 5], -2, 2, 9);
  const labels = int([0, 4, 2, 2]);
  const sparse = sparseSoftmaxCrossEntropyWithLogits({ labels, logits });
  const dense = softmaxCrossEntropyWithLogits({ labels: nb.oneHot(labels, 5), logits });
  assertClose(sparse, dense);
  assert.deepEqual(sparse.shape, [4]);
  gradCheck((x) => sparseSoftmaxCrossEntropyWithLogits({ labels, logits: x }), [logits]);
  const batched = sparseSoftmaxCrossEntropyWithLogits({ labels: nb.tensor([[1, 0]], undefined, 'int32'), logits: rand([1, 2, 3], -1, 1, 10) });
  assert.deepEqual(batched.shape, [1, 2]);
  assertClose(sparseSoftmaxCrossEntropyWithLogits({ labels: [1], logits: [[0, 0]] }), [Math.LN2]);
});

test('sparseSoftmaxCrossEntropyWithLogits: validates labels', () => {
  const logits = nb.zeros([2, 3]);
  assert.throws(
    () => sparseSoftmaxCrossEntropyWithLogits({ labels: int([0, 3]), logits }),
    (e: unknown) => e instanceof nb.InvalidArgumentError && /label 3/.test(e.message) && /\[0, 3\)/.test(e.message),
  );
  assert.throws(() => sparseSoftmaxCrossEntropyWithLogits({ labels: int([-1, 0]), logits }), nb.InvalidArgumentError);
  assert.throws(() => sparseSoftmaxCrossEntropyWithLogits({ labels: nb.tensor([0, 1]), logits }), (e: unknown) => e instanceof nb.DTypeError && /int32/.test(e.message));
  assert.throws(
    () => sparseSoftmaxCrossEntropyWithLogits({ labels: int([0, 1, 2]), logits }),
    (e: unknown) => e instanceof nb.ShapeError && e.message.includes('[3]') && e.message.includes('[2]'),
  );
});

test('sigmoidCrossEntropyWithLogits: values, stability and gradient sigmoid(x) − z', () => {
  const x = nb.tensor([2, -1, 0, 100, -100]);
  const z = nb.tensor([1, 0, 0.3, 0, 1]);
  const naive = (xi: number, zi: number): number => -(zi * Math.log(1 / (1 + Math.exp(-xi))) + (1 - zi) * Math.log(1 - 1 / (1 + Math.exp(-xi))));
  const loss = sigmoidCrossEntropyWithLogits({ labels: z, logits: x });
  assertClose(loss, [naive(2, 1), naive(-1, 0), naive(0, 0.3), 100, 100], 1e-5);
  const [, gx] = gradients((zz, xx) => sigmoidCrossEntropyWithLogits({ labels: zz, logits: xx }), [z, x]);
  assertClose(gx!, nb.sub(nb.sigmoid(x), z), 1e-6);
  gradCheck((zz, xx) => sigmoidCrossEntropyWithLogits({ labels: zz, logits: xx }), [rand([2, 3], 0, 1, 11), rand([2, 3], -3, 3, 12)]);
  assert.throws(() => sigmoidCrossEntropyWithLogits({ labels: nb.zeros([2]), logits: nb.zeros([3]) }), nb.ShapeError);
});

test('batchNormalization: hand-checked values with and without offset and scale', () => {
  const x = nb.tensor([[1, 2], [3, 4]]);
  const mean = nb.tensor([2, 3]);
  const variance = nb.tensor([1, 4]);
  assertClose(batchNormalization(x, mean, variance, undefined, undefined, 0), [[-1, -0.5], [1, 0.5]]);
  assertClose(batchNormalization(x, mean, variance, nb.tensor([10, 20]), nb.tensor([2, 4]), 0), [[8, 18], [12, 22]]);
  const eps = 1e-3;
  assertClose(batchNormalization(x, mean, variance, null, null), [[-1 / Math.sqrt(1 + eps), -1 / Math.sqrt(4 + eps)], [1 / Math.sqrt(1 + eps), 1 / Math.sqrt(4 + eps)]]);
  const { mean: m, variance: v } = nb.moments(x, 0);
  const y = batchNormalization(x, m, v, null, null, 0);
  assertClose(nb.mean(y, 0), [0, 0]);
});

test('batchNormalization: gradients wrt x, mean, variance, offset and scale', () => {
  gradCheck(
    (x, m, v, o, s) => batchNormalization(x, m, v, o, s, 1e-3),
    [rand([3, 2], -1, 1, 13), rand([2], -0.5, 0.5, 14), rand([2], 0.5, 1.5, 15), rand([2], -1, 1, 16), rand([2], 0.5, 2, 17)],
  );
});

test('batchNormalization: errors for shapes and epsilon', () => {
  assert.throws(
    () => batchNormalization(nb.zeros([2, 3]), nb.zeros([4]), nb.ones([3])),
    (e: unknown) => e instanceof nb.ShapeError && /batchNormalization/.test(e.message) && /mean/.test(e.message),
  );
  assert.throws(
    () => batchNormalization(nb.zeros([2, 3]), nb.zeros([3]), nb.ones([2, 2, 3])),
    (e: unknown) => e instanceof nb.ShapeError && /variance/.test(e.message),
  );
  assert.throws(() => batchNormalization(nb.zeros([2]), nb.zeros([2]), nb.ones([2]), null, null, -1), nb.InvalidArgumentError);
});

test('l2Normalize: values, axes, zero vectors and gradients', () => {
  assertClose(l2Normalize(nb.tensor([3, 4])), [0.6, 0.8]);
  assertClose(l2Normalize(nb.tensor([[3, 4], [0, 2]]), 1), [[0.6, 0.8], [0, 1]]);
  assertClose(l2Normalize(nb.tensor([[3, 4], [4, 3]]), 0), [[0.6, 0.8], [0.8, 0.6]]);
  assertClose(l2Normalize(nb.tensor([[1, 1], [1, 1]])), [[0.5, 0.5], [0.5, 0.5]]);
  assertClose(l2Normalize(nb.zeros([3])), [0, 0, 0]);
  gradCheck((x) => l2Normalize(x, -1), [rand([2, 3], -1, 1, 18)]);
  gradCheck((x) => l2Normalize(x), [rand([2, 3], -1, 1, 19)]);
});

test('dropout: drops about `rate` of the elements and scales the rest by 1/(1−rate)', () => {
  const x = nb.ones([100, 100]);
  const y = dropout(x, 0.3, { seed: 1 });
  let kept = 0;
  for (const v of y.values) {
    if (v !== 0) {
      kept++;
      assert.ok(Math.abs(v - 1 / 0.7) < 1e-6);
    }
  }
  assert.ok(Math.abs(kept / 10000 - 0.7) < 0.02, `kept fraction ${kept / 10000}`);
  assert.equal(dropout(x, 0), x);
});

test('dropout: reproducible under setSeed and op seeds; different seeds differ', () => {
  const x = nb.ones([50]);
  nb.setSeed(3);
  const a = dropout(x, 0.5);
  nb.setSeed(3);
  const b = dropout(x, 0.5);
  assert.deepEqual(a.values, b.values);
  assert.deepEqual(dropout(x, 0.5, { seed: 4 }).values, dropout(x, 0.5, { seed: 4 }).values);
  assert.notDeepEqual(dropout(x, 0.5, { seed: 4 }).values, dropout(x, 0.5, { seed: 5 }).values);
});

test('dropout: noiseShape keeps or drops whole slices; the gradient is the mask', () => {
  const x = nb.ones([6, 40]);
  const y = dropout(x, 0.5, { noiseShape: [1, 40], seed: 2 }).arraySync() as number[][];
  for (const row of y) assert.deepEqual(row, y[0]);
  const [g] = gradients((t) => dropout(t, 0.5, { seed: 9 }), [nb.ones([20])]);
  assertClose(g!, dropout(nb.ones([20]), 0.5, { seed: 9 }));
});

test('dropout: validates rate, noiseShape and dtype', () => {
  for (const rate of [1, -0.1, NaN, 1.5]) {
    assert.throws(() => dropout(nb.ones([2]), rate), (e: unknown) => e instanceof nb.InvalidArgumentError && /rate/.test(e.message));
  }
  assert.throws(() => dropout(nb.ones([2, 3]), 0.5, { noiseShape: [2, 2] }), (e: unknown) => e instanceof nb.ShapeError && /noiseShape/.test(e.message));
  assert.throws(() => dropout(nb.ones([2, 3]), 0.5, { noiseShape: [3] }), nb.ShapeError);
  assert.throws(() => dropout(int([1, 2]), 0.5), nb.DTypeError);
});
