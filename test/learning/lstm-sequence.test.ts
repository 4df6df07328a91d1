import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { LSTM } from '../../src/keras/layers/recurrent/index.js';
import { Dense } from '../../src/keras/layers/core/dense.js';

// Synthetic task: is the sum of a length-9 sequence of random ±1 values positive? (Odd length, so
// never a tie.) Half of the sequences sum to ±1, so the model has to count, not just notice a
// majority: an LSTM can do it by accumulating in its cell state.
const STEPS = 9;

function makeData(n: number, seed: number): { x: nb.Tensor; y: nb.Tensor } {
  let s = seed >>> 0;
  const xs = new Float32Array(n * STEPS);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < STEPS; t++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const v = s >>> 31 ? 1 : -1;
      xs[i * STEPS + t] = v;
      sum += v;
    }
    ys[i] = sum > 0 ? 1 : 0;
  }
  return { x: nb.tensor(xs, [n, STEPS, 1]), y: nb.tensor(ys, [n, 1]) };
}

test('an LSTM + Dense head learns the sign of a ±1 sequence sum to >= 95% held-out accuracy (manual Adam loop)', () => {
  nb.setSeed(7);
  const train = makeData(1024, 1);
  const held = makeData(512, 2);
  const rnn = new LSTM({ units: 8 });
  const head = new Dense({ units: 1 });
  const logits = (x: nb.Tensor, training: boolean): nb.Tensor => head.apply(rnn.apply(x, { training }) as nb.Tensor, { training }) as nb.Tensor;
  logits(nb.slice(train.x, [0, 0, 0], [1, -1, -1]), false); // builds both layers
  const params = [...rnn.trainableWeights, ...head.trainableWeights];
  assert.equal(params.length, 5);

  // Adam, written inline (lr 0.02, β1 0.9, β2 0.999).
  const lr = 0.02;
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-7];
  const m = params.map((p) => nb.zerosLike(p));
  const v = params.map((p) => nb.zerosLike(p));
  let t = 0;
  const batch = 64;
  const n = train.x.shape[0]!;
  const epochs = 12;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < n; start += batch) {
      const xb = nb.slice(train.x, [start, 0, 0], [batch, -1, -1]);
      const yb = nb.slice(train.y, [start, 0], [batch, -1]);
      const tape = new nb.GradientTape();
      const loss = tape.record(() => nb.mean(nb.sigmoidCrossEntropyWithLogits({ labels: yb, logits: logits(xb, true) })));
      const grads = tape.gradient(loss, params);
      t += 1;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      params.forEach((p, i) => {
        const g = grads[i]!;
        m[i] = nb.add(nb.mul(m[i]!, beta1), nb.mul(g, 1 - beta1));
        v[i] = nb.add(nb.mul(v[i]!, beta2), nb.mul(nb.square(g), 1 - beta2));
        const step = nb.div(nb.mul(m[i]!, lr / c1), nb.add(nb.sqrt(nb.div(v[i]!, c2)), eps));
        p.assign(nb.sub(p, step));
      });
    }
  }
  const predicted = nb.cast(nb.greater(logits(held.x, false), 0), 'float32');
  const accuracy = nb.mean(nb.cast(nb.equal(predicted, held.y), 'float32')).item() as number;
  console.log(`# lstm-sequence: held-out accuracy ${(accuracy * 100).toFixed(1)}% after ${epochs} epochs`);
  assert.ok(accuracy >= 0.95, `held-out accuracy ${accuracy}`);
});
