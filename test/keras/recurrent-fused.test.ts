import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';
import { lstmSequence } from '../../src/keras/layers/recurrent/lstm-sequence.js';

// The LSTM layer runs its default cell (sigmoid gates, tanh) as one fused op for the whole
// sequence (lstm-sequence.ts), or, with recurrent dropout, one fused op per timestep
// (lstm-cell.ts), each with a hand-written gradient. A custom activation function that computes the
// same tanh forces the composite form built from ops, so the forms can be compared. GRU's fused
// sequence op (gru-sequence.ts) is compared the same way at the end.
const B = 3;
const T = 5;
const D = 4;
const U = 6;

function twins(args: Partial<nb.keras.layers.LSTMArgs> = {}) {
  const fused = nb.keras.layers.lstm({ units: U, ...args });
  const composite = nb.keras.layers.lstm({ units: U, ...args, activation: (x: nb.Tensor) => nb.tanh(x) });
  fused.apply(nb.zeros([B, T, D]));
  composite.apply(nb.zeros([B, T, D]));
  const weights = fused.getWeights().map((w, i) => rand(w.shape as number[], -0.8, 0.8, 40 + i));
  fused.setWeights(weights);
  composite.setWeights(weights);
  return { fused, composite };
}

const outs = (layer: nb.keras.layers.Layer, x: nb.Tensor, args: nb.keras.layers.CallArgs = {}): nb.Tensor[] => {
  const y = layer.apply(x, args) as nb.Tensor | nb.Tensor[];
  return Array.isArray(y) ? y : [y];
};

test('fused LSTM cell: outputs and states equal the composite form (sequences, states, initial state, goBackwards)', () => {
  const x = rand([B, T, D], -2, 2, 1);
  const h0 = rand([B, U], -1, 1, 2);
  const c0 = rand([B, U], -1, 1, 3);
  for (const args of [{ returnSequences: true, returnState: true }, { goBackwards: true, returnState: true }]) {
    const { fused, composite } = twins(args);
    const a = outs(fused, x, { initialState: [h0, c0] });
    const b = outs(composite, x, { initialState: [h0, c0] });
    assert.equal(a.length, 3);
    a.forEach((t, i) => assertClose(t, b[i]!, 1e-5, `output ${i}`));
  }
});

test('fused LSTM cell: gradients (input, kernels, bias, initial state) equal the composite form', () => {
  const { fused, composite } = twins({ returnSequences: true, returnState: true });
  const x = rand([B, T, D], -2, 2, 5);
  const h0 = rand([B, U], -1, 1, 6);
  const c0 = rand([B, U], -1, 1, 7);
  const proj = [rand([B, T, U], -1, 1, 8), rand([B, U], -1, 1, 9), rand([B, U], -1, 1, 10)];
  const grads = (layer: nb.keras.layers.Layer) => {
    const tape = new nb.GradientTape();
    const sources = [x, h0, c0, ...layer.trainableWeights];
    tape.watch(sources);
    const y = tape.record(() =>
      outs(layer, x, { initialState: [h0, c0] })
        .map((o, i) => nb.sum(nb.mul(o, proj[i]!)))
        .reduce((s, t) => nb.add(s, t)),
    );
    return tape.gradient(y, sources, { unconnectedGradients: 'zero' });
  };
  const gf = grads(fused);
  const gc = grads(composite);
  assert.equal(gf.length, 6);
  gf.forEach((g, i) => assertClose(g!, gc[i]!, 1e-4, `gradient ${i}`));
});

test('nested tapes (second-order gradients) use the composite form and still work', () => {
  const { fused } = twins();
  const x = rand([B, T, D], -1, 1, 11);
  const outer = new nb.GradientTape();
  outer.watch([x]);
  const gradNorm = outer.record(() => {
    const inner = new nb.GradientTape();
    inner.watch([x]);
    const y = inner.record(() => nb.sum(nb.square(fused.apply(x) as nb.Tensor)));
    const [gx] = inner.gradient(y, [x]);
    return nb.sum(nb.square(gx!));
  });
  const [ggx] = outer.gradient(gradNorm, [x]);
  assert.deepEqual(ggx!.shape, [B, T, D]);
  assert.ok(Number.isFinite(nb.sum(nb.abs(ggx!)).item() as number) && (nb.sum(nb.abs(ggx!)).item() as number) > 0);
});

test('lstmSequence op: gradients of hs and cT with respect to xz, the recurrent kernel, h0 and c0 match central differences', () => {
  const [b, t, h] = [2, 3, 3];
  const inputs = [rand([b, t, 4 * h], -1.5, 1.5, 20), rand([h, 4 * h], -0.7, 0.7, 21), rand([b, h], -1, 1, 22), rand([b, h], -1, 1, 23)];
  gradCheck((xz, u, h0, c0) => lstmSequence(xz!, u!, h0!, c0!)[0], inputs, { eps: 1e-2, rtol: 2e-2, atol: 2e-3 });
  gradCheck((xz, u, h0, c0) => lstmSequence(xz!, u!, h0!, c0!)[1], inputs, { eps: 1e-2, rtol: 2e-2, atol: 2e-3 });
});

test('recurrent dropout falls back to the per-step fused cell and matches the composite form', () => {
  const { fused, composite } = twins({ recurrentDropout: 0.3, returnSequences: true });
  const x = rand([B, T, D], -2, 2, 30);
  nb.setSeed(5);
  const a = outs(fused, x, { training: true });
  nb.setSeed(5);
  const b = outs(composite, x, { training: true });
  assertClose(a[0]!, b[0]!, 1e-5, 'output');
});

test('lstmSequence op: inconsistent shapes give a clear error naming the op', () => {
  assert.throws(() => lstmSequence(nb.zeros([2, 3, 8]), nb.zeros([2, 7]), nb.zeros([2, 2]), nb.zeros([2, 2])), /lstmSequence: expected u \(the recurrent kernel\) float32 \[2,8\], got float32 \[2,7\]/);
  assert.throws(() => lstmSequence(nb.zeros([2, 3, 6]), nb.zeros([2, 8]), nb.zeros([2, 2]), nb.zeros([2, 2])), /xz \[batch, time, 4·units\]/);
});

test('GRU: the fused sequence op equals the op-by-op form (outputs, states, gradients, goBackwards)', () => {
  for (const args of [{ returnSequences: true, returnState: true }, { goBackwards: true, returnState: true }]) {
    const fused = nb.keras.layers.gru({ units: U, ...args });
    const composite = nb.keras.layers.gru({ units: U, ...args, activation: (x: nb.Tensor) => nb.tanh(x) });
    fused.apply(nb.zeros([B, T, D]));
    composite.apply(nb.zeros([B, T, D]));
    const weights = fused.getWeights().map((w, i) => rand(w.shape as number[], -0.8, 0.8, 60 + i));
    fused.setWeights(weights);
    composite.setWeights(weights);
    const x = rand([B, T, D], -2, 2, 61);
    const h0 = rand([B, U], -1, 1, 62);
    const grads = (layer: nb.keras.layers.Layer) => {
      const tape = new nb.GradientTape();
      const sources = [x, h0, ...layer.trainableWeights];
      tape.watch(sources);
      let y!: nb.Tensor[];
      const loss = tape.record(() => {
        y = outs(layer, x, { initialState: [h0] });
        return y.map((o, i) => nb.sum(nb.mul(o, rand(o.shape as number[], -1, 1, 70 + i)))).reduce((s, t) => nb.add(s, t));
      });
      return { y, g: tape.gradient(loss, sources, { unconnectedGradients: 'zero' }) };
    };
    const a = grads(fused);
    const e = grads(composite);
    a.y.forEach((t, i) => assertClose(t, e.y[i]!, 1e-5, `output ${i}`));
    a.g.forEach((g, i) => assertClose(g!, e.g[i]!, 1e-4, `gradient ${i}`));
  }
});

test('gruSequence op: gradients match central differences', async () => {
  const { gruSequence } = await import('../../src/keras/layers/recurrent/gru-sequence.js');
  const [b, t, h] = [2, 3, 3];
  const inputs = [rand([b, t, 3 * h], -1.5, 1.5, 80), rand([h, 3 * h], -0.7, 0.7, 81), rand([3 * h], -0.3, 0.3, 82), rand([b, h], -1, 1, 83)];
  gradCheck((xz, u, rb, h0) => gruSequence(xz!, u!, rb!, h0!), inputs, { eps: 1e-2, rtol: 2e-2, atol: 2e-3 });
});
