import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose } from '../util/gradcheck.js';

test('gradient of a watched tensor, and of the sum for non-scalar targets', () => {
  const x = nb.tensor([1, 2, 3]);
  const tape = new nb.GradientTape();
  tape.watch(x);
  const y = tape.record(() => nb.mul(x, x));
  assertClose(tape.gradient(y, x)!, [2, 4, 6]);
});

test('trainable variables are watched automatically; non-trainable ones are not', () => {
  const w = new nb.Variable(nb.tensor([3]), { name: 'w' });
  const frozen = new nb.Variable(nb.tensor([5]), { name: 'frozen', trainable: false });
  const tape = new nb.GradientTape();
  const y = tape.record(() => nb.mul(w, frozen));
  const [gw, gf] = tape.gradient(y, [w, frozen]);
  assertClose(gw!, [5]);
  assert.equal(gf, null);
});

test('gradients come back in the structure of the sources', () => {
  const a = nb.scalar(2);
  const b = nb.scalar(3);
  const tape = new nb.GradientTape();
  tape.watch(a, b);
  const y = tape.record(() => nb.mul(a, b));
  const g = tape.gradient(y, { a, b });
  assert.equal(g.a!.item(), 3);
  assert.equal(g.b!.item(), 2);
});

test('a non-persistent tape can be used once; a persistent one many times', () => {
  const x = nb.scalar(3);
  const once = new nb.GradientTape();
  once.watch(x);
  const y = once.record(() => nb.mul(x, x));
  once.gradient(y, x);
  assert.throws(() => once.gradient(y, x), nb.FailedPreconditionError);

  const tape = new nb.GradientTape({ persistent: true });
  tape.watch(x);
  const [y2, y3] = tape.record(() => {
    const sq = nb.mul(x, x);
    return [sq, nb.mul(sq, x)];
  });
  assert.equal(tape.gradient(y2!, x)!.item(), 6);
  assert.equal(tape.gradient(y3!, x)!.item(), 27);
});

test('unconnected sources get null, or zeros on request; integer sources get null', () => {
  const x = nb.scalar(1);
  const z = nb.scalar(2);
  const tape = new nb.GradientTape({ persistent: true });
  tape.watch(x, z);
  const y = tape.record(() => nb.mul(x, 2));
  assert.equal(tape.gradient(y, z), null);
  assert.equal(tape.gradient(y, z, { unconnectedGradients: 'zero' })!.item(), 0);
});

test('stopGradient blocks the flow', () => {
  const x = nb.scalar(3);
  const tape = new nb.GradientTape();
  tape.watch(x);
  const y = tape.record(() => nb.mul(nb.stopGradient(x), x));
  assert.equal(tape.gradient(y, x)!.item(), 3);
});

test('nested tapes give second derivatives: d²/dx² x³ = 6x', () => {
  const x = nb.scalar(2);
  const outer = new nb.GradientTape();
  outer.watch(x);
  const dy = outer.record(() => {
    const inner = new nb.GradientTape();
    inner.watch(x);
    const y = inner.record(() => nb.mul(nb.mul(x, x), x));
    return inner.gradient(y, x)!;
  });
  assert.equal(dy.item(), 12);
  assert.equal(outer.gradient(dy, x)!.item(), 12);
});

test('outputGradients weight the targets', () => {
  const x = nb.tensor([1, 2]);
  const tape = new nb.GradientTape();
  tape.watch(x);
  const y = tape.record(() => nb.mul(x, 3));
  assertClose(tape.gradient(y, x, { outputGradients: nb.tensor([1, 10]) })!, [3, 30]);
});

test('grad, grads, valueAndGrad', () => {
  assertClose(nb.grad((x) => nb.mul(x, x))(nb.tensor([1, 2])), [2, 4]);
  const [ga, gb] = nb.grads((a, b) => nb.mul(a!, b!))([nb.scalar(2), nb.scalar(5)]);
  assert.equal(ga!.item(), 5);
  assert.equal(gb!.item(), 2);
  const { value, grad } = nb.valueAndGrad((x) => nb.sum(nb.mul(x, x)))(nb.tensor([3]));
  assert.equal(value.item(), 9);
  assert.equal(grad.item(), 6);
  assert.throws(() => nb.grad(() => nb.scalar(1))(nb.scalar(2)), /does not depend on its input/);
});

test('customGradient replaces the backward pass', () => {
  const clipped = nb.customGradient((x: nb.Tensor) => ({
    value: nb.mul(x, 2),
    gradFunc: (dy) => nb.clipByValue(nb.mul(dy, 100), -1, 1),
  }));
  const x = nb.tensor([1, -1]);
  const g = nb.grad((t) => clipped(t))(x);
  assertClose(g, [1, 1]);
  assertClose(clipped(x), [2, -2]);
});

test('ops outside record() are not recorded', () => {
  const x = nb.scalar(3);
  const tape = new nb.GradientTape();
  tape.watch(x);
  const y = nb.mul(x, x);
  assert.equal(tape.gradient(y, x), null);
});
