import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  conv2d, conv2dBackpropFilter, conv2dBackpropInput, conv2dTranspose,
  depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput,
} from '../../src/ops/conv.js';
import type { Padding } from '../../src/ops/conv-util.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

type Pair = [number, number];
type Explicit = [[number, number], [number, number]];

/** Output size and leading padding of one dim, by TensorFlow's documented formulas. */
function tfDim(size: number, filter: number, stride: number, dilation: number, pad: 'same' | 'valid' | [number, number]): [number, number] {
  const span = dilation * (filter - 1) + 1;
  if (pad === 'same') {
    const out = Math.ceil(size / stride);
    return [out, Math.floor(Math.max(0, (out - 1) * stride + span - size) / 2)];
  }
  if (pad === 'valid') return [Math.ceil((size - span + 1) / stride), 0];
  return [Math.floor((size + pad[0] + pad[1] - span) / stride) + 1, pad[0]];
}

interface Geometry {
  n: number; h: number; w: number; c: number;
  oh: number; ow: number; top: number; left: number;
  fh: number; fw: number; s: Pair; d: Pair;
}

function geometry(xShape: readonly number[], fh: number, fw: number, s: Pair, d: Pair, pad: 'same' | 'valid' | Explicit): Geometry {
  const [n, h, w, c] = xShape as number[] as [number, number, number, number];
  const [oh, top] = tfDim(h, fh, s[0], d[0], typeof pad === 'string' ? pad : pad[0]);
  const [ow, left] = tfDim(w, fw, s[1], d[1], typeof pad === 'string' ? pad : pad[1]);
  return { n, h, w, c, oh, ow, top, left, fh, fw, s, d };
}

/**
 * Calls `visit(xIndex, outPixelIndex, kh, kw)` for every (output pixel, filter tap) pair that reads
 * a real input pixel — the definition of a strided, dilated, padded window.
 */
function eachTap(g: Geometry, visit: (xPixel: number, outPixel: number, kh: number, kw: number) => void): void {
  for (let n = 0; n < g.n; n++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let kh = 0; kh < g.fh; kh++) {
          for (let kw = 0; kw < g.fw; kw++) {
            const iy = oy * g.s[0] - g.top + kh * g.d[0];
            const ix = ox * g.s[1] - g.left + kw * g.d[1];
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            visit((n * g.h + iy) * g.w + ix, (n * g.oh + oy) * g.ow + ox, kh, kw);
          }
        }
      }
    }
  }
}

/** Naive conv2d and its two adjoints, by direct summation. */
function naiveConv(x: nb.Tensor, f: nb.Tensor, s: Pair, d: Pair, pad: 'same' | 'valid' | Explicit) {
  const [fh, fw, ci, co] = f.shape as [number, number, number, number];
  const g = geometry(x.shape, fh, fw, s, d, pad);
  const outShape = [g.n, g.oh, g.ow, co];
  const forward = (): nb.Tensor => {
    const out = new Float64Array(g.n * g.oh * g.ow * co);
    eachTap(g, (xp, op, kh, kw) => {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) out[op * co + o] += x.values[xp * ci + i]! * f.values[((kh * fw + kw) * ci + i) * co + o]!;
      }
    });
    return nb.tensor(Float32Array.from(out), outShape);
  };
  const backpropInput = (dy: nb.Tensor): nb.Tensor => {
    const dx = new Float64Array(x.size);
    eachTap(g, (xp, op, kh, kw) => {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dx[xp * ci + i] += dy.values[op * co + o]! * f.values[((kh * fw + kw) * ci + i) * co + o]!;
      }
    });
    return nb.tensor(Float32Array.from(dx), x.shape);
  };
  const backpropFilter = (dy: nb.Tensor): nb.Tensor => {
    const df = new Float64Array(f.size);
    eachTap(g, (xp, op, kh, kw) => {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) df[((kh * fw + kw) * ci + i) * co + o] += x.values[xp * ci + i]! * dy.values[op * co + o]!;
      }
    });
    return nb.tensor(Float32Array.from(df), f.shape);
  };
  return { outShape, forward, backpropInput, backpropFilter };
}

/** Naive depthwise conv2d and its two adjoints. */
function naiveDepthwise(x: nb.Tensor, f: nb.Tensor, s: Pair, d: Pair, pad: 'same' | 'valid' | Explicit) {
  const [fh, fw, ci, mult] = f.shape as [number, number, number, number];
  const g = geometry(x.shape, fh, fw, s, d, pad);
  const co = ci * mult;
  const outShape = [g.n, g.oh, g.ow, co];
  const fIndex = (kh: number, kw: number, i: number, m: number): number => ((kh * fw + kw) * ci + i) * mult + m;
  const forward = (): nb.Tensor => {
    const out = new Float64Array(g.n * g.oh * g.ow * co);
    eachTap(g, (xp, op, kh, kw) => {
      for (let i = 0; i < ci; i++) {
        for (let m = 0; m < mult; m++) out[op * co + i * mult + m] += x.values[xp * ci + i]! * f.values[fIndex(kh, kw, i, m)]!;
      }
    });
    return nb.tensor(Float32Array.from(out), outShape);
  };
  const backpropInput = (dy: nb.Tensor): nb.Tensor => {
    const dx = new Float64Array(x.size);
    eachTap(g, (xp, op, kh, kw) => {
      for (let i = 0; i < ci; i++) {
        for (let m = 0; m < mult; m++) dx[xp * ci + i] += dy.values[op * co + i * mult + m]! * f.values[fIndex(kh, kw, i, m)]!;
      }
    });
    return nb.tensor(Float32Array.from(dx), x.shape);
  };
  const backpropFilter = (dy: nb.Tensor): nb.Tensor => {
    const df = new Float64Array(f.size);
    eachTap(g, (xp, op, kh, kw) => {
      for (let i = 0; i < ci; i++) {
        for (let m = 0; m < mult; m++) df[fIndex(kh, kw, i, m)] += x.values[xp * ci + i]! * dy.values[op * co + i * mult + m]!;
      }
    });
    return nb.tensor(Float32Array.from(df), f.shape);
  };
  return { outShape, forward, backpropInput, backpropFilter };
}

interface Case {
  name: string;
  x: number[];
  filter: [number, number];
  s: Pair;
  d: Pair;
  pad: 'same' | 'valid' | Explicit;
}

const CASES: Case[] = [
  { name: 'same, stride 1', x: [2, 5, 6, 3], filter: [3, 3], s: [1, 1], d: [1, 1], pad: 'same' },
  { name: 'valid, stride 1', x: [1, 6, 5, 2], filter: [3, 2], s: [1, 1], d: [1, 1], pad: 'valid' },
  { name: 'same, stride 2, odd size', x: [2, 7, 5, 3], filter: [3, 3], s: [2, 2], d: [1, 1], pad: 'same' },
  { name: 'valid, stride 2', x: [1, 8, 7, 2], filter: [2, 3], s: [2, 2], d: [1, 1], pad: 'valid' },
  { name: 'same, stride [1, 3], even filter', x: [1, 6, 9, 2], filter: [4, 2], s: [1, 3], d: [1, 1], pad: 'same' },
  { name: 'same, dilation 2', x: [1, 7, 6, 2], filter: [3, 3], s: [1, 1], d: [2, 2], pad: 'same' },
  { name: 'valid, dilation [2, 1]', x: [2, 8, 5, 3], filter: [3, 2], s: [1, 1], d: [2, 1], pad: 'valid' },
  { name: 'explicit padding, stride 2', x: [1, 5, 6, 2], filter: [3, 3], s: [2, 2], d: [1, 1], pad: [[1, 2], [0, 1]] },
  { name: 'pointwise 1x1', x: [3, 4, 5, 6], filter: [1, 1], s: [1, 1], d: [1, 1], pad: 'valid' },
  { name: 'pointwise 1x1, stride 2', x: [1, 5, 5, 3], filter: [1, 1], s: [2, 2], d: [1, 1], pad: 'same' },
];

/** A large enough case to exercise the GEMM's 4x4 tiles, k-blocks and im2col tiles. */
const BIG: Case = { name: 'large (blocked GEMM path)', x: [2, 19, 17, 40], filter: [3, 3], s: [1, 1], d: [1, 1], pad: 'same' };

describe('conv2d', () => {
  test('output shapes for same/valid/strided/dilated/explicit padding', () => {
    const x = nb.zeros([2, 9, 8, 3]);
    const w = nb.zeros([3, 3, 3, 5]);
    assert.deepEqual(conv2d(x, w, 1, 'same').shape, [2, 9, 8, 5]);
    assert.deepEqual(conv2d(x, w, 1, 'valid').shape, [2, 7, 6, 5]);
    assert.deepEqual(conv2d(x, w, 2, 'same').shape, [2, 5, 4, 5]);
    assert.deepEqual(conv2d(x, w, 2, 'valid').shape, [2, 4, 3, 5]);
    assert.deepEqual(conv2d(x, w, [1, 3], 'same').shape, [2, 9, 3, 5]);
    assert.deepEqual(conv2d(x, w, 1, 'valid', 'NHWC', 2).shape, [2, 5, 4, 5]);
    assert.deepEqual(conv2d(x, w, 1, 'same', 'NHWC', [2, 3]).shape, [2, 9, 8, 5]);
    assert.deepEqual(conv2d(x, w, 1, 1).shape, [2, 9, 8, 5]);
    assert.deepEqual(conv2d(x, w, 1, [[1, 0], [2, 2]]).shape, [2, 8, 10, 5]);
    assert.deepEqual(conv2d(x, w, 1, [[0, 0], [1, 0], [2, 2], [0, 0]]).shape, [2, 8, 10, 5]);
  });

  test('rank-3 input gets and loses a batch dimension', () => {
    const y = conv2d(nb.ones([4, 4, 2]), nb.ones([2, 2, 2, 3]), 1, 'valid');
    assert.deepEqual(y.shape, [3, 3, 3]);
    assertClose(y, nb.fill([3, 3, 3], 8));
  });

  test('hand-checked values: 3x3 image, 2x2 filter', () => {
    const x = nb.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = nb.tensor([1, 0, 0, -1], [2, 2, 1, 1]);
    // Each output is top-left minus bottom-right of its window.
    assertClose(conv2d(x, w, 1, 'valid'), [[[[-4], [-4]], [[-4], [-4]]]]);
    // 'same' pads one row/column at the bottom/right (TF puts the odd pad after).
    assertClose(conv2d(x, w, 1, 'same'), [[[[-4], [-4], [3]], [[-4], [-4], [6]], [[7], [8], [9]]]]);
    assertClose(conv2d(nb.ones([1, 3, 3, 1]), nb.ones([2, 2, 1, 1]), 1, 'valid'), [[[[4], [4]], [[4], [4]]]]);
  });

  for (const c of [...CASES, BIG]) {
    test(`matches a naive loop: ${c.name}`, () => {
      const x = rand(c.x, -1, 1, 3);
      const f = rand([...c.filter, c.x[3]!, 5], -1, 1, 4);
      const ref = naiveConv(x, f, c.s, c.d, c.pad);
      const dy = rand(ref.outShape, -1, 1, 5);
      assertClose(conv2d(x, f, c.s, c.pad, 'NHWC', c.d), ref.forward(), 1e-4, 'conv2d');
      assertClose(conv2dBackpropInput(x.shape, dy, f, c.s, c.pad, 'NHWC', c.d), ref.backpropInput(dy), 1e-4, 'backpropInput');
      assertClose(conv2dBackpropFilter(x, dy, f.shape, c.s, c.pad, 'NHWC', c.d), ref.backpropFilter(dy), 1e-4, 'backpropFilter');
    });
  }

  test('many output channels (GEMM edge columns) and wide patches (k-blocks)', () => {
    const x = rand([1, 6, 5, 70], -1, 1, 8);
    const f = rand([2, 3, 70, 67], -1, 1, 9);
    const ref = naiveConv(x, f, [1, 1], [1, 1], 'same');
    assertClose(conv2d(x, f, 1, 'same'), ref.forward(), 1e-4);
    const dy = rand(ref.outShape, -1, 1, 10);
    assertClose(conv2dBackpropInput(x.shape, dy, f, 1, 'same'), ref.backpropInput(dy), 1e-4);
    assertClose(conv2dBackpropFilter(x, dy, f.shape, 1, 'same'), ref.backpropFilter(dy), 1e-4);
  });

  test('numeric padding equals explicit padding on every side', () => {
    const x = rand([1, 5, 4, 2], -1, 1, 11);
    const f = rand([3, 2, 2, 3], -1, 1, 12);
    assertClose(conv2d(x, f, 2, 2), conv2d(x, f, 2, [[2, 2], [2, 2]]));
  });

  test('empty batch gives an empty result', () => {
    assert.deepEqual(conv2d(nb.zeros([0, 5, 5, 2]), nb.zeros([3, 3, 2, 4]), 1, 'same').shape, [0, 5, 5, 4]);
  });

  const gradCases = CASES.filter((c) => c.x[1]! * c.x[2]! * c.x[3]! <= 120);
  for (const c of gradCases) {
    test(`gradient check: ${c.name}`, () => {
      const x = rand([1, ...c.x.slice(1)], -1, 1, 21);
      const f = rand([...c.filter, c.x[3]!, 2], -1, 1, 22);
      gradCheck((a, b) => conv2d(a, b, c.s, c.pad, 'NHWC', c.d), [x, f]);
    });
  }

  test('gradient check of conv2dBackpropInput and conv2dBackpropFilter (both inputs)', () => {
    for (const c of gradCases.slice(0, 6)) {
      const xShape = [1, ...c.x.slice(1)];
      const x = rand(xShape, -1, 1, 31);
      const f = rand([...c.filter, c.x[3]!, 2], -1, 1, 32);
      const dy = rand(naiveConv(x, f, c.s, c.d, c.pad).outShape, -1, 1, 33);
      gradCheck((a, b) => conv2dBackpropInput(xShape, a, b, c.s, c.pad, 'NHWC', c.d), [dy, f]);
      gradCheck((a, b) => conv2dBackpropFilter(a, b, f.shape, c.s, c.pad, 'NHWC', c.d), [x, dy]);
    }
  });

  test('second-order gradients through conv2d', () => {
    const x = rand([1, 5, 4, 2], -1, 1, 41);
    const f = rand([3, 3, 2, 2], -1, 1, 42);
    const innerGrads = (a: nb.Tensor, b: nb.Tensor): nb.Tensor[] => {
      const tape = new nb.GradientTape();
      tape.watch([a, b]);
      const loss = tape.record(() => nb.sum(nb.square(conv2d(a, b, 2, 'same'))));
      return tape.gradient(loss, [a, b]) as nb.Tensor[];
    };
    gradCheck((a, b) => innerGrads(a, b)[0]!, [x, f]);
    gradCheck((a, b) => innerGrads(a, b)[1]!, [x, f]);
  });
});

describe('conv2dTranspose', () => {
  test('shapes: upsampling by the stride', () => {
    const x = nb.zeros([2, 4, 4, 6]);
    assert.deepEqual(conv2dTranspose(x, nb.zeros([5, 5, 3, 6]), [2, 8, 8, 3], 2, 'same').shape, [2, 8, 8, 3]);
    assert.deepEqual(conv2dTranspose(x, nb.zeros([3, 3, 3, 6]), [2, 9, 9, 3], 2, 'valid').shape, [2, 9, 9, 3]);
    assert.deepEqual(conv2dTranspose(nb.zeros([4, 4, 6]), nb.zeros([3, 3, 3, 6]), [8, 8, 3], 2, 'same').shape, [8, 8, 3]);
  });

  test('is the adjoint of conv2d: each input pixel stamps the filter', () => {
    const x = nb.tensor([1, 2], [1, 1, 2, 1]);
    const w = nb.tensor([1, 2, 3, 4], [2, 2, 1, 1]);
    // Stride 2, valid: the two 2x2 stamps sit side by side.
    assertClose(conv2dTranspose(x, w, [1, 2, 4, 1], 2, 'valid'), [[[[1], [2], [2], [4]], [[3], [4], [6], [8]]]]);
  });

  test('matches the naive backprop-input loop', () => {
    const x = rand([2, 4, 3, 5], -1, 1, 51);
    const f = rand([3, 3, 2, 5], -1, 1, 52);
    const out = [2, 7, 5, 2];
    const ref = naiveConv(nb.zeros(out), f, [2, 2], [1, 1], 'same');
    assertClose(conv2dTranspose(x, f, out, 2, 'same'), ref.backpropInput(x), 1e-4);
  });

  test('gradient check', () => {
    const x = rand([1, 3, 2, 3], -1, 1, 53);
    const f = rand([3, 3, 2, 3], -1, 1, 54);
    gradCheck((a, b) => conv2dTranspose(a, b, [1, 6, 4, 2], 2, 'same'), [x, f]);
    gradCheck((a, b) => conv2dTranspose(a, b, [1, 7, 5, 2], 2, 'valid'), [x, f]);
  });
});

describe('depthwiseConv2d', () => {
  test('shapes', () => {
    const x = nb.zeros([2, 7, 6, 3]);
    assert.deepEqual(depthwiseConv2d(x, nb.zeros([3, 3, 3, 1]), 1, 'same').shape, [2, 7, 6, 3]);
    assert.deepEqual(depthwiseConv2d(x, nb.zeros([3, 3, 3, 2]), 2, 'valid').shape, [2, 3, 2, 6]);
    assert.deepEqual(depthwiseConv2d(x, nb.zeros([3, 3, 3, 2]), 1, 'valid', 'NHWC', 2).shape, [2, 3, 2, 6]);
    assert.deepEqual(depthwiseConv2d(nb.zeros([7, 6, 3]), nb.zeros([3, 3, 3, 4]), 1, 'same').shape, [7, 6, 12]);
  });

  test('hand-checked values: channels do not mix, multiplier channels are interleaved per input channel', () => {
    const x = nb.tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const w = nb.tensor([1, -1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0], [2, 2, 2, 2]);
    // channel 0 filters: all ones and [-1, 0, 0, 0]; channel 1: ones and zeros.
    assertClose(depthwiseConv2d(x, w, 1, 'valid'), [[[[10, -1, 100, 0]]]]);
  });

  const DW_CASES = CASES.filter((c) => !c.name.startsWith('pointwise'));
  for (const mult of [1, 3]) {
    for (const c of DW_CASES) {
      test(`matches a naive loop (multiplier ${mult}): ${c.name}`, () => {
        const x = rand(c.x, -1, 1, 61);
        const f = rand([...c.filter, c.x[3]!, mult], -1, 1, 62);
        const ref = naiveDepthwise(x, f, c.s, c.d, c.pad);
        const dy = rand(ref.outShape, -1, 1, 63);
        assertClose(depthwiseConv2d(x, f, c.s, c.pad, 'NHWC', c.d), ref.forward(), 1e-4, 'forward');
        assertClose(depthwiseConv2dBackpropInput(x.shape, dy, f, c.s, c.pad, 'NHWC', c.d), ref.backpropInput(dy), 1e-4, 'backpropInput');
        assertClose(depthwiseConv2dBackpropFilter(x, dy, f.shape, c.s, c.pad, 'NHWC', c.d), ref.backpropFilter(dy), 1e-4, 'backpropFilter');
      });
    }
  }

  for (const c of DW_CASES.filter((k) => k.x[1]! * k.x[2]! * k.x[3]! <= 120)) {
    test(`gradient check (multiplier 2): ${c.name}`, () => {
      const x = rand([1, ...c.x.slice(1)], -1, 1, 71);
      const f = rand([...c.filter, c.x[3]!, 2], -1, 1, 72);
      gradCheck((a, b) => depthwiseConv2d(a, b, c.s, c.pad, 'NHWC', c.d), [x, f]);
      const dy = rand(naiveDepthwise(x, f, c.s, c.d, c.pad).outShape, -1, 1, 73);
      gradCheck((a, b) => depthwiseConv2dBackpropInput(x.shape, a, b, c.s, c.pad, 'NHWC', c.d), [dy, f]);
      gradCheck((a, b) => depthwiseConv2dBackpropFilter(a, b, f.shape, c.s, c.pad, 'NHWC', c.d), [x, dy]);
    });
  }
});

/** Asserts `fn` throws `cls` with a message matching `pattern`. */
function throwsLike(fn: () => unknown, cls: new (...args: never[]) => Error, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('conv errors', () => {
  const x = nb.zeros([1, 5, 5, 1]);
  const w = nb.zeros([3, 3, 1, 2]);

  test('filter of the wrong rank names both shapes', () => {
    throwsLike(() => conv2d(x, nb.zeros([3, 3, 1]), 1, 'valid'), nb.ShapeError, /conv2d: filter must be rank 4.*\[3,3,1\].*\[1,5,5,1\]/);
  });
  test('input of the wrong rank', () => {
    throwsLike(() => conv2d(nb.zeros([5, 5]), w, 1, 'valid'), nb.ShapeError, /conv2d: x must be rank 4.*\[5,5\]/);
  });
  test('channel mismatch names both shapes and the fix', () => {
    throwsLike(
      () => conv2d(nb.zeros([1, 5, 5, 3]), nb.zeros([3, 3, 4, 8]), 1, 'same'),
      nb.ShapeError, /conv2d: x has 3 channels \(shape \[1,5,5,3\]\).*4 input channels \(shape \[3,3,4,8\]\); the filter's third dimension/,
    );
    throwsLike(() => depthwiseConv2d(nb.zeros([1, 5, 5, 3]), nb.zeros([3, 3, 2, 1]), 1, 'same'), nb.ShapeError, /depthwiseConv2d: x has 3 channels/);
  });
  test('non-positive or fractional strides and dilations', () => {
    throwsLike(() => conv2d(x, w, 0, 'same'), nb.InvalidArgumentError, /conv2d: strides must be a positive integer.*got 0/);
    throwsLike(() => conv2d(x, w, [1, -2] as never, 'same'), nb.InvalidArgumentError, /strides.*\[1,-2\]/);
    throwsLike(() => conv2d(x, w, 1.5, 'same'), nb.InvalidArgumentError, /strides.*1\.5/);
    throwsLike(() => conv2d(x, w, 1, 'same', 'NHWC', 0), nb.InvalidArgumentError, /dilations.*got 0/);
  });
  test('dilations > 1 together with strides > 1', () => {
    throwsLike(() => conv2d(x, w, 2, 'same', 'NHWC', 2), nb.InvalidArgumentError, /conv2d: strides \[2,2\] and dilations \[2,2\] cannot both exceed 1/);
    throwsLike(() => depthwiseConv2d(x, nb.zeros([3, 3, 1, 1]), [1, 2], 'same', 'NHWC', [2, 1]), nb.InvalidArgumentError, /depthwiseConv2d: strides/);
  });
  test('bad padding', () => {
    throwsLike(() => conv2d(x, w, 1, 'full' as Padding), nb.InvalidArgumentError, /conv2d: pad must be 'same', 'valid'.*'full'/);
    throwsLike(() => conv2d(x, w, 1, -1), nb.InvalidArgumentError, /non-negative integer, got -1/);
    throwsLike(() => conv2d(x, w, 1, [[1, -1], [0, 0]]), nb.InvalidArgumentError, /explicit padding/);
    throwsLike(() => conv2d(x, w, 1, [[1, 0], [1, 1], [0, 0], [0, 0]]), nb.InvalidArgumentError, /batch and channel/);
  });
  test('filter larger than the input with valid padding', () => {
    throwsLike(() => conv2d(nb.zeros([1, 2, 5, 1]), w, 1, 'valid'), nb.ShapeError, /conv2d: the window height 3 does not fit the input height 2.*'same'/);
    throwsLike(() => conv2d(nb.zeros([1, 5, 4, 1]), w, 1, 'valid', 'NHWC', 2), nb.ShapeError, /window width 3 \(5 once dilated\)/);
  });
  test('NCHW and int32 input are rejected with the fix', () => {
    throwsLike(() => conv2d(x, w, 1, 'same', 'NCHW'), nb.InvalidArgumentError, /conv2d: dataFormat must be 'NHWC'.*transpose/);
    throwsLike(() => conv2d(nb.zeros([1, 5, 5, 1], 'int32'), w, 1, 'same'), nb.DTypeError, /conv2d: x must have dtype float32, got int32.*cast/);
  });
  test('backprop and transpose shape mismatches', () => {
    throwsLike(
      () => conv2dBackpropInput([1, 5, 5, 1], nb.zeros([1, 4, 4, 2]), w, 1, 'valid'),
      nb.ShapeError, /conv2dBackpropInput: dy has shape \[1,4,4,2\] but the convolution of an input of shape \[1,5,5,1\] produces \[1,3,3,2\]/,
    );
    throwsLike(() => conv2dBackpropFilter(x, nb.zeros([1, 3, 3, 2]), [3, 3, 1], 1, 'valid'), nb.InvalidArgumentError, /filterShape/);
    throwsLike(
      () => conv2dTranspose(nb.zeros([1, 4, 4, 2]), w, [1, 9, 9, 1], 1, 'same'),
      nb.ShapeError, /conv2dTranspose: x has shape \[1,4,4,2\] but outputShape \[1,9,9,1\].*\[1,9,9,2\]/,
    );
    throwsLike(() => conv2dTranspose(nb.zeros([1, 4, 4, 3]), w, [1, 4, 4, 1], 1, 'same'), nb.ShapeError, /conv2dTranspose: x has 3 channels/);
    throwsLike(() => conv2dTranspose(nb.zeros([1, 4, 4, 2]), w, [1, 4, 4, 5], 1, 'same'), nb.ShapeError, /outputShape \[1,4,4,5\] has 5 channels/);
  });
});
