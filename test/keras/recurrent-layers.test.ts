import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  BaseRNN,
  Bidirectional,
  GRU,
  LSTM,
  SimpleRNN,
  TimeDistributed,
  bidirectional,
  gru,
  lstm,
  simpleRNN,
  timeDistributed,
} from '../../src/keras/layers/recurrent/index.js';
import { Dense } from '../../src/keras/layers/core/dense.js';
import { checkLayer } from './layer-check.js';
import { assertClose, rand } from '../util/gradcheck.js';

// Tiny shapes keep the numeric gradient checks fast: batch 2, time 3, features 2, units 3.
const B = 2;
const T = 3;
const D = 2;
const U = 3;
const X = [[B, T, D]];

// ----- checkLayer: shapes (eager + symbolic), gradients, config round-trip --------------------

test('SimpleRNN: checkLayer (last output, sequences, states, goBackwards)', () => {
  checkLayer(() => simpleRNN({ units: U }), SimpleRNN, { inputShapes: X, expectedShape: [B, U] });
  checkLayer(() => simpleRNN({ units: U, returnSequences: true, activation: 'relu' }), SimpleRNN, {
    inputShapes: X,
    expectedShape: [B, T, U],
  });
  checkLayer(() => simpleRNN({ units: U, returnState: true, goBackwards: true }), SimpleRNN, {
    inputShapes: X,
    expectedShape: [
      [B, U],
      [B, U],
    ],
  });
});

test('LSTM: checkLayer (last output, sequences, returnState [output, h, c], no bias)', () => {
  checkLayer(() => lstm({ units: U }), LSTM, { inputShapes: X, expectedShape: [B, U] });
  checkLayer(() => lstm({ units: U, returnSequences: true, goBackwards: true }), LSTM, { inputShapes: X, expectedShape: [B, T, U] });
  checkLayer(() => lstm({ units: U, returnSequences: true, returnState: true }), LSTM, {
    inputShapes: X,
    expectedShape: [
      [B, T, U],
      [B, U],
      [B, U],
    ],
  });
  checkLayer(() => lstm({ units: U, useBias: false, unitForgetBias: false, recurrentActivation: 'hardSigmoid' }), LSTM, {
    inputShapes: X,
    expectedShape: [B, U],
  });
});

test('GRU: checkLayer (resetAfter true and false, sequences, returnState)', () => {
  checkLayer(() => gru({ units: U }), GRU, { inputShapes: X, expectedShape: [B, U] });
  checkLayer(() => gru({ units: U, resetAfter: false, returnSequences: true }), GRU, { inputShapes: X, expectedShape: [B, T, U] });
  checkLayer(() => gru({ units: U, returnState: true, goBackwards: true }), GRU, {
    inputShapes: X,
    expectedShape: [
      [B, U],
      [B, U],
    ],
  });
  checkLayer(() => gru({ units: U, resetAfter: false, returnState: true }), GRU, {
    inputShapes: X,
    expectedShape: [
      [B, U],
      [B, U],
    ],
  });
});

test('Bidirectional: checkLayer for every merge mode and returnState', () => {
  checkLayer(() => bidirectional({ layer: lstm({ units: U, returnSequences: true }) }), Bidirectional, {
    inputShapes: X,
    expectedShape: [B, T, 2 * U],
  });
  for (const mergeMode of ['sum', 'mul', 'ave'] as const) {
    checkLayer(() => bidirectional({ layer: gru({ units: U }), mergeMode }), Bidirectional, { inputShapes: X, expectedShape: [B, U] });
  }
  checkLayer(() => bidirectional({ layer: simpleRNN({ units: U, returnSequences: true }), mergeMode: null }), Bidirectional, {
    inputShapes: X,
    expectedShape: [
      [B, T, U],
      [B, T, U],
    ],
  });
  checkLayer(() => bidirectional({ layer: lstm({ units: U, returnState: true }) }), Bidirectional, {
    inputShapes: X,
    expectedShape: [
      [B, 2 * U],
      [B, U],
      [B, U],
      [B, U],
      [B, U],
    ],
  });
  checkLayer(
    () =>
      bidirectional({
        layer: gru({ units: U }),
        backwardLayer: gru({ units: 2, goBackwards: true, resetAfter: false }),
      }),
    Bidirectional,
    { inputShapes: X, expectedShape: [B, U + 2] },
  );
});

test('TimeDistributed: checkLayer around Dense and around an LSTM (4-D input)', () => {
  checkLayer(() => timeDistributed({ layer: new Dense({ units: 4, activation: 'tanh' }) }), TimeDistributed, {
    inputShapes: X,
    expectedShape: [B, T, 4],
  });
  checkLayer(() => timeDistributed({ layer: lstm({ units: 2 }) }), TimeDistributed, {
    inputShapes: [[B, 2, T, D]],
    expectedShape: [B, 2, 2],
  });
});

// ----- weight layouts --------------------------------------------------------------------------

test('weight shapes and names follow Keras layouts', () => {
  const shapes = (l: nb.keras.layers.Layer): [string, number[]][] => l.weights.map((w) => [w.name, w.shape as number[]]);
  const s = simpleRNN({ units: U, name: 'rnn_w' });
  s.apply(nb.zeros([B, T, D]));
  assert.deepEqual(shapes(s), [
    ['rnn_w/kernel', [D, U]],
    ['rnn_w/recurrent_kernel', [U, U]],
    ['rnn_w/bias', [U]],
  ]);
  const l = lstm({ units: U, name: 'lstm_w' });
  l.apply(nb.zeros([B, T, D]));
  assert.deepEqual(shapes(l), [
    ['lstm_w/kernel', [D, 4 * U]],
    ['lstm_w/recurrent_kernel', [U, 4 * U]],
    ['lstm_w/bias', [4 * U]],
  ]);
  // unitForgetBias: the forget gate's bias (second block of units) starts at 1.
  assert.deepEqual(Array.from(l.bias!.dataSync()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const g = gru({ units: U, name: 'gru_w' });
  g.apply(nb.zeros([B, T, D]));
  assert.deepEqual(shapes(g), [
    ['gru_w/kernel', [D, 3 * U]],
    ['gru_w/recurrent_kernel', [U, 3 * U]],
    ['gru_w/bias', [2, 3 * U]],
  ]);
  const g2 = gru({ units: U, resetAfter: false });
  g2.apply(nb.zeros([B, T, D]));
  assert.deepEqual(g2.weights[2]!.shape, [3 * U]);
  const bi = bidirectional({ layer: lstm({ units: U, name: 'enc' }) });
  bi.apply(nb.zeros([B, T, D]));
  assert.deepEqual(
    bi.weights.map((w) => w.name),
    ['forward_enc/kernel', 'forward_enc/recurrent_kernel', 'forward_enc/bias', 'backward_enc/kernel', 'backward_enc/recurrent_kernel', 'backward_enc/bias'],
  );
  assert.equal(bi.trainableWeights.length, 6);
  assert.equal(bi.backwardLayer.goBackwards, true);
  bi.trainable = false;
  assert.equal(bi.trainableWeights.length, 0);
  const td = timeDistributed({ layer: new Dense({ units: 4, name: 'td_dense' }) });
  td.apply(nb.zeros([B, T, D]));
  assert.deepEqual(
    td.weights.map((w) => w.name),
    ['td_dense/kernel', 'td_dense/bias'],
  );
});

// ----- values against hand-written scalar loops of the Keras equations ------------------------

type Mat = number[][];
const sig = (v: number): number => 1 / (1 + Math.exp(-v));
function toMat(t: nb.Tensor): Mat {
  return t.arraySync() as Mat;
}
/** (v · M)[col] over the columns [from, from + n) of M. */
function vecMat(v: number[], m: Mat, from: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => v.reduce((s, vi, i) => s + vi * m[i]![from + j]!, 0));
}
function randomizeWeights(layer: nb.keras.layers.Layer, seed: number): void {
  layer.setWeights(layer.weights.map((w, i) => rand(w.shape as number[], -0.8, 0.8, seed + i)));
}
/** Every output of a layer call (the layer may return one tensor or a list). */
function outs(layer: nb.keras.layers.Layer, x: nb.Tensor | nb.Tensor[], args: nb.keras.layers.CallArgs = {}): nb.Tensor[] {
  const y = layer.apply(x as nb.Tensor[], args);
  return Array.isArray(y) ? y : [y];
}
function seq(x: nb.Tensor): number[][][] {
  return x.arraySync() as number[][][];
}

/** Keras LSTM over a sequence for one example; returns the per-step h and the final [h, c]. */
function lstmReference(xs: number[][], W: Mat, Uk: Mat, b: number[], h0: number[], c0: number[]): { hs: number[][]; h: number[]; c: number[] } {
  const u = h0.length;
  let h = h0;
  let c = c0;
  const hs: number[][] = [];
  for (const x of xs) {
    const gate = (k: number): number[] => {
      const a = vecMat(x, W, k * u, u);
      const r = vecMat(h, Uk, k * u, u);
      return a.map((v, j) => v + r[j]! + b[k * u + j]!);
    };
    const [i, f, cc, o] = [gate(0).map(sig), gate(1).map(sig), gate(2).map(Math.tanh), gate(3).map(sig)];
    c = c.map((cj, j) => f[j]! * cj + i[j]! * cc[j]!);
    h = c.map((cj, j) => o[j]! * Math.tanh(cj));
    hs.push(h);
  }
  return { hs, h, c };
}

/** Keras GRU (resetAfter true: bias [2][3u]; false: bias [3u]) over one example's sequence. */
function gruReference(xs: number[][], W: Mat, Uk: Mat, bias: number[] | Mat, h0: number[], resetAfter: boolean): number[][] {
  const u = h0.length;
  const bIn = resetAfter ? (bias as Mat)[0]! : (bias as number[]);
  const bRec = resetAfter ? (bias as Mat)[1]! : new Array<number>(3 * u).fill(0);
  let h = h0;
  const hs: number[][] = [];
  for (const x of xs) {
    const xz = vecMat(x, W, 0, u).map((v, j) => v + bIn[j]!);
    const xr = vecMat(x, W, u, u).map((v, j) => v + bIn[u + j]!);
    const xh = vecMat(x, W, 2 * u, u).map((v, j) => v + bIn[2 * u + j]!);
    const z = vecMat(h, Uk, 0, u).map((v, j) => sig(xz[j]! + v + bRec[j]!));
    const r = vecMat(h, Uk, u, u).map((v, j) => sig(xr[j]! + v + bRec[u + j]!));
    let hh: number[];
    if (resetAfter) {
      const rh = vecMat(h, Uk, 2 * u, u).map((v, j) => v + bRec[2 * u + j]!);
      hh = xh.map((v, j) => Math.tanh(v + r[j]! * rh[j]!));
    } else {
      const rhPrev = h.map((v, j) => r[j]! * v);
      const rh = vecMat(rhPrev, Uk, 2 * u, u);
      hh = xh.map((v, j) => Math.tanh(v + rh[j]!));
    }
    h = h.map((hj, j) => z[j]! * hj + (1 - z[j]!) * hh[j]!);
    hs.push(h);
  }
  return hs;
}

test('LSTM matches a scalar loop of the Keras equations (i, f, c, o gate order; initial state)', () => {
  const layer = lstm({ units: U, returnSequences: true, returnState: true });
  const x = rand([B, T, D], -1, 1, 5);
  const h0 = rand([B, U], -0.5, 0.5, 6);
  const c0 = rand([B, U], -0.5, 0.5, 7);
  layer.apply(x);
  randomizeWeights(layer, 40);
  const [W, Uk] = [toMat(layer.kernel), toMat(layer.recurrentKernel)];
  const b = Array.from(layer.bias!.dataSync());
  const [out, h, c] = outs(layer, x, { initialState: [h0, c0] });
  const refs = seq(x).map((xs, i) => lstmReference(xs, W, Uk, b, toMat(h0)[i]!, toMat(c0)[i]!));
  assertClose(out!, refs.map((r) => r.hs), 1e-5);
  assertClose(h!, refs.map((r) => r.h), 1e-5);
  assertClose(c!, refs.map((r) => r.c), 1e-5);
  // One single step as well (time = 1), initial state given as extra inputs [x, h, c].
  const x1 = nb.slice(x, [0, 0, 0], [-1, 1, -1]);
  const last = lstm({ units: U });
  last.apply(x1);
  last.setWeights(layer.getWeights());
  const one = last.apply([x1, h0, c0]) as nb.Tensor;
  assertClose(one, refs.map((r, i) => lstmReference([seq(x1)[i]![0]!], W, Uk, b, toMat(h0)[i]!, toMat(c0)[i]!).h), 1e-5);
});

for (const resetAfter of [true, false]) {
  test(`GRU (resetAfter ${resetAfter}) matches a scalar loop of the Keras equations (z, r, h gate order)`, () => {
    const layer = gru({ units: U, resetAfter, returnSequences: true });
    const x = rand([B, T, D], -1, 1, 8);
    const h0 = rand([B, U], -0.5, 0.5, 9);
    layer.apply(x);
    randomizeWeights(layer, 60);
    const [W, Uk] = [toMat(layer.kernel), toMat(layer.recurrentKernel)];
    const bias = resetAfter ? toMat(layer.bias!) : Array.from(layer.bias!.dataSync());
    const out = layer.apply(x, { initialState: [h0] }) as nb.Tensor;
    const expected = seq(x).map((xs, i) => gruReference(xs, W, Uk, bias, toMat(h0)[i]!, resetAfter));
    assertClose(out, expected, 1e-5);
    // A single step from zero state.
    const x1 = nb.slice(x, [0, 0, 0], [-1, 1, -1]);
    const step = gru({ units: U, resetAfter });
    step.apply(x1);
    step.setWeights(layer.getWeights());
    const expected1 = seq(x1).map((xs) => gruReference(xs, W, Uk, bias, [0, 0, 0], resetAfter)[0]!);
    assertClose(step.apply(x1) as nb.Tensor, expected1, 1e-5);
  });
}

test('SimpleRNN matches h = tanh(x·W + h·U + b) step by step', () => {
  const layer = simpleRNN({ units: U, returnSequences: true });
  const x = rand([B, T, D], -1, 1, 12);
  layer.apply(x);
  randomizeWeights(layer, 70);
  const [W, Uk] = [toMat(layer.kernel), toMat(layer.recurrentKernel)];
  const b = Array.from(layer.bias!.dataSync());
  const expected = seq(x).map((xs) => {
    let h = [0, 0, 0];
    return xs.map((xt) => {
      const a = vecMat(xt, W, 0, U);
      const r = vecMat(h, Uk, 0, U);
      h = a.map((v, j) => Math.tanh(v + r[j]! + b[j]!));
      return h;
    });
  });
  assertClose(layer.apply(x) as nb.Tensor, expected, 1e-5);
});

test('goBackwards equals running forwards on the time-reversed sequence', () => {
  const x = rand([B, 4, D], -1, 1, 13);
  const xr = nb.reverse(x, 1);
  for (const make of [
    (goBackwards: boolean) => lstm({ units: U, returnSequences: true, returnState: true, goBackwards }),
    (goBackwards: boolean) => gru({ units: U, returnSequences: true, returnState: true, goBackwards }),
    (goBackwards: boolean) => simpleRNN({ units: U, returnSequences: true, returnState: true, goBackwards }),
  ]) {
    const back = make(true);
    const fwd = make(false);
    back.apply(x);
    fwd.apply(x);
    randomizeWeights(back, 80);
    fwd.setWeights(back.getWeights());
    const a = outs(back, x);
    const b = outs(fwd, xr);
    a.forEach((t, i) => assertClose(t, b[i]!, 1e-6));
  }
});

test('Bidirectional concat equals [forward(x), backward(x) reversed back in time]', () => {
  const x = rand([B, T, D], -1, 1, 14);
  const bi = bidirectional({ layer: lstm({ units: U, returnSequences: true }) });
  bi.apply(x);
  randomizeWeights(bi, 90);
  const fwd = lstm({ units: U, returnSequences: true });
  const bwd = lstm({ units: U, returnSequences: true, goBackwards: true });
  fwd.apply(x);
  bwd.apply(x);
  fwd.setWeights(bi.forwardLayer.getWeights());
  bwd.setWeights(bi.backwardLayer.getWeights());
  const expected = nb.concat([fwd.apply(x) as nb.Tensor, nb.reverse(bwd.apply(x) as nb.Tensor, 1)], -1);
  assertClose(bi.apply(x) as nb.Tensor, expected, 1e-6);

  // Last-output mode: the backward layer's final state (it has read the whole sequence backwards).
  const biLast = bidirectional({ layer: gru({ units: U }), mergeMode: 'ave' });
  biLast.apply(x);
  randomizeWeights(biLast, 95);
  const f2 = gru({ units: U });
  const b2 = gru({ units: U, goBackwards: true });
  f2.apply(x);
  b2.apply(x);
  f2.setWeights(biLast.forwardLayer.getWeights());
  b2.setWeights(biLast.backwardLayer.getWeights());
  const ave = nb.mul(nb.add(f2.apply(x) as nb.Tensor, b2.apply(x) as nb.Tensor), 0.5);
  assertClose(biLast.apply(x) as nb.Tensor, ave, 1e-6);
});

test('Bidirectional returnState and initialState: forward states first, then backward', () => {
  const x = rand([B, T, D], -1, 1, 15);
  const bi = bidirectional({ layer: lstm({ units: U, returnState: true }), mergeMode: null });
  const states = [0, 1, 2, 3].map((i) => rand([B, U], -0.5, 0.5, 20 + i));
  const out = outs(bi, x, { initialState: states });
  assert.equal(out.length, 6);
  const [y, yb, hf, cf, hb, cb] = out as [nb.Tensor, nb.Tensor, nb.Tensor, nb.Tensor, nb.Tensor, nb.Tensor];
  const f = lstm({ units: U, returnState: true });
  const b = lstm({ units: U, returnState: true, goBackwards: true });
  f.apply(x);
  b.apply(x);
  f.setWeights(bi.forwardLayer.getWeights());
  b.setWeights(bi.backwardLayer.getWeights());
  const fo = outs(f, x, { initialState: states.slice(0, 2) });
  const bo = outs(b, x, { initialState: states.slice(2) });
  for (const [actual, expected] of [
    [y, fo[0]],
    [hf, fo[1]],
    [cf, fo[2]],
    [yb, bo[0]],
    [hb, bo[1]],
    [cb, bo[2]],
  ] as const) {
    assertClose(actual, expected!, 1e-6);
  }
  assert.throws(() => bi.apply(x, { initialState: states.slice(0, 2) }), /initialState must hold 4 tensors/);
});

test('TimeDistributed(Dense) equals Dense applied to each timestep', () => {
  const x = rand([B, T, D], -1, 1, 16);
  const dense = new Dense({ units: 4, activation: 'relu' });
  const td = timeDistributed({ layer: dense });
  const y = td.apply(x) as nb.Tensor;
  assert.deepEqual(y.shape, [B, T, 4]);
  const perStep = nb.unstack(x, 1).map((xt) => dense.apply(xt));
  assertClose(y, nb.stack(perStep, 1), 1e-6);
});

test('dropout and recurrentDropout act only in training, with one mask per sequence', () => {
  nb.setSeed(3);
  const x = rand([B, T, D], -1, 1, 17);
  const layer = lstm({ units: U, dropout: 0.5, recurrentDropout: 0.5, returnSequences: true });
  const plain = lstm({ units: U, returnSequences: true });
  plain.apply(x);
  layer.apply(x);
  plain.setWeights(layer.getWeights());
  const inference = layer.apply(x, { training: false }) as nb.Tensor;
  assertClose(inference, (plain.apply(x) as nb.Tensor), 0);
  const trained = layer.apply(x, { training: true }) as nb.Tensor;
  assert.notDeepEqual(trained.dataSync(), inference.dataSync());
  // Gradients flow through the masks.
  const tape = new nb.GradientTape();
  const loss = tape.record(() => nb.sum(layer.apply(x, { training: true }) as nb.Tensor));
  const grads = tape.gradient(loss, layer.trainableWeights);
  assert.ok(grads.every((g) => g !== null && Number.isFinite(nb.sum(nb.abs(g)).item() as number)));
});

test('regularizers add losses; constraints are registered for the optimizer', () => {
  const layer = gru({
    units: U,
    kernelRegularizer: 'l2',
    recurrentRegularizer: nb.keras.regularizers.l1({ l1: 0.1 }),
    biasConstraint: 'nonNeg',
    recurrentConstraint: nb.keras.constraints.maxNorm({ maxValue: 2 }),
  });
  layer.apply(nb.ones([B, T, D]));
  assert.equal(layer.losses.length, 2);
  assert.equal(layer.constraints.size, 2);
  assert.ok(layer.constraints.has(layer.bias!));
  assert.ok(layer.constraints.has(layer.recurrentKernel));
});

test('functional use: symbolic shapes with unknown batch and time', () => {
  const inp = nb.keras.input({ shape: [null, D] });
  const bi = bidirectional({ layer: gru({ units: U, returnSequences: true }) });
  const h = bi.apply(inp);
  assert.deepEqual(h.shape, [null, null, 2 * U]);
  const td = timeDistributed({ layer: new Dense({ units: 1 }) });
  assert.deepEqual(td.apply(h).shape, [null, null, 1]);
  // A symbolic initial state becomes extra inputs of the node, so functional models can feed it.
  const [h0, c0] = [nb.keras.input({ shape: [U] }), nb.keras.input({ shape: [U] })];
  const withState = lstm({ units: U }).apply(inp, { initialState: [h0, c0] }) as nb.keras.SymbolicTensor;
  assert.deepEqual(withState.shape, [null, U]);
  assert.deepEqual(withState.node.inputs, [inp, h0, c0]);
  const biState = bidirectional({ layer: gru({ units: U }) }).apply(inp, { initialState: [h0, c0] }) as nb.keras.SymbolicTensor;
  assert.deepEqual(biState.shape, [null, 2 * U]);
  const last = lstm({ units: U, returnState: true }).apply([inp]) as nb.keras.SymbolicTensor[];
  assert.deepEqual(
    last.map((s) => s.shape),
    [
      [null, U],
      [null, U],
      [null, U],
    ],
  );
});

// ----- errors ----------------------------------------------------------------------------------

test('stateful: true is rejected with a clear error', () => {
  for (const make of [
    () => lstm({ units: U, stateful: true }),
    () => gru({ units: U, stateful: true }),
    () => simpleRNN({ units: U, stateful: true }),
  ]) {
    assert.throws(make, (e: Error) => e instanceof nb.InvalidArgumentError && /stateful=true is not supported/.test(e.message));
  }
});

test('bad arguments and inputs raise errors naming the layer', () => {
  assert.throws(() => lstm({ units: 0 }), /LSTM: units must be a positive integer, got 0/);
  assert.throws(() => gru({ units: U, dropout: 1.5 }), /GRU: dropout must be a number in \[0, 1\), got 1.5/);
  assert.throws(() => lstm({ units: U, name: 'my_lstm' }).apply(nb.zeros([B, D])), (e: Error) => e instanceof nb.ShapeError && /'my_lstm'/.test(e.message) && /ndim=3/.test(e.message));
  assert.throws(() => gru({ units: U, name: 'my_gru' }).apply(nb.zeros([B, T, D, 1])), /'my_gru'.*expected ndim=3, found ndim=4/);
  const built = simpleRNN({ units: U, name: 'my_rnn' });
  built.apply(nb.zeros([B, T, D]));
  assert.throws(() => built.apply(nb.zeros([B, T, D + 1])), /'my_rnn'.*axis -1/);
  assert.throws(() => lstm({ units: U, name: 'init_lstm' }).apply(nb.zeros([B, T, D]), { initialState: [nb.zeros([B, U])] }), /init_lstm: initialState must be a list of 2 tensors/);
  assert.throws(() => gru({ units: U, name: 'init_gru' }).apply(nb.zeros([B, T, D]), { initialState: [nb.zeros([B, U + 1])] }), /init_gru: initialState\[0\] must have shape \[2,3\]/);
  assert.throws(() => bidirectional({ layer: new Dense({ units: 2 }) as unknown as BaseRNN }), /Bidirectional: layer must be a recurrent layer/);
  assert.throws(() => bidirectional({ layer: lstm({ units: U }), mergeMode: 'max' as 'sum' }), /mergeMode must be one of/);
  assert.throws(
    () => bidirectional({ layer: lstm({ units: U }), backwardLayer: lstm({ units: U }) }),
    /backwardLayer .* must process the sequence in the opposite direction/,
  );
  assert.throws(() => timeDistributed({ layer: new Dense({ units: 2 }), name: 'td_bad' }).apply(nb.zeros([B, D])), /'td_bad'.*min_ndim=3/);
});

test('config round-trip through deserializeLayer keeps the nested layers', () => {
  const bi = bidirectional({ layer: gru({ units: U, resetAfter: false, returnSequences: true }), mergeMode: 'sum', name: 'bi_cfg' });
  const ser = JSON.parse(JSON.stringify(nb.keras.serializeLayer(bi))) as nb.keras.SerializedLayer;
  assert.equal((ser.config.layer as { className: string }).className, 'GRU');
  const copy = nb.keras.deserializeLayer(ser) as Bidirectional;
  assert.ok(copy instanceof Bidirectional);
  assert.equal(copy.mergeMode, 'sum');
  assert.ok(copy.forwardLayer instanceof GRU && !copy.forwardLayer.resetAfter);
  const td = timeDistributed({ layer: lstm({ units: 2, returnSequences: true }) });
  const tdCopy = nb.keras.deserializeLayer(JSON.parse(JSON.stringify(nb.keras.serializeLayer(td))) as nb.keras.SerializedLayer) as TimeDistributed;
  assert.ok(tdCopy.layer instanceof LSTM && tdCopy.layer.returnSequences);
});
