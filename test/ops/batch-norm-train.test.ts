import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { fusedBatchNorm } from '../../src/ops/batch-norm-train.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

// The fused training batch norm against moments + batchNormalization, the op-by-op form.
const composite = (x: nb.Tensor, gamma: nb.Tensor | null, beta: nb.Tensor | null, eps: number) => {
  const axes = [...Array(x.rank - 1).keys()];
  const { mean, variance } = nb.moments(x, axes);
  return { y: nb.batchNormalization(x, mean, variance, beta, gamma, eps), mean, variance };
};

test('fusedBatchNorm equals moments + batchNormalization: outputs, statistics and gradients', () => {
  for (const affine of [true, false]) {
    const x = rand([4, 3, 3, 5], -2, 3, 1);
    const gamma = affine ? rand([5], 0.5, 1.5, 2) : null;
    const beta = affine ? rand([5], -1, 1, 3) : null;
    const a = fusedBatchNorm(x, gamma, beta, 1e-3);
    const e = composite(x, gamma, beta, 1e-3);
    assertClose(a.y, e.y, 1e-4, 'y');
    assertClose(a.mean, e.mean, 1e-5, 'mean');
    assertClose(a.variance, e.variance, 1e-4, 'variance');
    const sources = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
    const w = rand([4, 3, 3, 5], -1, 1, 4);
    const grads = (f: typeof composite) => {
      const tape = new nb.GradientTape();
      tape.watch(sources);
      const y = tape.record(() => {
        const r = f(x, gamma, beta, 1e-3);
        return nb.add(nb.sum(nb.mul(r.y, w)), nb.add(nb.sum(nb.square(r.mean)), nb.sum(r.variance)));
      });
      return tape.gradient(y, sources);
    };
    const ga = grads(fusedBatchNorm);
    const ge = grads(composite);
    ga.forEach((g, i) => assertClose(g!, ge[i]!, 1e-3, `affine ${affine}: gradient ${i}`));
  }
});

test('fusedBatchNorm gradients match central differences', () => {
  const x = rand([6, 4], -1, 2, 5);
  const gamma = rand([4], 0.5, 1.5, 6);
  const beta = rand([4], -1, 1, 7);
  gradCheck((xx, gg, bb) => fusedBatchNorm(xx!, gg!, bb!, 1e-2).y, [x, gamma, beta], { eps: 1e-2, rtol: 3e-2, atol: 3e-3 });
});

test('fusedBatchNorm rejects a gamma of the wrong length naming the op', () => {
  assert.throws(() => fusedBatchNorm(nb.zeros([2, 3]), nb.ones([4]), null, 1e-3), /fusedBatchNorm: gamma must be float32 \[3\]/);
});
