import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { resizeBilinear, resizeNearestNeighbor } from '../../src/ops/image.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

type Flags = [alignCorners: boolean, halfPixelCenters: boolean];
const FLAGS: Flags[] = [[false, false], [true, false], [false, true]];

/** Where output index `i` samples the input, per TensorFlow's resize documentation. */
function sourceCoord(i: number, inSize: number, outSize: number, [alignCorners, halfPixel]: Flags, nearest: boolean): number {
  const scale = alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  if (!halfPixel) return i * scale;
  return nearest ? (i + 0.5) * scale : (i + 0.5) * scale - 0.5;
}

function pixel(x: nb.Tensor, b: number, y: number, xx: number, c: number): number {
  const [, h, w, ch] = x.shape as [number, number, number, number];
  return x.values[((b * h + y) * w + xx) * ch + c]!;
}

/** Bilinear resize, one output value at a time, weighting the four neighbours. */
function naiveBilinear(x: nb.Tensor, [oh, ow]: [number, number], flags: Flags): nb.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const sy = sourceCoord(i, h, oh, flags, false), sx = sourceCoord(j, w, ow, flags, false);
        const y0 = Math.floor(sy), x0 = Math.floor(sx);
        const fy = sy - y0, fx = sx - x0;
        const clampY = (v: number): number => Math.min(Math.max(v, 0), h - 1);
        const clampX = (v: number): number => Math.min(Math.max(v, 0), w - 1);
        for (let ch = 0; ch < c; ch++) {
          const v00 = pixel(x, b, clampY(y0), clampX(x0), ch), v01 = pixel(x, b, clampY(y0), clampX(x0 + 1), ch);
          const v10 = pixel(x, b, clampY(y0 + 1), clampX(x0), ch), v11 = pixel(x, b, clampY(y0 + 1), clampX(x0 + 1), ch);
          out.push((1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11));
        }
      }
    }
  }
  return nb.tensor(out, [n, oh, ow, c]);
}

/** Nearest-neighbour resize: round (alignCorners) or floor the source coordinate, then clamp. */
function naiveNearest(x: nb.Tensor, [oh, ow]: [number, number], flags: Flags): nb.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const pick = (s: number, size: number): number => Math.min(Math.max(flags[0] ? Math.round(s) : Math.floor(s), 0), size - 1);
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const y = pick(sourceCoord(i, h, oh, flags, true), h), xx = pick(sourceCoord(j, w, ow, flags, true), w);
        for (let ch = 0; ch < c; ch++) out.push(pixel(x, b, y, xx, ch));
      }
    }
  }
  return nb.tensor(out, [n, oh, ow, c]);
}

const SIZES: [number[], [number, number]][] = [
  [[2, 4, 5, 3], [7, 3]],
  [[1, 3, 3, 2], [9, 9]],
  [[1, 5, 7, 1], [2, 3]],
  [[2, 1, 4, 2], [3, 8]],
  [[1, 6, 6, 1], [6, 6]],
  [[1, 3, 4, 2], [1, 1]],
  [[1, 7, 3, 2], [13, 5]],
];

describe('image.resizeBilinear', () => {
  test('hand-checked values for each flag', () => {
    const row = nb.tensor([0, 10], [1, 2, 1]);
    assertClose(resizeBilinear(row, [1, 4]), [[[0], [5], [10], [10]]]);
    assertClose(resizeBilinear(row, [1, 4], true), [[[0], [10 / 3], [20 / 3], [10]]]);
    assertClose(resizeBilinear(row, [1, 4], false, true), [[[0], [2.5], [7.5], [10]]]);
    const img = nb.tensor([0, 1, 2, 3], [2, 2, 1]);
    assertClose(resizeBilinear(img, [3, 3], true), [[[0], [0.5], [1]], [[1], [1.5], [2]], [[2], [2.5], [3]]]);
  });

  for (const [shape, size] of SIZES) {
    for (const flags of FLAGS) {
      test(`matches a naive loop: ${JSON.stringify(shape)} -> ${JSON.stringify(size)}, alignCorners ${flags[0]}, halfPixelCenters ${flags[1]}`, () => {
        const x = rand(shape, -1, 1, 3);
        assertClose(resizeBilinear(x, size, ...flags), naiveBilinear(x, size, flags), 1e-5);
      });
    }
  }

  test('rank 3, int32 input gives float32', () => {
    const y = resizeBilinear(nb.tensor([0, 4], [1, 2, 1], 'int32'), [1, 3], true);
    assert.equal(y.dtype, 'float32');
    assertClose(y, [[[0], [2], [4]]]);
  });

  for (const flags of FLAGS) {
    test(`gradient check, alignCorners ${flags[0]}, halfPixelCenters ${flags[1]}`, () => {
      gradCheck((a) => resizeBilinear(a, [5, 7], ...flags), [rand([1, 3, 4, 2], -1, 1, 7)]);
      gradCheck((a) => resizeBilinear(a, [2, 3], ...flags), [rand([2, 5, 4, 1], -1, 1, 8)]);
    });
  }

  test('second-order gradient (the gradient op is differentiable)', () => {
    const gradOfSquares = (a: nb.Tensor): nb.Tensor => {
      const tape = new nb.GradientTape();
      tape.watch(a);
      const loss = tape.record(() => nb.sum(nb.square(resizeBilinear(a, [5, 3], false, true))));
      return tape.gradient(loss, a) as nb.Tensor;
    };
    gradCheck(gradOfSquares, [rand([1, 3, 4, 2], -1, 1, 9)]);
  });
});

describe('image.resizeNearestNeighbor', () => {
  test('hand-checked values for each flag', () => {
    assertClose(resizeNearestNeighbor(nb.tensor([1, 2], [1, 2, 1]), [1, 4]), [[[1], [1], [2], [2]]]);
    // alignCorners rounds half away from zero: source 0.5 picks index 1.
    assertClose(resizeNearestNeighbor(nb.tensor([1, 2, 3], [1, 3, 1]), [1, 5], true), [[[1], [2], [2], [3], [3]]]);
    assertClose(resizeNearestNeighbor(nb.tensor([1, 2, 3], [1, 3, 1]), [1, 2], false, true), [[[1], [3]]]);
    const img = nb.tensor([1, 2, 3, 4], [2, 2, 1]);
    assertClose(resizeNearestNeighbor(img, [4, 4]), [
      [[1], [1], [2], [2]], [[1], [1], [2], [2]], [[3], [3], [4], [4]], [[3], [3], [4], [4]],
    ]);
  });

  for (const [shape, size] of SIZES) {
    for (const flags of FLAGS) {
      test(`matches a naive loop: ${JSON.stringify(shape)} -> ${JSON.stringify(size)}, alignCorners ${flags[0]}, halfPixelCenters ${flags[1]}`, () => {
        const x = rand(shape, -1, 1, 4);
        assertClose(resizeNearestNeighbor(x, size, ...flags), naiveNearest(x, size, flags), 0);
      });
    }
  }

  test('keeps the dtype', () => {
    const y = resizeNearestNeighbor(nb.tensor([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), [3, 3]);
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(Array.from(y.values), [1, 1, 2, 1, 1, 2, 3, 3, 4]);
  });

  for (const flags of FLAGS) {
    test(`gradient check, alignCorners ${flags[0]}, halfPixelCenters ${flags[1]}`, () => {
      gradCheck((a) => resizeNearestNeighbor(a, [5, 7], ...flags), [rand([1, 3, 4, 2], -1, 1, 10)]);
      gradCheck((a) => resizeNearestNeighbor(a, [2, 3], ...flags), [rand([2, 5, 4, 1], -1, 1, 11)]);
    });
  }

  test('second-order gradient (the gradient op is differentiable)', () => {
    const gradOfSquares = (a: nb.Tensor): nb.Tensor => {
      const tape = new nb.GradientTape();
      tape.watch(a);
      const loss = tape.record(() => nb.sum(nb.square(resizeNearestNeighbor(a, [7, 2], true))));
      return tape.gradient(loss, a) as nb.Tensor;
    };
    gradCheck(gradOfSquares, [rand([1, 3, 4, 2], -1, 1, 12)]);
  });
});

function throwsLike(fn: () => unknown, cls: new (...args: never[]) => Error, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('resize errors', () => {
  const x = nb.zeros([1, 4, 4, 1]);
  test('bad size', () => {
    throwsLike(() => resizeBilinear(x, [0, 3]), nb.InvalidArgumentError, /resizeBilinear: size must be \[newHeight, newWidth\].*\[0,3\]/);
    throwsLike(() => resizeNearestNeighbor(x, [2] as never), nb.InvalidArgumentError, /resizeNearestNeighbor: size/);
  });
  test('alignCorners with halfPixelCenters', () => {
    throwsLike(() => resizeBilinear(x, [2, 2], true, true), nb.InvalidArgumentError, /alignCorners and halfPixelCenters cannot both be true/);
  });
  test('bad rank, empty image and bool dtype', () => {
    throwsLike(() => resizeBilinear(nb.zeros([4, 4]), [2, 2]), nb.ShapeError, /resizeBilinear: images must be rank 4.*\[4,4\]/);
    throwsLike(() => resizeBilinear(nb.zeros([1, 0, 4, 1]), [2, 2]), nb.ShapeError, /non-zero height and width.*\[1,0,4,1\]/);
    throwsLike(() => resizeNearestNeighbor(nb.zeros([1, 2, 2, 1], 'bool'), [2, 2]), nb.DTypeError, /resizeNearestNeighbor: images must have dtype float32 or int32, got bool/);
  });
});
