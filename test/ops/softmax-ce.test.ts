import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

// The fused sparse softmax cross-entropy against its definition −Σ onehot·logSoftmax.
const labels = nb.tensor([2, 0, 4, 1, 3, 3], [2, 3], 'int32');
const definition = (logits: nb.Tensor) => nb.neg(nb.sum(nb.mul(nb.oneHot(labels, 5), nb.logSoftmax(logits)), -1));
const fused = (logits: nb.Tensor) => nb.sparseSoftmaxCrossEntropyWithLogits({ labels, logits });

test('sparseSoftmaxCrossEntropyWithLogits equals its definition, forward and gradient (rank-3 logits)', () => {
  const logits = rand([2, 3, 5], -4, 4, 1);
  assertClose(fused(logits), definition(logits), 1e-5, 'loss');
  const grad = (f: (x: nb.Tensor) => nb.Tensor) => {
    const tape = new nb.GradientTape();
    tape.watch([logits]);
    const y = tape.record(() => nb.sum(nb.mul(f(logits), rand([2, 3], 0, 2, 2))));
    return tape.gradient(y, [logits])[0]!;
  };
  assertClose(grad(fused), grad(definition), 1e-5, 'gradient');
});

test('sparseSoftmaxCrossEntropyWithLogits: gradient and second-order gradient match central differences', () => {
  const logits = rand([2, 3, 5], -2, 2, 3);
  gradCheck((x) => fused(x!), [logits]);
  // d/dx of Σ (dL/dx)²: the gradient's own gradient, through the fused op's rule.
  gradCheck((x) => {
    const tape = new nb.GradientTape();
    tape.watch([x!]);
    const y = tape.record(() => nb.sum(fused(x!)));
    return nb.sum(nb.square(tape.gradient(y, [x!])[0]!));
  }, [logits], { eps: 1e-2, rtol: 3e-2, atol: 3e-3 });
});

test('sparseSoftmaxCrossEntropyWithLogits is stable for huge logits and rejects labels out of range', () => {
  const logits = nb.tensor([[1000, 0, -1000], [-1000, 1000, 0]]);
  const loss = nb.sparseSoftmaxCrossEntropyWithLogits({ labels: nb.tensor([0, 2], [2], 'int32'), logits });
  const v = loss.dataSync();
  assert.ok(Math.abs(v[0]!) < 1e-6 && Math.abs(v[1]! - 1000) < 1e-3, `loss ${Array.from(v)}`);
  assert.throws(() => nb.sparseSoftmaxCrossEntropyWithLogits({ labels: nb.tensor([0, 3], [2], 'int32'), logits }), /label 3 at flat index 1 is outside the valid range \[0, 3\)/);
});
