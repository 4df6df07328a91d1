import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { fusedDense } from '../../src/ops/fused-dense.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

// matMul + bias + relu/linear as one op (what Dense layers run on rank-2 input) against the three ops.
test('fusedDense equals matMul + bias + activation, forward and gradients', () => {
  for (const [k, activation, withBias] of [[0, 'relu', true], [1, 'linear', true], [2, 'relu', false], [3, 'linear', false]] as const) {
    const x = rand([5, 7], -1, 1, 10 + k);
    const w = rand([7, 4], -0.8, 0.8, 20 + k);
    const b = withBias ? rand([4], -0.5, 0.5, 30 + k) : null;
    const sources = b ? [x, w, b] : [x, w];
    const composite = () => {
      let y = nb.matMul(x, w);
      if (b) y = nb.add(y, b);
      return activation === 'relu' ? nb.relu(y) : y;
    };
    const run = (f: () => nb.Tensor) => {
      const tape = new nb.GradientTape();
      tape.watch(sources);
      let y!: nb.Tensor;
      const loss = tape.record(() => {
        y = f();
        return nb.sum(nb.square(y));
      });
      return { y, grads: tape.gradient(loss, sources) };
    };
    const a = run(() => fusedDense(x, w, b, activation));
    const e = run(composite);
    assertClose(a.y, e.y, 1e-5, `case ${k}: output`);
    a.grads.forEach((g, i) => assertClose(g!, e.grads[i]!, 1e-4, `case ${k}: gradient ${i}`));
  }
});

test('fusedDense gradients match central differences; a wrong bias is named', () => {
  gradCheck((x, w, b) => fusedDense(x!, w!, b!, 'relu'), [rand([3, 4], -1, 1, 1), rand([4, 5], -1, 1, 2), rand([5], -0.3, 0.3, 3)]);
  assert.throws(() => fusedDense(nb.zeros([2, 3]), nb.zeros([3, 4]), nb.zeros([5]), 'relu'), /Dense: bias must be float32 \[4\]/);
});

test('Dense layers give the composite values on rank-2 and rank-3 input', () => {
  for (const activation of ['relu', 'linear', 'sigmoid']) {
    const layer = nb.keras.layers.dense({ units: 3, activation, biasInitializer: 'ones' });
    for (const shape of [[4, 5], [2, 3, 5]]) {
      const x = rand(shape, -1, 1, 9);
      const y = layer.apply(x) as nb.Tensor;
      const [kernel, bias] = layer.getWeights();
      const pre = nb.add(nb.matMul(nb.reshape(x, [-1, 5]), kernel!), bias!);
      const act = activation === 'relu' ? nb.relu(pre) : activation === 'sigmoid' ? nb.sigmoid(pre) : pre;
      assertClose(y, nb.reshape(act, [...shape.slice(0, -1), 3]), 1e-5, `${activation} ${shape}`);
    }
  }
});
