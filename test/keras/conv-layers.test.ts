import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { checkLayer } from './layer-check.js';
import { rand } from '../util/gradcheck.js';
import { Conv1D, conv1d } from '../../src/keras/layers/conv/conv1d.js';
import { Conv2D, conv2d } from '../../src/keras/layers/conv/conv2d.js';
import { Conv2DTranspose, conv2dTranspose } from '../../src/keras/layers/conv/conv2d-transpose.js';
import { DepthwiseConv2D, depthwiseConv2d } from '../../src/keras/layers/conv/depthwise-conv2d.js';
import { SeparableConv2D, separableConv2d } from '../../src/keras/layers/conv/separable-conv2d.js';
import * as convBarrel from '../../src/keras/layers/conv/index.js';

function assertClose(actual: nb.Tensor, expected: nb.Tensor | ArrayLike<number>, tol = 1e-4, what = 'values'): void {
  const a = actual.dataSync();
  const e = expected instanceof nb.Tensor ? expected.dataSync() : expected;
  if (expected instanceof nb.Tensor) assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(a.length, e.length, `${what}: size`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i]! - e[i]!) <= tol * (1 + Math.abs(e[i]!)), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  }
}

/** Direct NHWC conv2d with HWIO kernel, TensorFlow 'same'/'valid' padding, strides and dilation. */
function refConv2d(x: nb.Tensor, k: nb.Tensor, strides: [number, number], padding: 'valid' | 'same', dil: [number, number] = [1, 1]): nb.Tensor {
  const [B, H, W, C] = x.shape as number[];
  const [KH, KW, , O] = k.shape as number[];
  const xv = x.dataSync();
  const kv = k.dataSync();
  const effH = (KH! - 1) * dil[0] + 1;
  const effW = (KW! - 1) * dil[1] + 1;
  let OH: number, OW: number, padT = 0, padL = 0;
  if (padding === 'valid') {
    OH = Math.ceil((H! - effH + 1) / strides[0]);
    OW = Math.ceil((W! - effW + 1) / strides[1]);
  } else {
    OH = Math.ceil(H! / strides[0]);
    OW = Math.ceil(W! / strides[1]);
    padT = Math.floor(Math.max((OH - 1) * strides[0] + effH - H!, 0) / 2);
    padL = Math.floor(Math.max((OW - 1) * strides[1] + effW - W!, 0) / 2);
  }
  const out = new Float32Array(B! * OH * OW * O!);
  for (let b = 0; b < B!; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let o = 0; o < O!; o++) {
          let acc = 0;
          for (let i = 0; i < KH!; i++)
            for (let j = 0; j < KW!; j++) {
              const h = oh * strides[0] + i * dil[0] - padT;
              const w = ow * strides[1] + j * dil[1] - padL;
              if (h < 0 || h >= H! || w < 0 || w >= W!) continue;
              for (let c = 0; c < C!; c++) acc += xv[((b * H! + h) * W! + w) * C! + c]! * kv[((i * KW! + j) * C! + c) * O! + o]!;
            }
          out[((b * OH + oh) * OW + ow) * O! + o] = acc;
        }
  return nb.tensor(out, [B!, OH, OW, O!]);
}

test('Conv1D: shapes, gradients, config round-trip (valid, same, causal+dilation, strides)', () => {
  checkLayer(() => conv1d({ filters: 3, kernelSize: 3, activation: 'tanh' }), Conv1D, { inputShapes: [[2, 6, 2]], expectedShape: [2, 4, 3] });
  checkLayer(() => conv1d({ filters: 2, kernelSize: 2, padding: 'same', strides: 2 }), Conv1D, { inputShapes: [[2, 5, 3]], expectedShape: [2, 3, 2] });
  checkLayer(() => conv1d({ filters: 2, kernelSize: 2, padding: 'causal', dilationRate: 2 }), Conv1D, { inputShapes: [[1, 6, 2]], expectedShape: [1, 6, 2] });
});

test('Conv2D: shapes, gradients, config round-trip (valid+strides, same+dilation, no bias)', () => {
  checkLayer(() => conv2d({ filters: 3, kernelSize: [2, 3], strides: 2, activation: 'sigmoid' }), Conv2D, {
    inputShapes: [[2, 5, 6, 2]],
    expectedShape: [2, 2, 2, 3],
  });
  checkLayer(() => conv2d({ filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2, useBias: false }), Conv2D, {
    inputShapes: [[1, 5, 5, 2]],
    expectedShape: [1, 5, 5, 2],
  });
});

test('Conv2DTranspose: shapes, gradients, config round-trip (same, valid, outputPadding, dilation)', () => {
  checkLayer(() => conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), Conv2DTranspose, {
    inputShapes: [[1, 3, 3, 2]],
    expectedShape: [1, 6, 6, 2],
  });
  checkLayer(() => conv2dTranspose({ filters: 3, kernelSize: [3, 2], strides: [2, 1] }), Conv2DTranspose, {
    inputShapes: [[2, 2, 3, 2]],
    expectedShape: [2, 5, 4, 3],
  });
  checkLayer(() => conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, activation: 'tanh' }), Conv2DTranspose, {
    inputShapes: [[1, 2, 2, 1]],
    expectedShape: [1, 6, 6, 2],
  });
  checkLayer(() => conv2dTranspose({ filters: 1, kernelSize: 2, dilationRate: 2, padding: 'same' }), Conv2DTranspose, {
    inputShapes: [[1, 4, 4, 2]],
    expectedShape: [1, 4, 4, 1],
  });
});

test('DepthwiseConv2D and SeparableConv2D: shapes, gradients, config round-trip', () => {
  checkLayer(() => depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }), DepthwiseConv2D, {
    inputShapes: [[2, 4, 4, 3]],
    expectedShape: [2, 3, 3, 6],
  });
  checkLayer(() => depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }), DepthwiseConv2D, {
    inputShapes: [[1, 5, 5, 2]],
    expectedShape: [1, 3, 3, 2],
  });
  checkLayer(() => separableConv2d({ filters: 3, kernelSize: 2, depthMultiplier: 2 }), SeparableConv2D, {
    inputShapes: [[2, 4, 4, 2]],
    expectedShape: [2, 3, 3, 3],
  });
  checkLayer(() => separableConv2d({ filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2, useBias: false }), SeparableConv2D, {
    inputShapes: [[1, 5, 5, 2]],
    expectedShape: [1, 5, 5, 2],
  });
});

test('kernel layouts follow Keras/TF: HWIO, transpose [kh,kw,out,in], depthwise [kh,kw,in,mult]', () => {
  const c1 = conv1d({ filters: 4, kernelSize: 3 });
  c1.apply(nb.zeros([1, 5, 2]));
  assert.deepEqual(c1.kernel.shape, [3, 2, 4]);
  const c2 = conv2d({ filters: 4, kernelSize: [3, 2] });
  c2.apply(nb.zeros([1, 5, 5, 2]));
  assert.deepEqual(c2.kernel.shape, [3, 2, 2, 4]);
  assert.deepEqual(c2.bias!.shape, [4]);
  assert.deepEqual(c2.weights.map((w) => w.name), [`${c2.name}/kernel`, `${c2.name}/bias`]);
  const t = conv2dTranspose({ filters: 4, kernelSize: [3, 2] });
  t.apply(nb.zeros([1, 5, 5, 2]));
  assert.deepEqual(t.kernel.shape, [3, 2, 4, 2]);
  const d = depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3 });
  d.apply(nb.zeros([1, 5, 5, 2]));
  assert.deepEqual(d.depthwiseKernel.shape, [3, 3, 2, 3]);
  assert.deepEqual(d.bias!.shape, [6]);
  const s = separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2 });
  s.apply(nb.zeros([1, 5, 5, 2]));
  assert.deepEqual(s.weights.map((w) => w.shape), [[3, 3, 2, 2], [1, 1, 4, 5], [5]]);
  assert.equal(s.countParams(), 36 + 20 + 5);
});

test('Conv1D equals a hand-computed 1-D convolution', () => {
  const layer = conv1d({ filters: 2, kernelSize: 3, strides: 2 });
  const x = rand([2, 7, 3], -1, 1, 5);
  layer.apply(x);
  const k = rand([3, 3, 2], -1, 1, 6);
  const b = nb.tensor([0.5, -0.25]);
  layer.setWeights([k, b]);
  const y = layer.apply(x);
  const xv = x.dataSync();
  const kv = k.dataSync();
  const expected: number[] = [];
  for (let n = 0; n < 2; n++)
    for (let t = 0; t < 3; t++)
      for (let o = 0; o < 2; o++) {
        let acc = b.dataSync()[o]!;
        for (let i = 0; i < 3; i++) for (let c = 0; c < 3; c++) acc += xv[(n * 7 + t * 2 + i) * 3 + c]! * kv[(i * 3 + c) * 2 + o]!;
        expected.push(acc);
      }
  assert.deepEqual(y.shape, [2, 3, 2]);
  assertClose(y, expected);
});

test("Conv1D 'causal': left-padded by dilation*(k-1); output t depends only on inputs <= t", () => {
  const layer = conv1d({ filters: 1, kernelSize: 3, dilationRate: 2, padding: 'causal', useBias: false });
  const x = nb.tensor([1, 2, 3, 4, 5, 6], [1, 6, 1]);
  layer.apply(x);
  layer.setWeights([nb.tensor([1, 10, 100], [3, 1, 1])]);
  // y[t] = 1*x[t-4] + 10*x[t-2] + 100*x[t], zero before the start.
  const xs = [1, 2, 3, 4, 5, 6];
  const at = (i: number): number => (i < 0 ? 0 : xs[i]!);
  const expected = xs.map((_, t) => at(t - 4) + 10 * at(t - 2) + 100 * at(t));
  assertClose(layer.apply(x), expected);
  // Changing a future input leaves earlier outputs unchanged.
  const y2 = layer.apply(nb.tensor([1, 2, 3, 4, 5, 60], [1, 6, 1])).dataSync();
  assert.deepEqual(Array.from(y2.slice(0, 5)), expected.slice(0, 5));
  // Symbolic shape keeps the length.
  const sym = conv1d({ filters: 2, kernelSize: 4, padding: 'causal' }).apply(nb.keras.input({ shape: [null, 3] }));
  assert.deepEqual(sym.shape, [null, null, 2]);
});

test('Conv2D matches a direct convolution (strides, same padding, dilation) plus bias and activation', () => {
  const x = rand([2, 6, 5, 3], -1, 1, 9);
  const k = rand([3, 2, 3, 4], -1, 1, 10);
  const b = rand([4], -1, 1, 11);
  for (const [strides, padding, dil] of [
    [[2, 1], 'same', [1, 1]],
    [[1, 1], 'valid', [2, 1]],
    [[2, 2], 'valid', [1, 1]],
  ] as [[number, number], 'valid' | 'same', [number, number]][]) {
    const layer = conv2d({ filters: 4, kernelSize: [3, 2], strides, padding, dilationRate: dil, activation: 'relu' });
    layer.apply(x);
    layer.setWeights([k, b]);
    const expected = nb.relu(nb.add(refConv2d(x, k, strides, padding, dil), b));
    assertClose(layer.apply(x), expected, 1e-4, `Conv2D ${padding} strides ${strides} dil ${dil}`);
  }
});

test('Conv2DTranspose is the adjoint of conv2d with the same kernel', () => {
  for (const [padding, strides, inHW] of [
    ['same', 2, [3, 3]],
    ['valid', 2, [3, 2]],
    ['valid', 1, [2, 3]],
  ] as ['same' | 'valid', number, [number, number]][]) {
    const layer = conv2dTranspose({ filters: 2, kernelSize: 3, strides, padding, useBias: false });
    const y = rand([1, inHW[0], inHW[1], 3], -1, 1, 21);
    const out = layer.apply(y); // [1, H, W, 2]
    const k = layer.kernel.read(); // [3, 3, 2, 3]: conv2d from 2 channels to 3
    const x = rand(out.shape as number[], -1, 1, 22);
    const conv = refConv2d(x, k, [strides, strides], padding);
    assert.deepEqual(conv.shape, y.shape);
    const lhs = nb.sum(nb.mul(conv, y)).item() as number;
    const rhs = nb.sum(nb.mul(x, out)).item() as number;
    assert.ok(Math.abs(lhs - rhs) < 1e-3 * (1 + Math.abs(lhs)), `${padding}/${strides}: <conv(x), y> = ${lhs} vs <x, convT(y)> = ${rhs}`);
  }
});

test('Conv2DTranspose output sizes follow Keras (outputPadding, symbolic unknown dims)', () => {
  const shape = (args: Parameters<typeof conv2dTranspose>[0], input: number[]): readonly number[] => conv2dTranspose(args).apply(nb.zeros(input)).shape;
  assert.deepEqual(shape({ filters: 1, kernelSize: 3, strides: 2 }, [1, 4, 4, 1]), [1, 9, 9, 1]);
  assert.deepEqual(shape({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 1 }, [1, 4, 4, 1]), [1, 10, 10, 1]);
  assert.deepEqual(shape({ filters: 1, kernelSize: 1, strides: 3 }, [1, 2, 2, 1]), [1, 6, 6, 1]);
  assert.deepEqual(shape({ filters: 1, kernelSize: 4, strides: 2, padding: 'same' }, [1, 5, 3, 1]), [1, 10, 6, 1]);
  assert.deepEqual(shape({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [0, 1] }, [1, 5, 3, 1]), [1, 9, 6, 1]);
  const sym = conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(nb.keras.input({ shape: [null, 5, 2] }));
  assert.deepEqual(sym.shape, [null, null, 10, 4]);
  assert.throws(() => conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 2 }), /outputPadding \[2, 2\] must be smaller than strides/);
  assert.throws(
    () => conv2dTranspose({ name: 'up_even', filters: 1, kernelSize: 4, strides: 2, padding: 'same', outputPadding: 0 }).apply(nb.zeros([1, 3, 3, 1])),
    (e: Error) => e instanceof nb.ShapeError && /Conv2DTranspose 'up_even'/.test(e.message) && /outputPadding/.test(e.message),
  );
});

test('SeparableConv2D equals depthwise then pointwise convolution', () => {
  const layer = separableConv2d({ filters: 3, kernelSize: [2, 3], depthMultiplier: 2, strides: 2, padding: 'same' });
  const x = rand([2, 5, 6, 2], -1, 1, 31);
  layer.apply(x);
  const [dk, pk, b] = layer.getWeights();
  const depth = nb.depthwiseConv2d(x, dk!, 2, 'same');
  // Pointwise: a 1x1 convolution is a matrix product over channels.
  const flat = nb.reshape(depth, [-1, 4]);
  const expected = nb.reshape(nb.add(nb.matMul(flat, nb.reshape(pk!, [4, 3])), b!), [2, 3, 3, 3]);
  assertClose(layer.apply(x), expected);
  // DepthwiseConv2D: output channel c*mult+m uses input channel c and filter m only.
  const dw = depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, useBias: false });
  const xi = rand([1, 3, 3, 2], -1, 1, 32);
  dw.apply(xi);
  const kk = dw.depthwiseKernel.read(); // [2,2,2,2]
  const out = dw.apply(xi);
  for (let c = 0; c < 2; c++)
    for (let m = 0; m < 2; m++) {
      const xc = nb.slice(xi, [0, 0, 0, c], [-1, -1, -1, 1]);
      const kc = nb.reshape(nb.slice(kk, [0, 0, c, m], [-1, -1, 1, 1]), [2, 2, 1, 1]);
      assertClose(nb.slice(out, [0, 0, 0, c * 2 + m], [-1, -1, -1, 1]), refConv2d(xc, kc, [1, 1], 'valid'), 1e-4, `channel ${c}*2+${m}`);
    }
});

test('conv layers: regularizers add losses; symbolic shapes with unknown spatial dims', () => {
  const layer = conv2d({ filters: 2, kernelSize: 3, kernelRegularizer: 'l2', biasRegularizer: nb.keras.regularizers.l1({ l1: 0.5 }) });
  layer.apply(nb.ones([1, 4, 4, 1]));
  assert.equal(layer.losses.length, 2);
  const k = layer.kernel.dataSync();
  let sq = 0;
  for (const v of k) sq += v * v;
  assert.ok(Math.abs((layer.losses[0]!.item() as number) - 0.01 * sq) < 1e-5);
  const sym = conv2d({ filters: 8, kernelSize: 3, strides: 2 }).apply(nb.keras.input({ shape: [null, 9, 3] }));
  assert.deepEqual(sym.shape, [null, null, 4, 8]);
  const dsym = depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(nb.keras.input({ shape: [7, 7, 3] }));
  assert.deepEqual(dsym.shape, [null, 7, 7, 6]);
});

test('conv layers: bad arguments and inputs give errors naming the layer and the value', () => {
  assert.throws(
    () => conv2d({ name: 'c2', filters: 2, kernelSize: 3 }).apply(nb.zeros([4, 4, 3])),
    (e: Error) => e instanceof nb.ShapeError && /'c2'/.test(e.message) && /expected ndim=4, found ndim=3/.test(e.message),
  );
  assert.throws(
    () => conv1d({ name: 'c1', filters: 2, kernelSize: 3 }).apply(nb.zeros([1, 4, 4, 3])),
    (e: Error) => e instanceof nb.ShapeError && /'c1'/.test(e.message) && /expected ndim=3/.test(e.message),
  );
  assert.throws(() => conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' }), (e: Error) => e instanceof nb.InvalidArgumentError && /Conv2D: dataFormat 'channelsFirst' is not supported.*channelsLast/.test(e.message));
  assert.throws(() => conv2d({ filters: 0, kernelSize: 3 }), /Conv2D: filters must be a positive integer, got 0/);
  assert.throws(() => conv2d({ filters: 2, kernelSize: [3, 3, 3] }), /Conv2D: kernelSize must be a positive integer or a tuple of 2/);
  assert.throws(() => conv2d({ filters: 2, kernelSize: 3, padding: 'causal' }), /Conv2D: padding must be one of 'valid', 'same', got 'causal'/);
  assert.throws(() => conv1d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /Conv1D: padding must be one of 'valid', 'same', 'causal'/);
  assert.throws(() => conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), /strides > 1 cannot be combined with dilationRate > 1/);
  assert.throws(() => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 1.5 }), /DepthwiseConv2D: depthMultiplier must be a positive integer, got 1.5/);
  assert.throws(() => separableConv2d({ filters: 2, kernelSize: 3, activation: 'nope' }), /unknown activation 'nope'/);
  assert.throws(
    () => conv2d({ name: 'tiny', filters: 1, kernelSize: 5 }).apply(nb.zeros([1, 3, 3, 1])),
    (e: Error) => e instanceof nb.ShapeError && /Conv2D 'tiny'/.test(e.message) && /too small/.test(e.message),
  );
  const built = conv2d({ name: 'c3', filters: 1, kernelSize: 1 });
  built.apply(nb.zeros([1, 2, 2, 3]));
  assert.throws(() => built.apply(nb.zeros([1, 2, 2, 4])), (e: Error) => /'c3'/.test(e.message) && /axis -1 .* value 3/.test(e.message));
  // Keras spelling accepted.
  assert.equal(conv2d({ filters: 1, kernelSize: 1, dataFormat: 'channels_last' }).dataFormat, 'channelsLast');
});

test('conv barrel exports the classes and factories', () => {
  for (const name of ['Conv1D', 'Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'conv1d', 'conv2d', 'conv2dTranspose', 'depthwiseConv2d', 'separableConv2d']) {
    assert.equal(typeof (convBarrel as Record<string, unknown>)[name], 'function', name);
  }
  // Default names as Keras spells them.
  assert.match(conv2dTranspose({ filters: 1, kernelSize: 1 }).name, /^conv2d_transpose(_\d+)?$/);
  assert.match(conv1d({ filters: 1, kernelSize: 1 }).name, /^conv1d(_\d+)?$/);
  assert.match(separableConv2d({ filters: 1, kernelSize: 1 }).name, /^separable_conv2d(_\d+)?$/);
  const layer = nb.keras.deserializeLayer({ className: 'Conv2D', config: conv2d({ filters: 2, kernelSize: 3 }).getConfig() });
  assert.ok(layer instanceof Conv2D);
});
