import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  Activation,
  activation,
  Dropout,
  dropout,
  GaussianNoise,
  gaussianNoise,
  Flatten,
  flatten,
  Reshape,
  reshape,
  Permute,
  permute,
  RepeatVector,
  repeatVector,
  Lambda,
  lambda,
  registerLambda,
  ReLU,
  reLU,
  LeakyReLU,
  leakyReLU,
  PReLU,
  prelu,
  ELU,
  elu,
  Softmax,
  softmax,
  Rescaling,
  rescaling,
  Embedding,
  embedding,
} from '../../src/keras/layers/core/index.js';
import { deserializeLayer, serializeLayer } from '../../src/keras/engine/serialization.js';
import { checkLayer } from './layer-check.js';
import { assertClose, rand } from '../util/gradcheck.js';

const vals = (t: nb.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);

function grads(f: () => nb.Tensor, sources: nb.Tensor[]): nb.Tensor[] {
  const tape = new nb.GradientTape();
  tape.watch(sources);
  const y = tape.record(f);
  return tape.gradient(y, sources, { unconnectedGradients: 'zero' }) as nb.Tensor[];
}

// ----- the generic checks, every layer ------------------------------------------------------------

test('Activation: shapes, gradients, config', () => {
  checkLayer(() => activation({ activation: 'tanh' }), Activation, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => activation({ activation: 'softmax' }), Activation, { inputShapes: [[2, 3, 4]], expectedShape: [2, 3, 4] });
});

test('Dropout and GaussianNoise: shapes, gradients, config (inference)', () => {
  checkLayer(() => dropout({ rate: 0.4, noiseShape: [null, 1], seed: 3 }), Dropout, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => gaussianNoise({ stddev: 0.5, seed: 2 }), GaussianNoise, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
});

test('Flatten, Reshape, Permute, RepeatVector: shapes, gradients, config', () => {
  checkLayer(() => flatten(), Flatten, { inputShapes: [[2, 3, 4]], expectedShape: [2, 12] });
  checkLayer(() => flatten({ dataFormat: 'channelsFirst' }), Flatten, { inputShapes: [[2, 3, 2, 2]], expectedShape: [2, 12] });
  checkLayer(() => flatten(), Flatten, { inputShapes: [[3]], expectedShape: [3, 1] });
  checkLayer(() => reshape({ targetShape: [3, -1] }), Reshape, { inputShapes: [[2, 12]], expectedShape: [2, 3, 4] });
  checkLayer(() => reshape({ targetShape: [6] }), Reshape, { inputShapes: [[2, 3, 2]], expectedShape: [2, 6] });
  checkLayer(() => permute({ dims: [3, 1, 2] }), Permute, { inputShapes: [[2, 3, 4, 5]], expectedShape: [2, 5, 3, 4] });
  checkLayer(() => repeatVector({ n: 3 }), RepeatVector, { inputShapes: [[2, 5]], expectedShape: [2, 3, 5] });
});

registerLambda('test_cube_plus', (x, args) => nb.add(nb.mul(nb.square(x as nb.Tensor), x as nb.Tensor), (args.offset as number) ?? 0));
registerLambda('test_concat_last', (xs) => nb.concat(xs as nb.Tensor[], -1));

test('Lambda: shapes, gradients, config (registered functions)', () => {
  checkLayer(() => lambda({ function: 'test_cube_plus', arguments: { offset: 2 } }), Lambda, { inputShapes: [[2, 3]], expectedShape: [2, 3] });
  checkLayer(() => lambda({ function: 'test_concat_last', outputShape: [5] }), Lambda, {
    inputShapes: [[2, 2], [2, 3]],
    expectedShape: [2, 5],
  });
});

test('ReLU, LeakyReLU, PReLU, ELU, Softmax: shapes, gradients, config', () => {
  checkLayer(() => reLU(), ReLU, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => reLU({ maxValue: 0.5, negativeSlope: 0.1, threshold: 0.2 }), ReLU, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => leakyReLU({ alpha: 0.2 }), LeakyReLU, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => prelu({ alphaInitializer: nb.keras.initializers.constant({ value: 0.25 }) }), PReLU, {
    inputShapes: [[3, 4]],
    expectedShape: [3, 4],
  });
  checkLayer(
    () => prelu({ alphaInitializer: nb.keras.initializers.randomUniform({ minval: 0, maxval: 0.5, seed: 1 }), sharedAxes: [1] }),
    PReLU,
    { inputShapes: [[2, 3, 4]], expectedShape: [2, 3, 4] },
  );
  checkLayer(() => elu({ alpha: 0.7 }), ELU, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => softmax(), Softmax, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => softmax({ axis: [1, 2] }), Softmax, { inputShapes: [[2, 3, 2]], expectedShape: [2, 3, 2] });
});

test('Rescaling and Embedding: shapes, gradients, config', () => {
  checkLayer(() => rescaling({ scale: 0.5, offset: -1 }), Rescaling, { inputShapes: [[3, 4]], expectedShape: [3, 4] });
  checkLayer(() => embedding({ inputDim: 5, outputDim: 4 }), Embedding, {
    inputShapes: [[2, 3]],
    expectedShape: [2, 3, 4],
    inputDtype: 'int32',
    intHigh: 5,
  });
  checkLayer(() => embedding({ inputDim: 6, outputDim: 2, inputLength: 4, embeddingsRegularizer: 'l2' }), Embedding, {
    inputShapes: [[3, 4]],
    expectedShape: [3, 4, 2],
    inputDtype: 'int32',
    intHigh: 6,
  });
});

// ----- behaviour ----------------------------------------------------------------------------------

test('Dropout: at training drops ~rate of the values and scales the rest by 1/(1-rate); inactive at inference', () => {
  const x = nb.ones([200, 50]);
  const layer = dropout({ rate: 0.3 });
  const y = vals(layer.apply(x, { training: true }));
  const kept = 1 / 0.7;
  let dropped = 0;
  for (const v of y) {
    if (v === 0) dropped++;
    else assert.ok(Math.abs(v - kept) < 1e-5, `kept value ${v} should be ${kept}`);
  }
  const fraction = dropped / y.length;
  assert.ok(Math.abs(fraction - 0.3) < 0.02, `dropped fraction ${fraction}`);
  assert.deepEqual(vals(layer.apply(x, { training: false })), vals(x));
  assert.deepEqual(vals(layer.apply(x)), vals(x)); // training undefined → inference
  // rate 0 is a no-op even when training.
  assert.deepEqual(vals(dropout({ rate: 0 }).apply(x, { training: true })), vals(x));
});

test('Dropout: noiseShape drops whole slices; gradient is the mask', () => {
  const x = rand([40, 6], 1, 2, 9);
  const layer = dropout({ rate: 0.5, noiseShape: [null, 1] });
  let y!: nb.Tensor;
  const [g] = grads(() => {
    y = layer.apply(x, { training: true });
    return nb.sum(y);
  }, [x]);
  const yv = vals(y);
  const xv = vals(x);
  const gv = vals(g!);
  let droppedRows = 0;
  for (let r = 0; r < 40; r++) {
    const row = yv.slice(r * 6, r * 6 + 6);
    const allZero = row.every((v) => v === 0);
    if (allZero) droppedRows++;
    else row.forEach((v, c) => assertNear(v, xv[r * 6 + c]! * 2, 1e-5));
    for (let c = 0; c < 6; c++) assertNear(gv[r * 6 + c]!, allZero ? 0 : 2, 1e-6);
  }
  assert.ok(droppedRows > 5 && droppedRows < 35, `dropped rows ${droppedRows}`);
});

test('Dropout: reproducible under nb.setSeed; a seeded layer draws a new mask per call', () => {
  const x = nb.ones([10, 10]);
  nb.setSeed(123);
  const a = vals(dropout({ rate: 0.5 }).apply(x, { training: true }));
  nb.setSeed(123);
  const b = vals(dropout({ rate: 0.5 }).apply(x, { training: true }));
  assert.deepEqual(a, b);
  const seeded = dropout({ rate: 0.5, seed: 7 });
  const first = vals(seeded.apply(x, { training: true }));
  const second = vals(seeded.apply(x, { training: true }));
  assert.notDeepEqual(first, second);
  assert.deepEqual(vals(dropout({ rate: 0.5, seed: 7 }).apply(x, { training: true })), first);
});

test('Dropout: bad arguments', () => {
  assert.throws(() => dropout({ rate: 1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /rate/.test(e.message) && /1/.test(e.message));
  assert.throws(() => dropout({ rate: -0.1 }), nb.InvalidArgumentError);
  assert.throws(() => dropout({ rate: 0.5, noiseShape: [0, 2] }), /noiseShape/);
  const layer = dropout({ rate: 0.5, noiseShape: [null, 1, 1] });
  assert.throws(() => layer.apply(nb.ones([2, 3]), { training: true }), /noiseShape/);
});

test('GaussianNoise: adds N(0, stddev²) noise only when training; reproducible under setSeed', () => {
  const x = nb.fill([100, 100], 3);
  const layer = gaussianNoise({ stddev: 0.5 });
  assert.deepEqual(vals(layer.apply(x)), vals(x));
  nb.setSeed(5);
  const y = vals(layer.apply(x, { training: true }));
  const noise = y.map((v) => v - 3);
  const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
  const std = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.5) < 0.02, `std ${std}`);
  nb.setSeed(5);
  assert.deepEqual(vals(gaussianNoise({ stddev: 0.5 }).apply(x, { training: true })), y);
  assert.throws(() => gaussianNoise({ stddev: -1 }), nb.InvalidArgumentError);
});

test('Flatten: channelsFirst flattens in channels-last order', () => {
  const x = rand([2, 3, 2, 2], -1, 1, 4);
  const expected = nb.reshape(nb.transpose(x, [0, 2, 3, 1]), [2, 12]);
  assertClose(flatten({ dataFormat: 'channelsFirst' }).apply(x), expected);
  assertClose(flatten().apply(x), nb.reshape(x, [2, 12]));
  assert.deepEqual(flatten().apply(nb.keras.input({ shape: [null, 3] })).shape, [null, null]);
  assert.throws(() => flatten({ dataFormat: 'nchw' as never }), /dataFormat/);
});

test('Reshape: infers -1, keeps the batch dim, and rejects bad target shapes', () => {
  const x = rand([2, 12], -1, 1, 5);
  const y = reshape({ targetShape: [-1, 3] }).apply(x);
  assert.deepEqual(y.shape, [2, 4, 3]);
  assert.deepEqual(vals(y), vals(x));
  assert.deepEqual(reshape({ targetShape: [2, -1] }).apply(nb.keras.input({ shape: [3, 4] })).shape, [null, 2, 6]);
  assert.throws(() => reshape({ targetShape: [5] }).apply(x), (e: Error) => e instanceof nb.ShapeError && /reshape/.test(e.message) && /12/.test(e.message));
  assert.throws(() => reshape({ targetShape: [5, -1] }).apply(nb.keras.input({ shape: [12] })), nb.ShapeError);
  assert.throws(() => reshape({ targetShape: [-1, -1] }), (e: Error) => e instanceof nb.InvalidArgumentError && /one -1/.test(e.message));
  assert.throws(() => reshape({ targetShape: [0, 3] }), nb.InvalidArgumentError);
});

test('Permute: matches nb.transpose with the batch dim fixed (1-based dims)', () => {
  const x = rand([2, 3, 4, 5], -1, 1, 6);
  assertClose(permute({ dims: [3, 1, 2] }).apply(x), nb.transpose(x, [0, 3, 1, 2]));
  assertClose(permute({ dims: [2, 1] }).apply(rand([2, 3, 4], -1, 1, 7)), nb.transpose(rand([2, 3, 4], -1, 1, 7), [0, 2, 1]));
  assert.throws(() => permute({ dims: [0, 1] }), (e: Error) => e instanceof nb.InvalidArgumentError && /permutation/.test(e.message));
  assert.throws(() => permute({ dims: [1, 1] }), nb.InvalidArgumentError);
  assert.throws(() => permute({ dims: [2, 1] }).apply(nb.ones([2, 3])), nb.ShapeError);
});

test('RepeatVector: each row repeated n times', () => {
  const x = nb.tensor([[1, 2], [3, 4]]);
  assert.deepEqual(repeatVector({ n: 3 }).apply(x).arraySync(), [
    [[1, 2], [1, 2], [1, 2]],
    [[3, 4], [3, 4], [3, 4]],
  ]);
  assert.throws(() => repeatVector({ n: 0 }), nb.InvalidArgumentError);
  assert.throws(() => repeatVector({ n: 2 }).apply(nb.ones([2, 3, 4])), nb.ShapeError);
});

test('Lambda: arguments, outputShape, and unregistered functions', () => {
  const layer = lambda({ function: 'test_cube_plus', arguments: { offset: 1 } });
  assertClose(layer.apply(nb.tensor([[1, 2, -1]])), [[2, 9, 0]]);
  const anon = lambda({ function: (x) => nb.mul(x as nb.Tensor, 3) });
  assertClose(anon.apply(nb.tensor([[1, 2]])), [[3, 6]]);
  const config = JSON.parse(JSON.stringify(anon.getConfig())) as Record<string, unknown>;
  assert.throws(() => Lambda.fromConfig(config), (e: Error) => e instanceof nb.InvalidArgumentError && /registerLambda/.test(e.message));
  assert.throws(() => lambda({ function: 'no_such_fn' }), /registerLambda\('no_such_fn'/);
  // A registered function keeps its registered name even when passed directly.
  const f = (x: nb.Tensor | nb.Tensor[]): nb.Tensor => nb.neg(x as nb.Tensor);
  registerLambda('test_neg', f);
  const rebuilt = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(lambda({ function: f })))));
  assertClose(rebuilt.apply(nb.tensor([[1, -2]])) as nb.Tensor, [[-1, 2]]);
  // Symbolic shape by probing, or from outputShape.
  assert.deepEqual(lambda({ function: (x) => nb.sum(x as nb.Tensor, -1, true) }).apply(nb.keras.input({ shape: [4] })).shape, [null, 1]);
  assert.deepEqual(lambda({ function: 'test_neg', outputShape: [4] }).apply(nb.keras.input({ shape: [4] })).shape, [null, 4]);
  assert.throws(() => lambda({ function: () => 3 as unknown as nb.Tensor }).apply(nb.ones([1, 2])), /must return a Tensor/);
});

test('ReLU: maxValue, negativeSlope and threshold as Keras defines them', () => {
  const xs = [-2, -0.5, 0.1, 0.3, 0.5, 1, 2, 7];
  const ref = (x: number, max: number | null, slope: number, th: number): number => {
    if (max !== null && x >= max) return max;
    if (x > th) return x;
    return slope * (x - th);
  };
  for (const [max, slope, th] of [[null, 0, 0], [6, 0, 0], [1.5, 0.1, 0.2], [null, 0.2, 0.4]] as const) {
    const y = reLU({ maxValue: max, negativeSlope: slope, threshold: th }).apply(nb.tensor([xs]));
    assertClose(y, [xs.map((x) => ref(x, max, slope, th))], 1e-6, `max=${max} slope=${slope} th=${th}`);
  }
  assert.throws(() => reLU({ maxValue: -1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /maxValue/.test(e.message));
  assert.throws(() => reLU({ negativeSlope: -0.1 }), /negativeSlope/);
  assert.throws(() => reLU({ threshold: -1 }), /threshold/);
});

test('LeakyReLU (default alpha 0.3), ELU and Softmax values', () => {
  assertClose(leakyReLU().apply(nb.tensor([[-2, 3]])), [[-0.6, 3]]);
  assertClose(elu({ alpha: 0.5 }).apply(nb.tensor([[-1, 2]])), [[0.5 * (Math.exp(-1) - 1), 2]]);
  assertClose(elu().apply(nb.tensor([[-3]])), [[Math.exp(-3) - 1]]);
  const logits = [1, 2, 3];
  const z = logits.reduce((a, b) => a + Math.exp(b), 0);
  assertClose(softmax().apply(nb.tensor([logits])), [logits.map((v) => Math.exp(v) / z)]);
  // Softmax over the first non-batch axis: each column sums to 1.
  const s = softmax({ axis: 1 }).apply(rand([2, 3, 4], -2, 2, 8));
  assertClose(nb.sum(s, 1), nb.ones([2, 4]));
  const s2 = softmax({ axis: [1, 2] }).apply(rand([2, 3, 4], -2, 2, 8));
  assertClose(nb.sum(s2, [1, 2]), nb.ones([2]));
  assert.throws(() => softmax({ axis: 3 }).apply(nb.ones([2, 3])), (e: Error) => e instanceof nb.InvalidArgumentError && /axis 3/.test(e.message));
  assert.throws(() => leakyReLU({ alpha: Number.NaN }), nb.InvalidArgumentError);
});

test('PReLU: per-element alpha, sharedAxes, gradient of alpha', () => {
  const layer = prelu({ alphaInitializer: nb.keras.initializers.constant({ value: 0.25 }), sharedAxes: [1] });
  const x = nb.tensor([[[-4, 2], [1, -8]]]);
  assertClose(layer.apply(x), [[[-1, 2], [1, -2]]]);
  assert.deepEqual(layer.alpha.shape, [1, 2]);
  const [g] = grads(() => nb.sum(layer.apply(x)), [layer.alpha]);
  // d/dalpha of sum(-alpha·relu(-x)) = -Σ relu(-x) over the shared axis.
  assertClose(g!, [[-4, -8]]);
  assert.throws(() => layer.apply(nb.ones([1, 2, 3])), nb.ShapeError); // last axis must stay 2
  assert.equal(prelu().apply(nb.ones([2, 3])).shape.length, 2);
  assert.throws(() => prelu({ sharedAxes: [0] }), (e: Error) => e instanceof nb.InvalidArgumentError && /sharedAxes/.test(e.message));
});

test('Rescaling: x·scale + offset, integer inputs cast to float', () => {
  assertClose(rescaling({ scale: 1 / 127.5, offset: -1 }).apply(nb.tensor([[0, 127.5, 255]])), [[-1, 0, 1]]);
  const y = rescaling({ scale: 0.5 }).apply(nb.tensor([[1, 3]], [1, 2], 'int32'));
  assert.equal(y.dtype, 'float32');
  assertClose(y, [[0.5, 1.5]]);
  assert.throws(() => rescaling({ scale: Number.POSITIVE_INFINITY }), nb.InvalidArgumentError);
});

test('Embedding: looks up rows of the embeddings matrix', () => {
  const layer = embedding({ inputDim: 4, outputDim: 3 });
  const idx = nb.tensor([[3, 0], [1, 3]], [2, 2], 'int32');
  const y = layer.apply(idx);
  assert.deepEqual(y.shape, [2, 2, 3]);
  const table = layer.getWeights()[0]!.arraySync() as number[][];
  const rows = [3, 0, 1, 3].flatMap((i) => table[i]!);
  assert.deepEqual(vals(y), rows.map((v) => Math.fround(v)));
  // Default initializer: uniform in [-0.05, 0.05].
  const big = embedding({ inputDim: 50, outputDim: 20 });
  big.apply(nb.tensor([[0]], [1, 1], 'int32'));
  const w = vals(big.getWeights()[0]!);
  assert.ok(w.every((v) => v >= -0.05 && v <= 0.05));
  assert.ok(Math.max(...w) > 0.04 && Math.min(...w) < -0.04);
  // Float indices holding integers are accepted; fractions are not.
  assert.deepEqual(vals(layer.apply(nb.tensor([[3, 0]]))), [3, 0].flatMap((i) => table[i]!).map((v) => Math.fround(v)));
  assert.throws(() => layer.apply(nb.tensor([[0.5]])), (e: Error) => e instanceof nb.InvalidArgumentError && /integer/.test(e.message));
});

test('Embedding: out-of-range index names the layer, the valid range and the bad value', () => {
  const layer = embedding({ inputDim: 5, outputDim: 2, name: 'word_vectors' });
  for (const bad of [5, -1, 17]) {
    assert.throws(
      () => layer.apply(nb.tensor([[0, bad]], [1, 2], 'int32')),
      (e: Error) =>
        e instanceof nb.InvalidArgumentError &&
        e.message.includes('word_vectors') &&
        e.message.includes('0..4') &&
        e.message.includes(String(bad)),
    );
  }
});

test('Embedding: gradient w.r.t. the embeddings accumulates per looked-up row', () => {
  const layer = embedding({ inputDim: 4, outputDim: 2 });
  const idx = nb.tensor([[1, 2, 1]], [1, 3], 'int32');
  const weights = nb.tensor([[[1, 2], [3, 4], [5, 6]]]);
  layer.apply(idx);
  const [g] = grads(() => nb.sum(nb.mul(layer.apply(idx), weights)), [layer.embeddings]);
  assertClose(g!, [[0, 0], [6, 8], [3, 4], [0, 0]]);
});

test('Embedding: inputLength fixes the input shape; bad arguments', () => {
  const layer = embedding({ inputDim: 10, outputDim: 3, inputLength: 5 });
  assert.deepEqual(layer.batchInputShape, [null, 5]);
  assert.deepEqual(layer.apply(nb.keras.input({ shape: [5], dtype: 'int32' })).shape, [null, 5, 3]);
  assert.throws(
    () => embedding({ inputDim: 10, outputDim: 3, inputLength: 5 }).apply(nb.keras.input({ shape: [4], dtype: 'int32' })),
    nb.ShapeError,
  );
  assert.deepEqual(embedding({ inputDim: 10, outputDim: 3 }).apply(nb.keras.input({ shape: [null], dtype: 'int32' })).shape, [null, null, 3]);
  assert.throws(() => embedding({ inputDim: 0, outputDim: 3 }), (e: Error) => e instanceof nb.InvalidArgumentError && /inputDim/.test(e.message));
  assert.throws(() => embedding({ inputDim: 3, outputDim: 2.5 }), /outputDim/);
});

test('Activation: unknown activation names the layer', () => {
  assert.throws(() => activation({ activation: 'nope', name: 'act_x' }), (e: Error) => /act_x/.test(e.message) && /nope/.test(e.message));
  assertClose(activation({ activation: 'relu' }).apply(nb.tensor([[-1, 2]])), [[0, 2]]);
});

function assertNear(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}
