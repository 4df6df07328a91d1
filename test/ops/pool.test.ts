import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { avgPool, maxPool } from '../../src/ops/pool.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

type Pair = [number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number]];

/** Output size and leading padding of one dim, by TensorFlow's documented formulas. */
function tfDim(size: number, window: number, stride: number, pad: 'same' | 'valid' | [number, number]): [number, number] {
  if (pad === 'same') {
    const out = Math.ceil(size / stride);
    return [out, Math.floor(Math.max(0, (out - 1) * stride + window - size) / 2)];
  }
  if (pad === 'valid') return [Math.ceil((size - window + 1) / stride), 0];
  return [Math.floor((size + pad[0] + pad[1] - window) / stride) + 1, pad[0]];
}

/** Naive pooling: `reduce` gets the in-bounds window values of one channel. */
function naivePool(x: nb.Tensor, window: Pair, strides: Pair, pad: Pad, reduce: (values: number[]) => number): nb.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [oh, top] = tfDim(h, window[0], strides[0], typeof pad === 'string' ? pad : pad[0]);
  const [ow, left] = tfDim(w, window[1], strides[1], typeof pad === 'string' ? pad : pad[1]);
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++) {
          const values: number[] = [];
          for (let ky = 0; ky < window[0]; ky++) {
            for (let kx = 0; kx < window[1]; kx++) {
              const y = oy * strides[0] - top + ky, xx = ox * strides[1] - left + kx;
              if (y >= 0 && y < h && xx >= 0 && xx < w) values.push(x.values[((b * h + y) * w + xx) * c + ch]!);
            }
          }
          out.push(reduce(values));
        }
      }
    }
  }
  return nb.tensor(out, [n, oh, ow, c]);
}

const maxOf = (v: number[]): number => Math.max(...v);
const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** A float tensor of distinct values 0.1 apart, shuffled, so finite differences never swap a max. */
function distinct(shape: number[], seed: number): nb.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from(rand([n], 0, 1, seed).values);
  const ranks = order.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const v = new Float32Array(n);
  ranks.forEach(([, i], r) => (v[i] = (r - n / 2) * 0.1));
  return nb.tensor(v, shape);
}

interface Case {
  name: string;
  x: number[];
  window: Pair;
  s: Pair;
  pad: Pad;
}

const CASES: Case[] = [
  { name: '2x2 stride 2 valid', x: [2, 6, 6, 3], window: [2, 2], s: [2, 2], pad: 'valid' },
  { name: '3x3 stride 2 same, odd size', x: [1, 7, 5, 2], window: [3, 3], s: [2, 2], pad: 'same' },
  { name: '3x3 stride 1 same', x: [1, 5, 6, 2], window: [3, 3], s: [1, 1], pad: 'same' },
  { name: '2x3 stride [1, 2] valid', x: [2, 5, 7, 1], window: [2, 3], s: [1, 2], pad: 'valid' },
  { name: 'even window, same padding', x: [1, 6, 5, 2], window: [4, 2], s: [3, 1], pad: 'same' },
  { name: 'explicit padding', x: [1, 5, 4, 2], window: [3, 2], s: [2, 1], pad: [[1, 1], [0, 1]] },
];

describe('maxPool / avgPool', () => {
  test('output shapes', () => {
    const x = nb.zeros([2, 9, 8, 3]);
    assert.deepEqual(maxPool(x, 2, 2, 'valid').shape, [2, 4, 4, 3]);
    assert.deepEqual(maxPool(x, 3, 2, 'same').shape, [2, 5, 4, 3]);
    assert.deepEqual(avgPool(x, [3, 2], [1, 2], 'valid').shape, [2, 7, 4, 3]);
    assert.deepEqual(avgPool(x, 3, 1, 'same').shape, [2, 9, 8, 3]);
    assert.deepEqual(avgPool(x, 3, 3, 1).shape, [2, 3, 3, 3]);
    assert.deepEqual(maxPool(nb.zeros([9, 8, 3]), 2, 2, 'same').shape, [5, 4, 3]);
  });

  test('hand-checked values', () => {
    const x = nb.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    assertClose(maxPool(x, 2, 2, 'valid'), [[[[4]]]]);
    assertClose(avgPool(x, 2, 2, 'valid'), [[[[2.5]]]]);
    // 'same' pads after: the padded cells are left out of both the max and the average.
    assertClose(avgPool(x, 2, 1, 'same'), [[[[2.5], [3]], [[3.5], [4]]]]);
    assertClose(maxPool(nb.neg(x), 2, 1, 'same'), [[[[-1], [-2]], [[-3], [-4]]]]);
  });

  for (const c of CASES) {
    test(`matches a naive loop: ${c.name}`, () => {
      const x = rand(c.x, -1, 1, 5);
      assertClose(maxPool(x, c.window, c.s, c.pad), naivePool(x, c.window, c.s, c.pad, maxOf), 1e-6, 'maxPool');
      assertClose(avgPool(x, c.window, c.s, c.pad), naivePool(x, c.window, c.s, c.pad, meanOf), 1e-5, 'avgPool');
    });
  }

  test('maxPool keeps int32', () => {
    const x = nb.tensor([5, -1, 7, 2, 0, 9, 3, 3, -4], [1, 3, 3, 1], 'int32');
    const y = maxPool(x, 2, 1, 'valid');
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(Array.from(y.values), [5, 9, 3, 9]);
  });

  for (const c of CASES) {
    test(`gradient check: ${c.name}`, () => {
      gradCheck((a) => maxPool(a, c.window, c.s, c.pad), [distinct(c.x, 11)]);
      gradCheck((a) => avgPool(a, c.window, c.s, c.pad), [rand(c.x, -1, 1, 12)]);
    });
  }

  test('maxPool gradient goes to the first maximum of each window', () => {
    const x = nb.ones([1, 2, 4, 1]);
    const dx = nb.grad((a) => nb.sum(maxPool(a, 2, 2, 'valid')))(x);
    assertClose(dx, [[[[1], [0], [1], [0]], [[0], [0], [0], [0]]]]);
  });

  test('overlapping windows accumulate gradient', () => {
    const x = nb.tensor([0, 0, 0, 0, 9, 0, 0, 0, 0], [1, 3, 3, 1]);
    const dx = nb.grad((a) => nb.sum(maxPool(a, 2, 1, 'valid')))(x);
    assertClose(dx, nb.tensor([0, 0, 0, 0, 4, 0, 0, 0, 0], [1, 3, 3, 1]));
  });

  test('second-order gradient through avgPool (its gradient op is differentiable)', () => {
    const x = rand([1, 5, 4, 2], -1, 1, 13);
    const gradOfSquares = (a: nb.Tensor): nb.Tensor => {
      const tape = new nb.GradientTape();
      tape.watch(a);
      const loss = tape.record(() => nb.sum(nb.square(avgPool(a, 3, 2, 'same'))));
      return tape.gradient(loss, a) as nb.Tensor;
    };
    gradCheck(gradOfSquares, [x]);
  });
});

function throwsLike(fn: () => unknown, cls: new (...args: never[]) => Error, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('pool errors', () => {
  const x = nb.zeros([1, 4, 4, 2]);
  test('bad rank', () => {
    throwsLike(() => maxPool(nb.zeros([4, 4]), 2, 2, 'valid'), nb.ShapeError, /maxPool: x must be rank 4.*rank 3.*\[4,4\]/);
  });
  test('bad filter size and strides', () => {
    throwsLike(() => maxPool(x, 0, 2, 'valid'), nb.InvalidArgumentError, /maxPool: filterSize must be a positive integer.*got 0/);
    throwsLike(() => avgPool(x, [2, 2], [2, 0], 'valid'), nb.InvalidArgumentError, /avgPool: strides.*\[2,0\]/);
  });
  test('window larger than the input', () => {
    throwsLike(() => maxPool(x, 5, 1, 'valid'), nb.ShapeError, /maxPool: the window height 5 does not fit the input height 4 of shape \[1,4,4,2\]/);
  });
  test('avgPool of int32 is a DTypeError', () => {
    throwsLike(() => avgPool(nb.zeros([1, 4, 4, 1], 'int32'), 2, 2, 'valid'), nb.DTypeError, /avgPool: x must have dtype float32, got int32/);
  });
  test('bad padding', () => {
    throwsLike(() => avgPool(x, 2, 2, 'SAME' as never), nb.InvalidArgumentError, /avgPool: pad must be/);
  });
});
