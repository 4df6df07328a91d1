import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  Add,
  add,
  Subtract,
  subtract,
  Multiply,
  multiply,
  Average,
  average,
  Maximum,
  maximum,
  Minimum,
  minimum,
  Concatenate,
  concatenate,
  Dot,
  dot,
} from '../../src/keras/layers/merge/index.js';
import { LayerError } from '../../src/keras/engine/layer.js';
import { checkLayer } from './layer-check.js';
import { assertClose, rand } from '../util/gradcheck.js';

const arr = (t: nb.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);

/** Element-wise combination of equal-length arrays, computed in plain JS. */
function zipWith(xs: number[][], f: (vals: number[]) => number): number[] {
  return xs[0]!.map((_, i) => f(xs.map((x) => x[i]!)));
}

// ----- the generic checks, every layer ------------------------------------------------------------

test('element-wise merges: shapes, gradients, config', () => {
  checkLayer(() => add(), Add, { inputShapes: [[2, 3], [2, 3], [2, 3]], expectedShape: [2, 3] });
  checkLayer(() => subtract(), Subtract, { inputShapes: [[2, 3, 2], [2, 3, 2]], expectedShape: [2, 3, 2] });
  checkLayer(() => multiply(), Multiply, { inputShapes: [[2, 3], [2, 3], [2, 3]], expectedShape: [2, 3] });
  checkLayer(() => average(), Average, { inputShapes: [[2, 3], [2, 3]], expectedShape: [2, 3] });
  checkLayer(() => maximum(), Maximum, { inputShapes: [[2, 4], [2, 4], [2, 4]], expectedShape: [2, 4] });
  checkLayer(() => minimum(), Minimum, { inputShapes: [[2, 4], [2, 4]], expectedShape: [2, 4] });
});

test('Concatenate: shapes, gradients, config', () => {
  checkLayer(() => concatenate(), Concatenate, { inputShapes: [[2, 3], [2, 5]], expectedShape: [2, 8] });
  checkLayer(() => concatenate({ axis: 1 }), Concatenate, { inputShapes: [[2, 1, 4], [2, 3, 4], [2, 2, 4]], expectedShape: [2, 6, 4] });
});

test('Dot: shapes, gradients, config', () => {
  checkLayer(() => dot({ axes: 1 }), Dot, { inputShapes: [[3, 4], [3, 4]], expectedShape: [3, 1] });
  checkLayer(() => dot({ axes: [2, 1] }), Dot, { inputShapes: [[2, 3, 4], [2, 4, 5]], expectedShape: [2, 3, 5] });
  checkLayer(() => dot({ axes: [1, 1] }), Dot, { inputShapes: [[2, 3, 4], [2, 3, 5]], expectedShape: [2, 4, 5] });
  checkLayer(() => dot({ axes: -1, normalize: true }), Dot, { inputShapes: [[3, 4], [3, 4]], expectedShape: [3, 1] });
  checkLayer(() => dot({ axes: [1, 2] }), Dot, { inputShapes: [[2, 3], [2, 4, 3]], expectedShape: [2, 4] });
});

// ----- values -------------------------------------------------------------------------------------

test('element-wise merges compute sum, difference, product, mean, max and min', () => {
  const xs = [rand([2, 3], -1, 1, 1), rand([2, 3], -1, 1, 2), rand([2, 3], -1, 1, 3)];
  const v = xs.map(arr);
  const shape = (values: number[]): nb.Tensor => nb.tensor(values, [2, 3]);
  assertClose(add().apply(xs) as nb.Tensor, shape(zipWith(v, (a) => a[0]! + a[1]! + a[2]!)));
  assertClose(subtract().apply(xs.slice(0, 2)) as nb.Tensor, shape(zipWith(v.slice(0, 2), (a) => a[0]! - a[1]!)));
  assertClose(multiply().apply(xs) as nb.Tensor, shape(zipWith(v, (a) => a[0]! * a[1]! * a[2]!)));
  assertClose(average().apply(xs) as nb.Tensor, shape(zipWith(v, (a) => (a[0]! + a[1]! + a[2]!) / 3)));
  assertClose(maximum().apply(xs) as nb.Tensor, shape(zipWith(v, (a) => Math.max(...a))));
  assertClose(minimum().apply(xs) as nb.Tensor, shape(zipWith(v, (a) => Math.min(...a))));
});

test('Concatenate joins along the axis in input order', () => {
  const a = nb.tensor([[1, 2], [3, 4]]);
  const b = nb.tensor([[5], [6]]);
  assert.deepEqual((concatenate().apply([a, b]) as nb.Tensor).arraySync(), [[1, 2, 5], [3, 4, 6]]);
  assert.deepEqual((concatenate({ axis: 0 }).apply([a, nb.tensor([[7, 8]])]) as nb.Tensor).arraySync(), [[1, 2], [3, 4], [7, 8]]);
  const s = concatenate({ axis: 1 }).apply([nb.keras.input({ shape: [2, 3] }), nb.keras.input({ shape: [4, 3] })]);
  assert.deepEqual((s as nb.keras.SymbolicTensor).shape, [null, 6, 3]);
  const unknown = concatenate().apply([nb.keras.input({ shape: [null] }), nb.keras.input({ shape: [2] })]);
  assert.deepEqual((unknown as nb.keras.SymbolicTensor).shape, [null, null]);
});

test('Dot: per-example dot products, contraction over the given axes', () => {
  const x = rand([2, 3, 4], -1, 1, 10);
  const y = rand([2, 4, 5], -1, 1, 11);
  const xa = x.arraySync() as number[][][];
  const ya = y.arraySync() as number[][][];
  const expected = xa.map((xb, b) => xb.map((row) => Array.from({ length: 5 }, (_, j) => row.reduce((s, v, k) => s + v * ya[b]![k]![j]!, 0))));
  assertClose(dot({ axes: [2, 1] }).apply([x, y]) as nb.Tensor, expected, 1e-5);
  // axes [1, 1] on [2,3,4] and [2,3,5]: out[b,i,j] = Σ_k x[b,k,i]·z[b,k,j]
  const z = rand([2, 3, 5], -1, 1, 12);
  const za = z.arraySync() as number[][][];
  const expected2 = xa.map((xb, b) =>
    Array.from({ length: 4 }, (_, i) => Array.from({ length: 5 }, (_, j) => xb.reduce((s, row, k) => s + row[i]! * za[b]![k]![j]!, 0))),
  );
  assertClose(dot({ axes: 1 }).apply([x, z]) as nb.Tensor, expected2, 1e-5);
  // 2-D inputs give [batch, 1].
  assertClose(dot({ axes: 1 }).apply([nb.tensor([[1, 2, 3], [0, 1, 0]]), nb.tensor([[4, 5, 6], [2, 2, 2]])]) as nb.Tensor, [[32], [2]]);
});

test('Dot with normalize gives cosine similarity', () => {
  const a = [[3, 4, 0], [1, 0, 0]];
  const b = [[4, 3, 0], [-2, 0, 0]];
  const cos = (u: number[], v: number[]): number => {
    const d = u.reduce((s, x, i) => s + x * v[i]!, 0);
    return d / (Math.hypot(...u) * Math.hypot(...v));
  };
  const out = dot({ axes: 1, normalize: true }).apply([nb.tensor(a), nb.tensor(b)]) as nb.Tensor;
  assertClose(out, [[cos(a[0]!, b[0]!)], [cos(a[1]!, b[1]!)]], 1e-6);
  assertClose(out, [[24 / 25], [-1]], 1e-6);
});

test('merges broadcast along the batch dim only', () => {
  const one = nb.tensor([[1, 2, 3]]);
  const four = rand([4, 3], -1, 1, 20);
  const sum = add().apply([one, four]) as nb.Tensor;
  assert.deepEqual(sum.shape, [4, 3]);
  const fv = arr(four);
  assertClose(sum, nb.tensor(fv.map((v, i) => v + [1, 2, 3][i % 3]!), [4, 3]));
  const sym = add().apply([nb.keras.input({ shape: [3] }), nb.keras.input({ shape: [3] })]);
  assert.deepEqual((sym as nb.keras.SymbolicTensor).shape, [null, 3]);
  // A non-batch dim of 1 does not broadcast.
  assert.throws(() => add().apply([nb.ones([2, 1]), nb.ones([2, 3])]), nb.ShapeError);
});

// ----- errors -------------------------------------------------------------------------------------

test('incompatible shapes raise a ShapeError naming the layer and the shapes', () => {
  const check = (fn: () => unknown, name: string, ...shapes: string[]): void =>
    assert.throws(fn, (e: Error) => e instanceof nb.ShapeError && e.message.includes(name) && shapes.every((s) => e.message.includes(s)));
  check(() => add({ name: 'sum_a' }).apply([nb.ones([2, 3]), nb.ones([2, 4])]), 'sum_a', '(2, 3)', '(2, 4)');
  check(() => multiply({ name: 'prod_b' }).apply([nb.keras.input({ shape: [3] }), nb.keras.input({ shape: [4] })]), 'prod_b', '(None, 3)', '(None, 4)');
  check(() => average({ name: 'avg_c' }).apply([nb.ones([2, 3]), nb.ones([2, 3, 1])]), 'avg_c', '(2, 3)', '(2, 3, 1)');
  check(() => maximum({ name: 'max_d' }).apply([nb.ones([2, 3]), nb.ones([5, 3])]), 'max_d', '(2, 3)', '(5, 3)');
  check(() => concatenate({ name: 'cat_e' }).apply([nb.ones([2, 3]), nb.ones([4, 3])]), 'cat_e', '(2, 3)', '(4, 3)');
  check(() => concatenate({ name: 'cat_f', axis: 1 }).apply([nb.ones([2, 3, 4]), nb.ones([2, 3, 5])]), 'cat_f', '(2, 3, 4)', '(2, 3, 5)');
  check(() => dot({ name: 'dot_g', axes: 1 }).apply([nb.ones([2, 3]), nb.ones([2, 4])]), 'dot_g', '(2, 3)', '(2, 4)');
  // A built layer still checks later calls.
  const layer = subtract({ name: 'sub_h' });
  layer.apply([nb.ones([2, 3]), nb.ones([2, 3])]);
  check(() => layer.apply([nb.ones([2, 3]), nb.ones([2, 2])]), 'sub_h', '(2, 3)', '(2, 2)');
});

test('wrong input counts, non-list inputs, dtypes and bad arguments', () => {
  assert.throws(() => subtract({ name: 'sub_x' }).apply([nb.ones([2]), nb.ones([2]), nb.ones([2])]), (e: Error) => e instanceof LayerError && /exactly 2/.test(e.message) && /sub_x/.test(e.message));
  assert.throws(() => dot({ axes: 1 }).apply([nb.ones([2, 3])]), LayerError);
  assert.throws(() => add().apply(nb.ones([2, 3])), (e: Error) => e instanceof LayerError && /list/.test(e.message));
  assert.throws(() => add().apply(nb.keras.input({ shape: [3] })), LayerError);
  assert.throws(() => add().apply([nb.ones([2, 2]), nb.ones([2, 2], 'int32')]), nb.DTypeError);
  assert.throws(() => concatenate({ axis: 2 }).apply([nb.ones([2, 3]), nb.ones([2, 3])]), (e: Error) => e instanceof nb.InvalidArgumentError && /axis 2/.test(e.message));
  assert.throws(() => concatenate({ axis: 0.5 }), nb.InvalidArgumentError);
  assert.throws(() => dot({ axes: 0 }).apply([nb.ones([2, 3]), nb.ones([2, 3])]), (e: Error) => e instanceof nb.InvalidArgumentError && /batch/.test(e.message));
  assert.throws(() => dot({ axes: [1, 2, 3] as unknown as [number, number] }), nb.InvalidArgumentError);
  // A single-input add is the identity (as in Keras).
  assertClose(add().apply([nb.tensor([[1, 2]])]) as nb.Tensor, [[1, 2]]);
});
