// Buffer reuse in nb.function's plan: released intermediates give their buffers to later outputs,
// never while a view still aliases them, never to a returned output, always zero-filled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { runOp1, type OpDef } from '../../src/ops/engine.js';
import { assertClose } from '../util/gradcheck.js';

test('a chain of same-size ops reuses released buffers and gives the eager result, call after call', () => {
  const fn = (x: nb.Tensor) => {
    let h = x;
    for (let i = 0; i < 6; i++) h = nb.tanh(nb.add(nb.mul(h, 1.5), 0.25));
    return nb.sum(h, 1);
  };
  // Unfused, so the chain stays 18 steps with intermediates to recycle (fusion.test.ts covers fused steps).
  const f = nb.function(fn, { fuseElementwise: false });
  const none = nb.function(fn, { reuseBuffers: false });
  const x = nb.randomNormal([8, 5]);
  const want = fn(x).arraySync() as number[];
  for (let call = 0; call < 3; call++) assertClose(f(x), want, 1e-6);
  const st = f.getConcreteFunction(x).memoryStats;
  assert.ok(st.reused >= 10, `reused ${st.reused} buffers`);
  assert.ok(st.allocated < 3 * 18, `allocated ${st.allocated}: fewer than one per op per call`);
  assertClose(none(x), want, 1e-6);
  assert.equal(none.getConcreteFunction(x).memoryStats.reused, 0);
});

test('a returned view (reshape) keeps its buffer: same-size ops after it do not overwrite it', () => {
  const fn = (x: nb.Tensor) => {
    const e = nb.exp(x); // released after the reshape reads it...
    const view = nb.reshape(e, [6]); // ...but this view, an output, shares its storage
    let h = nb.neg(x);
    for (let i = 0; i < 4; i++) h = nb.add(nb.mul(h, 2), 1); // same size: would take e's buffer
    return [view, h];
  };
  const x = nb.tensor([[0.1, -0.2, 0.3], [1, 2, -1]]);
  const want = fn(x).map((t) => t.arraySync() as number[]);
  const f = nb.function(fn, { fuseElementwise: false }); // separate steps: the chain would otherwise be one fused step
  for (let call = 0; call < 3; call++) {
    const [view, h] = f(x);
    assertClose(view!, want[0]!, 1e-6);
    assertClose(h!, want[1]!, 1e-6);
  }
  // Outputs of one call are not recycled by the next.
  const [first] = f(x);
  f(nb.zeros([2, 3]));
  assertClose(first!, want[0]!, 1e-6);
  assert.ok(f.getConcreteFunction(x).memoryStats.reused > 0);
});

test('reused buffers are zero-filled: a kernel that accumulates into its output stays right', () => {
  const accumulate: OpDef<Record<string, never>> = {
    name: 'test.accumulate',
    infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
    kernel([x], [out]) {
      for (let i = 0; i < out!.size; i++) out!.values[i]! += x!.values[i]!;
    },
    grad: 'nondifferentiable',
  };
  const fn = (x: nb.Tensor) => {
    const a = nb.add(nb.mul(x, 3), 7); // released, then reused for the accumulation's output
    return runOp1(accumulate, [nb.neg(a)], {});
  };
  const x = nb.tensor([1, 2, 3, 4]);
  const f = nb.function(fn);
  for (let call = 0; call < 3; call++) assertClose(f(x), [-10, -13, -16, -19]);
  assert.ok(f.getConcreteFunction(x).memoryStats.reused > 0);
});

test('values given to variable updates and tapes over the call keep their buffers', () => {
  const v = nb.variable(nb.zeros([4]), { name: 'reuse_v' });
  const f = nb.function((x: nb.Tensor) => {
    const a = nb.mul(x, 2);
    nb.v1.assign(v, a);
    let h = a;
    for (let i = 0; i < 3; i++) h = nb.add(nb.mul(h, 3), 1);
    return h;
  });
  const x = nb.tensor([1, 2, 3, 4]);
  for (let i = 0; i < 2; i++) f(x);
  assertClose(v, [2, 4, 6, 8]);
  // An outer tape needs the intermediates of the traced call for its backward pass.
  const g = nb.function((a: nb.Tensor) => nb.sum(nb.mul(nb.tanh(nb.mul(a, a)), nb.exp(a))));
  const a = nb.tensor([0.5, -0.3, 0.2]);
  g(a);
  const tape = new nb.GradientTape();
  tape.watch(a);
  const y = tape.record(() => g(a));
  const tape2 = new nb.GradientTape();
  tape2.watch(a);
  const y2 = tape2.record(() => nb.sum(nb.mul(nb.tanh(nb.mul(a, a)), nb.exp(a))));
  assertClose(y, y2.item(), 1e-6);
  assertClose(tape.gradient(y, a)!, tape2.gradient(y2, a)!.arraySync() as number[], 1e-5);
});

test('recycled outputs serve the next call; outputs kept, shared or foreign are never recycled', () => {
  const f = nb.function((x: nb.Tensor) => {
    const a = nb.mul(nb.exp(x), 2);
    const b = nb.add(nb.square(x), 1);
    return [a, b, b];
  });
  const x1 = nb.tensor([0, 1, 2, 3]);
  const x2 = nb.tensor([3, 2, 1, 0]);
  const concrete = f.getConcreteFunction(x1);
  const [a1, b1, b1again] = f(x1);
  const kept = Array.from(a1!.dataSync());
  // b is returned twice: handing one copy back must not free the buffer the other still shows.
  concrete.recycle([b1, nb.ones([4])]);
  const allocated = concrete.memoryStats.allocated;
  const [a2, b2] = f(x2);
  assert.deepEqual(Array.from(b1again!.dataSync()), [1, 2, 5, 10]);
  assert.deepEqual(Array.from(a1!.dataSync()), kept, 'a kept output never changes');
  assert.equal(concrete.memoryStats.allocated - allocated, 2, 'nothing was recycled: both outputs are fresh');
  assertClose(a2!, [2 * Math.exp(3), 2 * Math.exp(2), 2 * Math.exp(1), 2], 1e-5);
  // a2 alone in its output: recycled, the next call's first output takes its buffer.
  concrete.recycle([a2, b2]);
  const before = concrete.memoryStats.allocated;
  const [a3] = f(x1);
  assert.equal(concrete.memoryStats.allocated - before, 1, 'a2 was reused; b (shared) was not');
  assertClose(a3!, kept, 1e-6);
});
