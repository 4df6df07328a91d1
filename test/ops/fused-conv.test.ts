import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { fusedConv2d } from '../../src/ops/fused-conv.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

// conv2d + bias + relu/linear as one op (what Conv2D layers run) against the three ops in sequence.
const composite = (x: nb.Tensor, f: nb.Tensor, b: nb.Tensor | null, act: 'relu' | 'linear', strides: number, pad: 'same' | 'valid', dil = 1) => {
  let y = nb.conv2d(x, f, strides, pad, 'NHWC', dil);
  if (b) y = nb.add(y, b);
  return act === 'relu' ? nb.relu(y) : y;
};

test('fusedConv2d equals conv2d + bias + activation, forward and gradients (strides, padding, dilation, no bias)', () => {
  const cases = [
    { strides: 1, pad: 'same' as const, dil: 1, bias: true, act: 'relu' as const },
    { strides: 2, pad: 'valid' as const, dil: 1, bias: true, act: 'linear' as const },
    { strides: 1, pad: 'same' as const, dil: 2, bias: false, act: 'relu' as const },
    { strides: 1, pad: 'valid' as const, dil: 1, bias: false, act: 'linear' as const },
  ];
  for (const [k, c] of cases.entries()) {
    const x = rand([2, 7, 6, 3], -1, 1, 10 + k);
    const f = rand([3, 3, 3, 5], -0.5, 0.5, 20 + k);
    const b = c.bias ? rand([5], -0.3, 0.3, 30 + k) : null;
    const sources = b ? [x, f, b] : [x, f];
    const run = (fn: () => nb.Tensor) => {
      const tape = new nb.GradientTape();
      tape.watch(sources);
      const w = rand([1], 1, 1, 1);
      let y!: nb.Tensor;
      const loss = tape.record(() => {
        y = fn();
        return nb.sum(nb.mul(nb.square(y), w));
      });
      return { y, grads: tape.gradient(loss, sources) };
    };
    const a = run(() => fusedConv2d(x, f, b, c.act, c.strides, c.pad, c.dil));
    const e = run(() => composite(x, f, b, c.act, c.strides, c.pad, c.dil));
    assert.deepEqual(a.y.shape, e.y.shape);
    assertClose(a.y, e.y, 1e-5, `case ${k}: output`);
    a.grads.forEach((g, i) => assertClose(g!, e.grads[i]!, 1e-4, `case ${k}: gradient ${i}`));
  }
});

test('fusedConv2d gradients match central differences', () => {
  const x = rand([1, 5, 5, 2], -1, 1, 3);
  const f = rand([3, 3, 2, 3], -0.6, 0.6, 4);
  const b = rand([3], -0.2, 0.2, 5);
  gradCheck((xx, ff, bb) => fusedConv2d(xx!, ff!, bb!, 'relu', 1, 'same'), [x, f, b]);
  gradCheck((xx, ff) => fusedConv2d(xx!, ff!, null, 'linear', 2, 'valid'), [x, f]);
});

test('fusedConv2d rejects a bias of the wrong length naming the op', () => {
  assert.throws(() => fusedConv2d(nb.zeros([1, 4, 4, 2]), nb.zeros([3, 3, 2, 3]), nb.zeros([4]), 'relu', 1, 'same'), /conv2d: bias must be float32 \[3\]/);
});

test('Conv2D layers with relu and linear run fused and give the composite values', () => {
  for (const activation of ['relu', 'linear', 'tanh']) {
    const layer = nb.keras.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation });
    const x = rand([2, 6, 6, 3], -1, 1, 9);
    const y = layer.apply(x) as nb.Tensor;
    const [kernel, bias] = layer.getWeights();
    const pre = nb.add(nb.conv2d(x, kernel!, 1, 'same'), bias!);
    const want = activation === 'relu' ? nb.relu(pre) : activation === 'tanh' ? nb.tanh(pre) : pre;
    assertClose(y, want, 1e-5, activation);
  }
});
