import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

const M = [[1, 5, 3], [4, 2, 6]];

function gradients(f: (...xs: nb.Tensor[]) => nb.Tensor, inputs: nb.Tensor[]): (nb.Tensor | null)[] {
  const tape = new nb.GradientTape();
  tape.watch(inputs);
  const y = tape.record(() => f(...inputs));
  return tape.gradient(y, inputs);
}

/** The axis arguments every reduction is checked with on a rank-3 input. */
const AXES: (number | number[] | undefined)[] = [undefined, 0, 1, -1, [0, 2], [1, 2], [0, 1, 2]];

test('sum: all axes, single axes, axis lists, keepDims, negative axes', () => {
  const x = nb.tensor(M);
  assertClose(nb.sum(x), 21);
  assertClose(nb.sum(x, 0), [5, 7, 9]);
  assertClose(nb.sum(x, 1), [9, 12]);
  assertClose(nb.sum(x, -1, true), [[9], [12]]);
  assertClose(nb.sum(x, [0, 1], true), [[21]]);
  assertClose(nb.sum(x, []), M);
  assert.deepEqual(nb.sum(nb.ones([2, 3, 4]), [0, 2]).shape, [3]);
  assert.deepEqual([...nb.sum(nb.tensor(M, undefined, 'int32'), 1).values], [9, 12]);
  assertClose(nb.sum(nb.zeros([0, 3]), 0), [0, 0, 0]);
});

test('mean: values, keepDims and int32 truncation', () => {
  const x = nb.tensor(M);
  assertClose(nb.mean(x), 3.5);
  assertClose(nb.mean(x, 0), [2.5, 3.5, 4.5]);
  assertClose(nb.mean(x, 1, true), [[3], [4]]);
  assert.deepEqual([...nb.mean(nb.tensor([[1, 2], [3, 5]], undefined, 'int32'), 1).values], [1, 4]);
  assert.ok(Number.isNaN(nb.mean(nb.zeros([0])).item()));
});

test('max / min: values, NaN propagation and empty reductions', () => {
  const x = nb.tensor(M);
  assertClose(nb.max(x), 6);
  assertClose(nb.max(x, 0), [4, 5, 6]);
  assertClose(nb.min(x, 1), [1, 2]);
  assertClose(nb.min(x, [0, 1], true), [[1]]);
  assertClose(nb.max(nb.tensor([1, NaN, 3])), NaN);
  assert.equal(nb.max(nb.zeros([0])).item(), -Infinity);
  assert.equal(nb.min(nb.zeros([0])).item(), Infinity);
  assert.deepEqual([...nb.max(nb.tensor(M, undefined, 'int32'), 1).values], [5, 6]);
});

test('prod: values including zeros', () => {
  assertClose(nb.prod(nb.tensor(M)), 720);
  assertClose(nb.prod(nb.tensor(M), 0), [4, 10, 18]);
  assertClose(nb.prod(nb.tensor([[2, 0, 3], [1, 2, 3]]), 1), [0, 6]);
  assertClose(nb.prod(nb.zeros([0])), 1);
});

test('all / any over bool tensors', () => {
  const b = nb.tensor([[true, false], [true, true]]);
  assert.deepEqual(nb.all(b, 1).arraySync(), [false, true]);
  assert.deepEqual(nb.any(b, 0).arraySync(), [true, true]);
  assert.equal(nb.all(b).arraySync(), false);
  assert.equal(nb.any(nb.tensor([false, false])).arraySync(), false);
  assert.equal(nb.all(nb.zeros([0], 'bool')).arraySync(), true);
  assert.throws(() => nb.all(nb.tensor([1, 2])), nb.DTypeError);
});

test('argMax / argMin: int32 indices, first occurrence wins on ties', () => {
  const x = nb.tensor([[1, 5, 5], [7, 2, 7]]);
  const am = nb.argMax(x, 1);
  assert.equal(am.dtype, 'int32');
  assert.deepEqual([...am.values], [1, 0]);
  assert.deepEqual([...nb.argMax(x).values], [1, 0, 1]);
  assert.deepEqual([...nb.argMin(x, -1).values], [0, 1]);
  assert.deepEqual([...nb.argMin(nb.tensor([3, 1, 1])).values], [1]);
  assert.throws(() => nb.argMax(x, 2), (e: unknown) => e instanceof nb.InvalidArgumentError && /argMax/.test(e.message));
});

test('reductions: gradients on every axis combination', () => {
  const x = rand([2, 3, 4], -1, 1, 1); // distinct values, so max/min have no ties
  for (const axis of AXES) {
    for (const f of [nb.sum, nb.mean, nb.max, nb.min, nb.prod]) {
      gradCheck((t) => f(t, axis), [x]);
      gradCheck((t) => f(t, axis, true), [x]);
    }
  }
});

test('max / min: ties share the gradient equally (as TensorFlow)', () => {
  const x = nb.tensor([[3, 1, 3], [2, 2, 2]]);
  assertClose(gradients((t) => nb.max(t, 1), [x])[0]!, [[0.5, 0, 0.5], [1 / 3, 1 / 3, 1 / 3]]);
  assertClose(gradients((t) => nb.min(t), [nb.tensor([1, 4, 1])])[0]!, [0.5, 0, 0.5]);
});

test('prod: gradient with one zero, two zeros, and none', () => {
  const x = nb.tensor([[2, 0, 3], [0, 4, 0], [2, 3, 4]]);
  assertClose(gradients((t) => nb.prod(t, 1), [x])[0]!, [[0, 6, 0], [0, 0, 0], [12, 8, 6]]);
  gradCheck((t) => nb.prod(t, 1), [x]);
  gradCheck((t) => nb.prod(t, 0), [x]);
});

test('logSumExp: values, stability, keepDims and -Infinity', () => {
  assertClose(nb.logSumExp(nb.tensor([0, 0])), Math.LN2);
  assertClose(nb.logSumExp(nb.tensor([[1, 2], [3, 4]]), 1), [2 + Math.log1p(Math.exp(-1)), 4 + Math.log1p(Math.exp(-1))]);
  assertClose(nb.logSumExp(nb.tensor([1000, 1000])), 1000 + Math.LN2);
  assertClose(nb.logSumExp(nb.tensor([-1000, -1000])), -1000 + Math.LN2);
  assertClose(nb.logSumExp(nb.tensor([-Infinity, 0])), 0);
  assert.equal(nb.logSumExp(nb.tensor([-Infinity, -Infinity])).item(), -Infinity);
  assert.deepEqual(nb.logSumExp(nb.ones([2, 3, 4]), [0, 2], true).shape, [1, 3, 1]);
  assertClose(nb.logSumExp(nb.ones([2, 3])), 1 + Math.log(6));
});

test('logSumExp: gradient is the softmax, on every axis', () => {
  const x = rand([2, 3, 4], -2, 2, 2);
  for (const axis of AXES) gradCheck((t) => nb.logSumExp(t, axis), [x]);
  const row = nb.tensor([1, 2, 3]);
  const e = [1, 2, 3].map(Math.exp);
  const s = e.reduce((a, b) => a + b);
  assertClose(gradients((t) => nb.logSumExp(t), [row])[0]!, e.map((v) => v / s));
  assert.throws(() => nb.logSumExp(nb.tensor([1], [1], 'int32')), nb.DTypeError);
});

test('moments: mean and (biased) variance, keepDims', () => {
  const x = nb.tensor([[1, 2], [3, 6]]);
  const { mean, variance } = nb.moments(x, 0);
  assertClose(mean, [2, 4]);
  assertClose(variance, [1, 4]);
  const all = nb.moments(x);
  assertClose(all.mean, 3);
  assertClose(all.variance, 3.5);
  const kept = nb.moments(x, 1, true);
  assert.deepEqual(kept.mean.shape, [2, 1]);
  assert.deepEqual(kept.variance.shape, [2, 1]);
  assertClose(kept.variance, [[0.25], [2.25]]);
});

test('moments: gradients of mean and variance', () => {
  const x = rand([3, 4], -1, 1, 3);
  for (const axes of [undefined, 0, 1, [0, 1]]) {
    gradCheck((t) => nb.moments(t, axes).mean, [x]);
    gradCheck((t) => nb.moments(t, axes).variance, [x]);
  }
});

test('reductions: second-order gradients against central differences', () => {
  const w = rand([2, 3], -1, 1, 4);
  const firstGrad = (f: (t: nb.Tensor) => nb.Tensor) => (x: nb.Tensor): nb.Tensor => {
    const tape = new nb.GradientTape();
    tape.watch(x);
    const y = tape.record(() => nb.sum(nb.mul(w, f(x))));
    return tape.gradient(y, x)!;
  };
  const x = rand([2, 3], -1, 1, 5);
  gradCheck(firstGrad((t) => nb.mul(nb.sum(nb.square(t), 1, true), t)), [x]);
  gradCheck(firstGrad((t) => nb.mul(nb.mean(nb.exp(t), 0, true), t)), [x]);
  gradCheck(firstGrad((t) => nb.mul(nb.prod(t, 1, true), t)), [x]);
  gradCheck(firstGrad((t) => nb.mul(nb.logSumExp(t, 1, true), t)), [x]);
});

test('reductions: axis and dtype errors name the op', () => {
  const x = nb.zeros([2, 3]);
  assert.throws(() => nb.sum(x, 2), (e: unknown) => e instanceof nb.InvalidArgumentError && /sum/.test(e.message) && /axis 2/.test(e.message));
  assert.throws(() => nb.mean(x, -3), nb.InvalidArgumentError);
  assert.throws(() => nb.max(x, 0.5), nb.InvalidArgumentError);
  assert.throws(() => nb.sum(nb.tensor([true])), (e: unknown) => e instanceof nb.DTypeError && /sum/.test(e.message));
});

test('an int32 target reduced by max has no gradient (TensorFlow gives None) instead of a DTypeError', () => {
  const x = nb.tensor([1.5, 2.5]);
  const [g] = gradients((t) => nb.max(nb.cast(t, 'int32')), [x]);
  assert.equal(g, null);
});

test('argMax of a scalar or along an empty axis is a clear error', () => {
  assert.throws(() => nb.argMax(nb.scalar(1), 0), nb.InvalidArgumentError);
  assert.throws(() => nb.argMax(nb.zeros([2, 0]), 1), /non-empty axis/);
});
