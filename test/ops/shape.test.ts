import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  concat,
  gather,
  gatherND,
  mirrorPad,
  pad,
  reverse,
  scatterND,
  slice,
  split,
  stack,
  stridedSlice,
  tensorScatterAdd,
  tensorScatterUpdate,
  tile,
  transpose,
  unstack,
} from '../../src/ops/shape-ops.js';
import { gradCheck, rand } from '../util/gradcheck.js';

const { ShapeError, DTypeError, InvalidArgumentError } = nb;

const int = (values: number[], shape: number[] = [values.length]): nb.Tensor => nb.tensor(values, shape, 'int32');
const bool = (values: boolean[], shape: number[] = [values.length]): nb.Tensor => nb.tensor(values, shape, 'bool');

/** Asserts shape, dtype and exact values. */
function expectTensor(t: nb.Tensor, shape: number[], values: number[], dtype: nb.DType = 'float32'): void {
  assert.deepEqual(t.shape, shape, 'shape');
  assert.equal(t.dtype, dtype, 'dtype');
  assert.deepEqual(Array.from(t.values), values, 'values');
}

function throwsWith(fn: () => unknown, errorClass: new (...args: never[]) => Error, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof errorClass, `expected ${errorClass.name}, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

/** The gradient of `f` is itself differentiable: checks d/dx of the gradient numerically. */
function secondOrderCheck(op: (x: nb.Tensor) => nb.Tensor, x: nb.Tensor): void {
  const cubeSum = (y: nb.Tensor): nb.Tensor => {
    const v = op(y);
    return nb.sum(nb.mul(nb.square(v), v));
  };
  gradCheck((t) => nb.grad(cubeSum)(t), [x]);
}

// -------------------------------------------------------------------------------------------
// transpose

test('transpose: default reverses dims; perm permutes them', () => {
  expectTensor(transpose(nb.tensor([[1, 2, 3], [4, 5, 6]])), [3, 2], [1, 4, 2, 5, 3, 6]);
  const x = nb.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  // out[a][b][c] = x[b][c][a]
  expectTensor(transpose(x, [2, 0, 1]), [2, 2, 2], [1, 3, 5, 7, 2, 4, 6, 8]);
  expectTensor(transpose(nb.tensor([[1, 2, 3], [4, 5, 6]]), [-1, 0]), [3, 2], [1, 4, 2, 5, 3, 6]);
  expectTensor(transpose(x, [0, 1, 2]), [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('transpose: scalars, zero-size dims, int32 and bool', () => {
  expectTensor(transpose(nb.scalar(5)), [], [5]);
  expectTensor(transpose(nb.zeros([0, 3])), [3, 0], []);
  expectTensor(transpose(int([1, 2, 3, 4], [2, 2])), [2, 2], [1, 3, 2, 4], 'int32');
  expectTensor(transpose(bool([true, false, false, true, true, false], [3, 2])), [2, 3], [1, 0, 1, 0, 1, 0], 'bool');
  expectTensor(transpose(nb.zeros([2, 0, 3]), [1, 2, 0]), [0, 3, 2], []);
});

test('transpose: gradient (and second order)', () => {
  gradCheck((x) => transpose(x, [2, 0, 1]), [rand([2, 3, 4])]);
  gradCheck((x) => transpose(x), [rand([3, 5], -1, 1, 2)]);
  secondOrderCheck((x) => transpose(x, [1, 0]), rand([2, 3], -1, 1, 3));
});

test('transpose: bad perm', () => {
  throwsWith(() => transpose(nb.zeros([2, 3]), [0]), InvalidArgumentError, /transpose: perm must have one entry per dimension \(2\)/);
  throwsWith(() => transpose(nb.zeros([2, 3]), [0, 0]), InvalidArgumentError, /transpose: perm \[0,0\] is not a permutation.*each of 0\.\.1/);
  throwsWith(() => transpose(nb.zeros([2, 3]), [0, 2]), InvalidArgumentError, /not a permutation/);
});

// -------------------------------------------------------------------------------------------
// concat / stack / unstack / split

test('concat: along each axis, negative axis, several inputs', () => {
  const a = nb.tensor([[1, 2], [3, 4]]);
  const b = nb.tensor([[5, 6]]);
  expectTensor(concat([a, b]), [3, 2], [1, 2, 3, 4, 5, 6]);
  const c = nb.tensor([[7], [8]]);
  expectTensor(concat([a, c], 1), [2, 3], [1, 2, 7, 3, 4, 8]);
  expectTensor(concat([a, c, a], -1), [2, 5], [1, 2, 7, 1, 2, 3, 4, 8, 3, 4]);
  expectTensor(concat([[1, 2], [3]]), [3], [1, 2, 3]);
});

test('concat: zero-size inputs, int32 and bool', () => {
  expectTensor(concat([nb.zeros([2, 0]), nb.ones([2, 1])], 1), [2, 1], [1, 1]);
  expectTensor(concat([nb.zeros([0, 3]), nb.zeros([0, 3])]), [0, 3], []);
  expectTensor(concat([int([1, 2]), int([3])]), [3], [1, 2, 3], 'int32');
  expectTensor(concat([bool([true]), bool([false, true])]), [3], [1, 0, 1], 'bool');
});

test('concat: gradient splits dy back', () => {
  gradCheck((a, b, c) => concat([a!, b!, c!], 1), [rand([2, 1], -1, 1, 1), rand([2, 3], -1, 1, 2), rand([2, 2], -1, 1, 3)]);
  gradCheck((a, b) => concat([a!, b!], 0), [rand([1, 3], -1, 1, 4), rand([2, 3], -1, 1, 5)]);
  secondOrderCheck((x) => concat([x, nb.mul(x, 2)], 0), rand([2, 2], -1, 1, 6));
});

test('concat: bad inputs', () => {
  throwsWith(() => concat([]), InvalidArgumentError, /concat: needs at least one tensor/);
  throwsWith(() => concat([nb.scalar(1), nb.scalar(2)]), ShapeError, /concat: cannot concatenate scalars.*nb\.stack/);
  throwsWith(() => concat([nb.zeros([2, 3]), nb.zeros([3])]), ShapeError, /same rank.*xs\[0\] has shape \[2,3\] and xs\[1\] has shape \[3\]/);
  throwsWith(() => concat([nb.zeros([2, 3]), nb.zeros([2, 4])]), ShapeError, /concat: xs\[0\] has shape \[2,3\] and xs\[1\] has shape \[2,4\]; they must agree on dimension 1/);
  throwsWith(() => concat([nb.zeros([2]), int([1])]), DTypeError, /concat: .*xs\[0\] is float32 and xs\[1\] is int32/);
  throwsWith(() => concat([nb.zeros([2])], 1), InvalidArgumentError, /concat: axis 1 is out of range/);
});

test('stack: new axis at 0, 1 and -1; scalars; int32', () => {
  const a = nb.tensor([1, 2]);
  const b = nb.tensor([3, 4]);
  expectTensor(stack([a, b]), [2, 2], [1, 2, 3, 4]);
  expectTensor(stack([a, b], 1), [2, 2], [1, 3, 2, 4]);
  expectTensor(stack([a, b, a], -1), [2, 3], [1, 3, 1, 2, 4, 2]);
  expectTensor(stack([nb.scalar(1), nb.scalar(2)]), [2], [1, 2]);
  expectTensor(stack([int([1]), int([2])]), [2, 1], [1, 2], 'int32');
  expectTensor(stack([nb.zeros([0]), nb.zeros([0])], 1), [0, 2], []);
});

test('stack: gradient', () => {
  gradCheck((a, b) => stack([a!, b!], 1), [rand([2, 3], -1, 1, 1), rand([2, 3], -1, 1, 2)]);
});

test('stack: bad inputs', () => {
  throwsWith(() => stack([]), InvalidArgumentError, /stack: needs a non-empty array/);
  throwsWith(() => stack([nb.zeros([2]), nb.zeros([3])]), ShapeError, /stack: all tensors must have the same shape, but xs\[0\] has shape \[2\] and xs\[1\] has shape \[3\]/);
  throwsWith(() => stack([nb.zeros([2]), int([1, 2])]), DTypeError, /stack: .*float32.*int32/);
  throwsWith(() => stack([nb.zeros([2])], 2), InvalidArgumentError, /stack: axis 2 is out of range/);
});

test('unstack: along axis 0 and -1; zero-size axis gives no tensors', () => {
  const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  const rows = unstack(x);
  assert.equal(rows.length, 2);
  expectTensor(rows[1]!, [3], [4, 5, 6]);
  const cols = unstack(x, -1);
  assert.equal(cols.length, 3);
  expectTensor(cols[0]!, [2], [1, 4]);
  expectTensor(cols[2]!, [2], [3, 6]);
  assert.deepEqual(unstack(nb.zeros([2, 0])).map((t) => t.shape), [[0], [0]]);
  assert.equal(unstack(nb.zeros([0, 2])).length, 0);
  expectTensor(unstack(bool([true, false]))[1]!, [], [0], 'bool');
});

test('unstack: gradient, with an unused piece', () => {
  gradCheck((x) => {
    const [a, , c] = unstack(x, 1);
    return concat([nb.mul(a!, 2), c!]);
  }, [rand([2, 3, 2])]);
});

test('unstack: bad inputs', () => {
  throwsWith(() => unstack(nb.scalar(1)), ShapeError, /unstack: cannot unstack a scalar/);
  throwsWith(() => unstack(nb.zeros([2]), 1), InvalidArgumentError, /unstack: axis 1 is out of range/);
});

test('split: equal parts, sizes with -1, zero sizes, negative axis', () => {
  const [a, b] = split(nb.tensor([1, 2, 3, 4]), 2);
  expectTensor(a!, [2], [1, 2]);
  expectTensor(b!, [2], [3, 4]);
  const parts = split(nb.tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]), [1, -1, 2], -1);
  assert.deepEqual(parts.map((p) => p.shape), [[2, 1], [2, 2], [2, 2]]);
  expectTensor(parts[1]!, [2, 2], [2, 3, 7, 8]);
  expectTensor(parts[2]!, [2, 2], [4, 5, 9, 10]);
  const [empty, all] = split(int([1, 2, 3]), [0, -1]);
  expectTensor(empty!, [0], [], 'int32');
  expectTensor(all!, [3], [1, 2, 3], 'int32');
  assert.deepEqual(split(nb.zeros([0, 4]), 2, 1).map((p) => p.shape), [[0, 2], [0, 2]]);
});

test('split: gradient concatenates the piece gradients (zeros for unused pieces)', () => {
  gradCheck((x) => split(x, [2, -1, 1], 1)[1]!, [rand([2, 5])]);
  gradCheck((x) => {
    const [a, b] = split(x, 2);
    return nb.mul(a!, b!);
  }, [rand([4, 3])]);
});

test('split: bad inputs', () => {
  throwsWith(() => split(nb.zeros([5]), 2), ShapeError, /split: cannot split dimension 0 of shape \[5\] \(size 5\) into 2 equal parts/);
  throwsWith(() => split(nb.zeros([5]), [2, 2]), ShapeError, /split: sizes \[2,2\] add up to 4 but dimension 0 of shape \[5\] has size 5/);
  throwsWith(() => split(nb.zeros([5]), [-1, -1]), InvalidArgumentError, /split: only one size can be -1/);
  throwsWith(() => split(nb.zeros([5]), [4, 3, -1]), ShapeError, /add up to 7/);
  throwsWith(() => split(nb.zeros([5]), 0), InvalidArgumentError, /split: the number of splits must be a positive integer/);
  throwsWith(() => split(nb.scalar(1), 1), ShapeError, /split: cannot split a scalar/);
});

// -------------------------------------------------------------------------------------------
// slice / stridedSlice

test('slice: blocks, -1 sizes, short begin/size, zero size', () => {
  const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  expectTensor(slice(x, [0, 1], [2, 2]), [2, 2], [2, 3, 5, 6]);
  expectTensor(slice(x, [1, 0], [1, -1]), [1, 3], [4, 5, 6]);
  expectTensor(slice(x, 1), [1, 3], [4, 5, 6]);
  expectTensor(slice(x, [0, 2]), [2, 1], [3, 6]);
  expectTensor(slice(x, [2, 3], [0, 0]), [0, 0], []);
  expectTensor(slice(int([1, 2, 3, 4]), [1], [2]), [2], [2, 3], 'int32');
  expectTensor(slice(bool([true, false, true]), [2]), [1], [1], 'bool');
});

test('slice: gradient pads dy back', () => {
  gradCheck((x) => slice(x, [1, 0, 2], [2, -1, 1]), [rand([3, 2, 4])]);
  secondOrderCheck((x) => slice(x, [1], [2]), rand([4]));
});

test('slice: bad begin/size', () => {
  const x = nb.zeros([2, 3]);
  throwsWith(() => slice(x, [0, 4]), InvalidArgumentError, /slice: begin\[1\] = 4 is out of range for dimension 1 of x with shape \[2,3\]; it must be in \[0, 3\]/);
  throwsWith(() => slice(x, [-1, 0]), InvalidArgumentError, /slice: begin\[0\] = -1/);
  throwsWith(() => slice(x, [1, 1], [2, 1]), InvalidArgumentError, /slice: size\[0\] = 2 with begin\[0\] = 1 does not fit.*\[0, 1\], or -1/);
  throwsWith(() => slice(x, [0, 0, 0]), InvalidArgumentError, /slice: begin must have one entry per dimension \(2\)/);
});

const grid = (): nb.Tensor => nb.reshape(nb.range(12), [3, 4]); // int32 [[0..3],[4..7],[8..11]]

test('stridedSlice: strides, negative strides and masks', () => {
  expectTensor(stridedSlice(grid(), [0, 1], [3, 4], [2, 2]), [2, 2], [1, 3, 9, 11], 'int32');
  // x[:, ::-1]
  expectTensor(stridedSlice(grid(), [0, 0], [0, 0], [1, -1], { beginMask: 3, endMask: 3 }), [3, 4], [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8], 'int32');
  // x[::-2, 3:0:-2]
  expectTensor(stridedSlice(grid(), [0, 3], [0, 0], [-2, -2], { beginMask: 1, endMask: 1 }), [2, 2], [11, 9, 3, 1], 'int32');
  // Fewer entries than dims: the rest are taken whole.
  expectTensor(stridedSlice(grid(), [1], [3]), [2, 4], [4, 5, 6, 7, 8, 9, 10, 11], 'int32');
});

test('stridedSlice: negative indices and clamping', () => {
  const v = nb.tensor([0, 1, 2, 3, 4]);
  expectTensor(stridedSlice(v, [-3], [-1]), [2], [2, 3]);
  expectTensor(stridedSlice(v, [-100], [100]), [5], [0, 1, 2, 3, 4]);
  expectTensor(stridedSlice(v, [10], [20]), [0], []);
  expectTensor(stridedSlice(v, [10], [-10], [-2]), [3], [4, 2, 0]);
  expectTensor(stridedSlice(v, [1], [5], [3]), [2], [1, 4]);
  expectTensor(stridedSlice(v, [3], [1]), [0], []);
  expectTensor(stridedSlice(v, [1], [3], [-1]), [0], []);
});

test('stridedSlice: shrink, new axis and ellipsis', () => {
  expectTensor(stridedSlice(grid(), [1], [2], [1], { shrinkAxisMask: 1 }), [4], [4, 5, 6, 7], 'int32');
  // x[-1]: end is ignored for a shrunk axis.
  expectTensor(stridedSlice(grid(), [-1], [0], [1], { shrinkAxisMask: 1 }), [4], [8, 9, 10, 11], 'int32');
  // x[1, 2] is a scalar.
  expectTensor(stridedSlice(grid(), [1, 2], [2, 3], [1, 1], { shrinkAxisMask: 3 }), [], [6], 'int32');
  // x[newaxis, :, 1]
  expectTensor(
    stridedSlice(grid(), [0, 0, 1], [0, 0, 2], [1, 1, 1], { newAxisMask: 1, beginMask: 2, endMask: 2, shrinkAxisMask: 4 }),
    [1, 3],
    [1, 5, 9],
    'int32',
  );
  const cube = nb.reshape(nb.range(24), [2, 3, 4]);
  // cube[..., 1]
  expectTensor(stridedSlice(cube, [0, 1], [0, 2], [1, 1], { ellipsisMask: 1, shrinkAxisMask: 2 }), [2, 3], [1, 5, 9, 13, 17, 21], 'int32');
  // cube[1, ...]
  assert.deepEqual(stridedSlice(cube, [1, 0], [2, 0], [1, 1], { ellipsisMask: 2, shrinkAxisMask: 1 }).shape, [3, 4]);
  // cube[..., newaxis] and cube[:, newaxis, ..., ::2]
  assert.deepEqual(stridedSlice(cube, [0, 0], [0, 0], [1, 1], { ellipsisMask: 1, newAxisMask: 2 }).shape, [2, 3, 4, 1]);
  expectTensor(
    stridedSlice(cube, [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 2], { beginMask: 9, endMask: 9, newAxisMask: 2, ellipsisMask: 4 }),
    [2, 1, 3, 2],
    [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22],
    'int32',
  );
  // A new axis on a scalar.
  expectTensor(stridedSlice(nb.scalar(7), [0], [0], [1], { newAxisMask: 1 }), [1], [7]);
});

test('stridedSlice: zero-size input dims and bool', () => {
  expectTensor(stridedSlice(nb.zeros([0, 3]), [0, 1], [0, 3], [1, 1], { beginMask: 1, endMask: 1 }), [0, 2], []);
  expectTensor(stridedSlice(nb.zeros([0, 3]), [0], [0], [-1], { beginMask: 1, endMask: 1 }), [0, 3], []);
  expectTensor(stridedSlice(bool([true, false, false, true]), [3], [0], [-2]), [2], [1, 0], 'bool');
});

test('stridedSlice: gradients', () => {
  const x = rand([4, 5]);
  gradCheck((t) => stridedSlice(t, [0, 1], [4, 5], [2, 2]), [x]);
  gradCheck((t) => stridedSlice(t, [3, 4], [0, 0], [-1, -3], { endMask: 3 }), [x]);
  gradCheck((t) => stridedSlice(t, [-2, 0], [0, 5], [1, 3], { shrinkAxisMask: 1 }), [x]);
  gradCheck((t) => stridedSlice(t, [0, 0, 1], [0, 0, 5], [1, 1, 2], { newAxisMask: 1, beginMask: 2, endMask: 2 }), [x]);
  gradCheck((t) => stridedSlice(t, [0, 2], [0, 3], [1, 1], { ellipsisMask: 1 }), [rand([2, 3, 4])]);
  gradCheck((t) => stridedSlice(t, [3], [3]), [x]);
  gradCheck((t) => stridedSlice(t, [4, 3], [0, 0], [-3, -2], { endMask: 3 }), [rand([5, 4], -1, 1, 9)]);
  secondOrderCheck((t) => stridedSlice(t, [5], [0], [-2], { endMask: 1 }), rand([6]));
});

test('stridedSlice: bad specs', () => {
  const x = nb.zeros([3, 4]);
  throwsWith(() => stridedSlice(x, [0], [1], [0]), InvalidArgumentError, /stridedSlice: strides\[0\] is 0; every stride must be non-zero/);
  throwsWith(() => stridedSlice(x, [0, 0], [1]), InvalidArgumentError, /stridedSlice: end must have one entry per dimension \(2\)/);
  throwsWith(() => stridedSlice(x, [0, 0], [1, 1], [1, 1], { ellipsisMask: 3 }), InvalidArgumentError, /more than one bit/);
  throwsWith(() => stridedSlice(x, [5], [6], [1], { shrinkAxisMask: 1 }), InvalidArgumentError, /stridedSlice: index 5 is out of range for dimension 0 of x with shape \[3,4\]; it must be in \[-3, 2\]/);
  throwsWith(() => stridedSlice(x, [0, 0, 0], [1, 1, 1]), InvalidArgumentError, /more indexed entries than x has dimensions \(2\)/);
  throwsWith(() => stridedSlice(nb.scalar(1), [0], [1]), InvalidArgumentError, /cannot slice a scalar/);
  throwsWith(() => stridedSlice(x, [1], [0], [-1], { shrinkAxisMask: 1 }), InvalidArgumentError, /shrunk.*stride is -1/);
  throwsWith(() => stridedSlice(x, [0.5], [1]), InvalidArgumentError, /begin must be an array of integers/);
});

// -------------------------------------------------------------------------------------------
// gather / gatherND / scatterND / tensorScatter*

test('gather: axis 0, axis 1, negative axis, scalar and nested indices', () => {
  const x = nb.tensor([[1, 2], [3, 4], [5, 6]]);
  expectTensor(gather(x, [2, 0]), [2, 2], [5, 6, 1, 2]);
  expectTensor(gather(x, [1, 1, 0], 1), [3, 3], [2, 2, 1, 4, 4, 3, 6, 6, 5]);
  expectTensor(gather(x, [1], -1), [3, 1], [2, 4, 6]);
  expectTensor(gather(x, 1), [2], [3, 4]);
  expectTensor(gather(x, [[0, 2], [1, 1]]), [2, 2, 2], [1, 2, 5, 6, 3, 4, 3, 4]);
});

test('gather: batchDims', () => {
  const x = nb.tensor([[1, 2], [3, 4], [5, 6]]);
  expectTensor(gather(x, [[1], [0], [1]], 1, 1), [3, 1], [2, 3, 6]);
  // x [2,2,3], indices [2,2] per batch along the last axis.
  const cube = nb.reshape(nb.range(12), [2, 2, 3]);
  expectTensor(gather(cube, int([2, 0, 1, 1], [2, 2]), 2, 1), [2, 2, 2], [2, 0, 5, 3, 7, 7, 10, 10], 'int32');
  expectTensor(gather(cube, int([2, 0, 1, 1], [2, 2]), -1, -1), [2, 2, 2], [2, 0, 5, 3, 7, 7, 10, 10], 'int32');
});

test('gather: zero-size indices and x, int32 and bool', () => {
  expectTensor(gather(nb.zeros([3, 2]), int([], [0])), [0, 2], []);
  expectTensor(gather(nb.zeros([3, 0]), [2, 1]), [2, 0], []);
  expectTensor(gather(int([10, 20, 30]), [2, 2]), [2], [30, 30], 'int32');
  expectTensor(gather(bool([true, false]), [1, 0]), [2], [0, 1], 'bool');
});

test('gather: gradient scatter-adds (duplicates accumulate)', () => {
  gradCheck((x) => gather(x, [2, 0, 2, 2]), [rand([3, 2])]);
  gradCheck((x) => gather(x, [[1, 0], [1, 1]], 1), [rand([2, 3, 2])]);
  gradCheck((x) => gather(x, int([2, 0, 0, 1], [2, 2]), 2, 1), [rand([2, 2, 3])]);
  gradCheck((x) => gather(x, [1, 1], 0), [rand([2, 3], -1, 1, 4)]);
  const g = nb.grad((x) => gather(x, [1, 1, 0]))(nb.tensor([5, 6, 7]));
  expectTensor(g, [3], [1, 2, 0]);
  secondOrderCheck((x) => gather(x, [0, 2, 0], 1), rand([2, 3]));
});

test('gather: out-of-range and malformed indices', () => {
  const x = nb.zeros([3, 2]);
  throwsWith(() => gather(x, [0, 3]), InvalidArgumentError, /gather: indices\[1\] = 3 is out of range for axis 0 of x with shape \[3,2\]; indices must be in \[0, 3\)/);
  throwsWith(() => gather(x, [[0], [-1]], 1), InvalidArgumentError, /gather: indices\[1,0\] = -1 is out of range for axis 1/);
  throwsWith(() => gather(x, 5), InvalidArgumentError, /gather: indices = 5 is out of range/);
  throwsWith(() => gather(x, nb.tensor([0, 1])), DTypeError, /gather: indices must have dtype int32, got float32/);
  throwsWith(() => gather(x, [0.5]), DTypeError, /int32/);
  throwsWith(() => gather(x, [[0], [1]], 0, 1), InvalidArgumentError, /gather: batchDims \(1\) must be <= axis \(0\)/);
  throwsWith(() => gather(x, [[0], [1]], 1, 1), ShapeError, /gather: with batchDims 1, x \(shape \[3,2\]\) and indices \(shape \[2,1\]\) must agree/);
  throwsWith(() => gather(x, [0], 2), InvalidArgumentError, /gather: axis 2 is out of range/);
  throwsWith(() => gather(nb.scalar(1), [0]), ShapeError, /gather: x is a scalar/);
});

test('gatherND: points, rows, whole-x and zero-size', () => {
  const x = nb.tensor([[1, 2], [3, 4]]);
  expectTensor(gatherND(x, [[1, 0], [0, 1]]), [2], [3, 2]);
  expectTensor(gatherND(x, [[1]]), [1, 2], [3, 4]);
  expectTensor(gatherND(x, [1, 1]), [], [4]);
  expectTensor(gatherND(x, int([], [2, 0])), [2, 2, 2], [1, 2, 3, 4, 1, 2, 3, 4]);
  expectTensor(gatherND(x, int([], [0, 2])), [0], []);
  const cube = nb.reshape(nb.range(8), [2, 2, 2]);
  expectTensor(gatherND(cube, [[[0, 1]], [[1, 0]]]), [2, 1, 2], [2, 3, 4, 5], 'int32');
  expectTensor(gatherND(bool([true, false]), [[1]]), [1], [0], 'bool');
});

test('gatherND: gradient scatter-adds', () => {
  gradCheck((x) => gatherND(x, [[1, 0], [0, 1], [1, 0]]), [rand([2, 2, 3])]);
  gradCheck((x) => gatherND(x, [[2], [0]]), [rand([3, 2])]);
  secondOrderCheck((x) => gatherND(x, [[1, 1], [1, 1]]), rand([2, 2]));
});

test('gatherND: bad indices', () => {
  const x = nb.zeros([3, 4]);
  throwsWith(() => gatherND(x, [[0, 5], [1, 1]]), InvalidArgumentError, /gatherND: indices\[0,:\] = \[0, 5\] is out of bounds for x of shape \[3,4\]: component 1 is 5 but must be in \[0, 4\)/);
  throwsWith(() => gatherND(x, [3, 0]), InvalidArgumentError, /gatherND: indices\[:\] = \[3, 0\]/);
  throwsWith(() => gatherND(x, [[0, 0, 0]]), ShapeError, /gatherND: indices have shape \[1,3\], so each index has 3 coordinates, but x \(shape \[3,4\]\) has only 2 dimensions/);
  throwsWith(() => gatherND(x, 1), ShapeError, /gatherND: indices must have at least one dimension/);
  throwsWith(() => gatherND(x, nb.tensor([[0]])), DTypeError, /gatherND: indices must have dtype int32/);
});

test('scatterND: duplicates add, slices, int32, zero-size', () => {
  expectTensor(scatterND([[1], [3], [1]], nb.tensor([5, 6, 7]), [4]), [4], [0, 12, 0, 6]);
  expectTensor(scatterND([[1], [0]], nb.tensor([[1, 2], [3, 4]]), [3, 2]), [3, 2], [3, 4, 1, 2, 0, 0]);
  expectTensor(scatterND([[0, 1], [0, 1]], int([2, 3]), [2, 2]), [2, 2], [0, 5, 0, 0], 'int32');
  expectTensor(scatterND(int([], [0, 1]), nb.zeros([0, 2]), [2, 2]), [2, 2], [0, 0, 0, 0]);
  expectTensor(scatterND([[1]], nb.zeros([1, 0]), [2, 0]), [2, 0], []);
});

test('scatterND: gradient wrt updates gathers dy', () => {
  gradCheck((u) => scatterND([[1], [0], [1]], u, [3, 2]), [rand([3, 2])]);
  gradCheck((u) => scatterND([[1, 0], [0, 2]], u, [2, 3]), [rand([2])]);
});

test('scatterND: bad inputs', () => {
  throwsWith(() => scatterND([[1]], nb.tensor([[1, 2]]), [4]), ShapeError, /scatterND: updates must have shape \[1\] \(indices.shape\[:-1\] \+ shape\[1:\]\).*got \[1,2\]/);
  throwsWith(() => scatterND([[4]], nb.tensor([1]), [4]), InvalidArgumentError, /scatterND: indices\[0,:\] = \[4\] is out of bounds for the output of shape \[4\]/);
  throwsWith(() => scatterND([[0]], bool([true]), [2]), DTypeError, /scatterND: updates must have dtype float32 or int32, got bool/);
  throwsWith(() => scatterND([[0]], nb.tensor([1]), [-2]), InvalidArgumentError, /scatterND: shape must hold non-negative integers/);
});

test('tensorScatterUpdate / tensorScatterAdd: values for float, int32 and bool', () => {
  expectTensor(tensorScatterUpdate(nb.zeros([4]), [[1], [3]], [9, 8]), [4], [0, 9, 0, 8]);
  expectTensor(tensorScatterUpdate(nb.ones([2, 2]), [[1]], [[5, 6]]), [2, 2], [1, 1, 5, 6]);
  expectTensor(tensorScatterUpdate(int([1, 2, 3]), [[0]], [7]), [3], [7, 2, 3], 'int32');
  expectTensor(tensorScatterUpdate(bool([false, false]), [[1]], [true]), [2], [0, 1], 'bool');
  expectTensor(tensorScatterAdd(nb.ones([4]), [[1], [1]], [2, 3]), [4], [1, 6, 1, 1]);
  expectTensor(tensorScatterAdd(int([1, 2]), [[0]], [5]), [2], [6, 2], 'int32');
  const x = nb.tensor([1, 2, 3]);
  tensorScatterUpdate(x, [[0]], [9]);
  expectTensor(x, [3], [1, 2, 3]); // the input is untouched
});

test('tensorScatterUpdate / tensorScatterAdd: gradients', () => {
  gradCheck((t, u) => tensorScatterUpdate(t!, [[2], [0]], u!), [rand([3, 2], -1, 1, 1), rand([2, 2], -1, 1, 2)]);
  gradCheck((t, u) => tensorScatterAdd(t!, [[2, 1], [2, 1]], u!), [rand([3, 2], -1, 1, 3), rand([2], -1, 1, 4)]);
  const [gt, gu] = nb.grads((t, u) => tensorScatterUpdate(t!, [[1]], u!))([nb.tensor([1, 2, 3]), nb.tensor([9])]);
  expectTensor(gt!, [3], [1, 0, 1]);
  expectTensor(gu!, [1], [1]);
});

test('tensorScatterUpdate: bad inputs', () => {
  throwsWith(() => tensorScatterUpdate(nb.zeros([3]), [[0]], int([1])), DTypeError, /tensorScatterUpdate: operands must have the same dtype, got float32 and int32/);
  throwsWith(() => tensorScatterUpdate(nb.zeros([3]), [[0], [5]], [1, 2]), InvalidArgumentError, /tensorScatterUpdate: indices\[1,:\] = \[5\] is out of bounds for tensor of shape \[3\]/);
  throwsWith(() => tensorScatterUpdate(nb.zeros([3]), [[0]], [1, 2]), ShapeError, /tensorScatterUpdate: updates must have shape \[1\]/);
  throwsWith(() => tensorScatterAdd(bool([true]), [[0]], [false]), DTypeError, /tensorScatterAdd: tensor must have dtype float32 or int32, got bool/);
});

// -------------------------------------------------------------------------------------------
// tile

test('tile: repeats along each dim, zero reps and zero-size', () => {
  expectTensor(tile(nb.tensor([1, 2]), [3]), [6], [1, 2, 1, 2, 1, 2]);
  expectTensor(tile(nb.tensor([[1], [2]]), [1, 2]), [2, 2], [1, 1, 2, 2]);
  expectTensor(tile(nb.tensor([[1, 2], [3, 4]]), [2, 2]), [4, 4], [1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4]);
  expectTensor(tile(nb.tensor([1, 2]), [0]), [0], []);
  expectTensor(tile(nb.zeros([0, 2]), [3, 2]), [0, 4], []);
  expectTensor(tile(nb.scalar(4), []), [], [4]);
  expectTensor(tile(int([1, 2]), [2]), [4], [1, 2, 1, 2], 'int32');
  expectTensor(tile(bool([true, false]), [2]), [4], [1, 0, 1, 0], 'bool');
});

test('tile: gradient sums the copies', () => {
  gradCheck((x) => tile(x, [2, 1, 3]), [rand([2, 3, 2])]);
  gradCheck((x) => tile(x, [1, 1]), [rand([2, 2])]);
  secondOrderCheck((x) => tile(x, [3, 2]), rand([2, 1]));
});

test('tile: bad reps', () => {
  throwsWith(() => tile(nb.zeros([2, 3]), [2]), InvalidArgumentError, /tile: reps \[2\] has 1 entries but x has shape \[2,3\] \(rank 2\)/);
  throwsWith(() => tile(nb.zeros([2]), [-1]), InvalidArgumentError, /tile: reps must be non-negative/);
  throwsWith(() => tile(nb.zeros([2]), [1.5]), InvalidArgumentError, /tile: reps must be an array of integers/);
});

// -------------------------------------------------------------------------------------------
// pad / mirrorPad

test('pad: constant padding, custom value, int32, bool and zero-size', () => {
  expectTensor(pad(nb.tensor([1, 2]), [[1, 2]]), [5], [0, 1, 2, 0, 0]);
  expectTensor(pad(nb.tensor([[1, 2]]), [[0, 0], [1, 1]], 9), [1, 4], [9, 1, 2, 9]);
  expectTensor(pad(nb.tensor([[1, 2], [3, 4]]), [[1, 0], [0, 1]]), [3, 3], [0, 0, 0, 1, 2, 0, 3, 4, 0]);
  expectTensor(pad(int([5]), [[1, 1]], -1), [3], [-1, 5, -1], 'int32');
  expectTensor(pad(bool([false]), [[0, 2]], true), [3], [0, 1, 1], 'bool');
  expectTensor(pad(nb.zeros([0, 1]), [[1, 0], [0, 1]], 3), [1, 2], [3, 3]);
  expectTensor(pad(nb.scalar(2), []), [], [2]);
  expectTensor(pad(nb.tensor([1, 2]), [[1, 0]], { constantValue: 7 }), [3], [7, 1, 2]);
});

test('pad: gradient slices dy', () => {
  gradCheck((x) => pad(x, [[1, 2], [0, 1]], 3), [rand([2, 3])]);
  secondOrderCheck((x) => pad(x, [[2, 1]]), rand([3]));
});

test('mirrorPad: reflect and symmetric, 1-D and 2-D', () => {
  expectTensor(mirrorPad(nb.tensor([1, 2, 3]), [[2, 2]], 'reflect'), [7], [3, 2, 1, 2, 3, 2, 1]);
  expectTensor(mirrorPad(nb.tensor([1, 2, 3]), [[2, 2]], 'symmetric'), [7], [2, 1, 1, 2, 3, 3, 2]);
  expectTensor(mirrorPad(nb.tensor([1, 2, 3]), [[3, 0]], 'SYMMETRIC'), [6], [3, 2, 1, 1, 2, 3]);
  const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  expectTensor(mirrorPad(x, [[1, 1], [2, 0]], 'reflect'), [4, 5], [6, 5, 4, 5, 6, 3, 2, 1, 2, 3, 6, 5, 4, 5, 6, 3, 2, 1, 2, 3]);
  expectTensor(mirrorPad(x, [[0, 1], [1, 1]], 'symmetric'), [3, 5], [1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 4, 4, 5, 6, 6]);
  expectTensor(pad(int([1, 2, 3]), [[1, 1]], { mode: 'reflect' }), [5], [2, 1, 2, 3, 2], 'int32');
  expectTensor(mirrorPad(bool([true, false]), [[0, 2]], 'symmetric'), [4], [1, 0, 0, 1], 'bool');
  expectTensor(mirrorPad(nb.zeros([0, 2]), [[0, 0], [1, 1]], 'reflect'), [0, 4], []);
});

test('mirrorPad: gradients fold the mirrored borders back', () => {
  gradCheck((x) => mirrorPad(x, [[2, 1], [1, 2]], 'reflect'), [rand([3, 4])]);
  gradCheck((x) => mirrorPad(x, [[3, 2], [0, 1]], 'symmetric'), [rand([3, 2])]);
  gradCheck((x) => mirrorPad(x, [[1, 1]], 'reflect'), [rand([2])]);
  const g = nb.grad((x) => mirrorPad(x, [[2, 2]], 'reflect'))(nb.tensor([1, 2, 3]));
  expectTensor(g, [3], [2, 3, 2]);
  secondOrderCheck((x) => mirrorPad(x, [[1, 2]], 'symmetric'), rand([3]));
});

test('pad / mirrorPad: bad paddings, values and modes', () => {
  throwsWith(() => pad(nb.zeros([2, 2]), [[1, 1]]), InvalidArgumentError, /pad: paddings must be 2 pairs \[before, after\] of non-negative integers for x with shape \[2,2\]/);
  throwsWith(() => pad(nb.zeros([2]), [[-1, 0]]), InvalidArgumentError, /pad: paddings must be 1 pairs/);
  throwsWith(() => pad(int([1]), [[1, 0]], 0.5), DTypeError, /pad: constantValue 0.5 is not an integer, so it cannot pad an int32 tensor/);
  throwsWith(() => pad(bool([true]), [[1, 0]], 2), DTypeError, /pad: constantValue 2 cannot pad a bool tensor/);
  throwsWith(() => mirrorPad(nb.zeros([3]), [[3, 0]], 'reflect'), InvalidArgumentError, /mirrorPad: paddings\[0\] = \[3, 0\] is too large for dimension 0 of x with shape \[3\]; in reflect mode each side may add at most 2/);
  throwsWith(() => mirrorPad(nb.zeros([3]), [[0, 4]], 'symmetric'), InvalidArgumentError, /in symmetric mode each side may add at most 3/);
  throwsWith(() => mirrorPad(nb.zeros([3]), [[1, 1]], 'wrap' as never), InvalidArgumentError, /mirrorPad: mode must be 'constant', 'reflect' or 'symmetric', got "wrap"/);
  throwsWith(() => mirrorPad(nb.zeros([3]), [[1, 1]], 'constant' as never), InvalidArgumentError, /mirrorPad: mode must be 'reflect' or 'symmetric'.*use nb\.pad/);
  throwsWith(() => pad(nb.zeros([3]), [[1, 1]], { mode: 'reflect', constantValue: 1 }), InvalidArgumentError, /only applies to mode 'constant'/);
});

// -------------------------------------------------------------------------------------------
// reverse

test('reverse: one axis, several, all, negative; zero-size, int32, bool', () => {
  const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  expectTensor(reverse(x, 1), [2, 3], [3, 2, 1, 6, 5, 4]);
  expectTensor(reverse(x, -2), [2, 3], [4, 5, 6, 1, 2, 3]);
  expectTensor(reverse(x, [0, 1]), [2, 3], [6, 5, 4, 3, 2, 1]);
  expectTensor(reverse(x), [2, 3], [6, 5, 4, 3, 2, 1]);
  expectTensor(reverse(x, []), [2, 3], [1, 2, 3, 4, 5, 6]);
  expectTensor(reverse(nb.zeros([0, 2]), 0), [0, 2], []);
  expectTensor(reverse(nb.scalar(3)), [], [3]);
  expectTensor(reverse(int([1, 2, 3])), [3], [3, 2, 1], 'int32');
  expectTensor(reverse(bool([true, false, false])), [3], [0, 0, 1], 'bool');
  const cube = nb.reshape(nb.range(8), [2, 2, 2]);
  expectTensor(reverse(cube, [0, 2]), [2, 2, 2], [5, 4, 7, 6, 1, 0, 3, 2], 'int32');
});

test('reverse: gradient reverses dy', () => {
  gradCheck((x) => reverse(x, [0, 2]), [rand([2, 3, 2])]);
  secondOrderCheck((x) => reverse(x), rand([2, 2]));
});

test('reverse: bad axes', () => {
  throwsWith(() => reverse(nb.zeros([2, 2]), [0, -2]), InvalidArgumentError, /reverse: axis \[0,-2\] names a dimension more than once/);
  throwsWith(() => reverse(nb.zeros([2, 2]), 2), InvalidArgumentError, /reverse: axis 2 is out of range for a tensor of rank 2/);
});

// -------------------------------------------------------------------------------------------
// Larger shapes exercise the kernels' contiguous-run paths; checked against index arithmetic.

test('kernels: long contiguous runs agree with index arithmetic', () => {
  const x = nb.reshape(nb.range(2 * 40 * 50), [2, 40, 50]);
  const t = transpose(x, [1, 0, 2]);
  assert.equal(t.values[(7 * 2 + 1) * 50 + 13], (1 * 40 + 7) * 50 + 13);
  const s = slice(x, [1, 3, 0], [1, 2, -1]);
  assert.equal(s.values[50 + 49], (1 * 40 + 4) * 50 + 49);
  const c = concat([x, x], 2);
  assert.equal(c.values[(1 * 40 + 5) * 100 + 77], (1 * 40 + 5) * 50 + 27);
  const g = gather(x, [39, 0], 1);
  assert.equal(g.values[(1 * 2 + 0) * 50 + 3], (1 * 40 + 39) * 50 + 3);
  const tl = tile(x, [1, 1, 2]);
  assert.equal(tl.values[(0 * 40 + 2) * 100 + 60], 2 * 50 + 10);
  const p = pad(x, [[0, 0], [1, 0], [0, 0]], -1);
  assert.equal(p.values[41 * 50 + 50 + 8], (1 * 40 + 0) * 50 + 8);
});

test('kernels: tiled transposes of sizes that are not multiples of the tile', () => {
  const [b, r, c] = [2, 33, 70];
  const x = nb.reshape(nb.range(b * r * c), [b, r, c]);
  const t = transpose(x, [0, 2, 1]);
  assert.deepEqual(t.shape, [b, c, r]);
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < c; j++) {
      for (let k = 0; k < r; k++) assert.equal(t.values[(i * c + j) * r + k], (i * r + k) * c + j);
    }
  }
  const full = transpose(x);
  assert.deepEqual(full.shape, [c, r, b]);
  for (let j = 0; j < c; j++) {
    for (let k = 0; k < r; k++) {
      for (let i = 0; i < b; i++) assert.equal(full.values[(j * r + k) * b + i], (i * r + k) * c + j);
    }
  }
});
