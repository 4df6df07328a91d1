import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose } from '../util/gradcheck.js';

test('nb.function equals eager and retraces only on a new signature', () => {
  const w = nb.variable(nb.tensor([[0.5, -1], [2, 0.25], [1, 1]]), { name: 'fw' });
  let traces = 0;
  const f = (x: nb.Tensor, scale: number) => {
    traces++;
    return { y: nb.mul(nb.relu(nb.matMul(x, w)), scale), s: nb.sum(x) };
  };
  const tf = nb.function(f);
  const x = nb.tensor([[1, 2, 3], [-1, 0.5, 2]]);
  const out = tf(x, 2);
  const want = f(x, 2);
  assertClose(out.y, want.y.arraySync() as number[][]);
  assertClose(out.s, want.s.arraySync() as number);
  assert.equal(tf.tracingCount, 1);
  tf(nb.tensor([[0, 0, 1], [1, 1, 1]]), 2);
  assert.equal(tf.tracingCount, 1, 'same shapes, dtype and plain values: no retrace');
  tf(nb.tensor([[0, 0, 1]]), 2);
  assert.equal(tf.tracingCount, 2, 'new shape: retrace');
  tf(x, 3);
  assert.equal(tf.tracingCount, 3, 'new plain value: retrace');
  // Variables are read when the graph runs, not frozen at trace time.
  w.assign(nb.mul(w, 2));
  assertClose(tf(x, 2).y, nb.mul(want.y, 2).arraySync() as number[][]);
  assert.equal(tf.tracingCount, 3);
  assert.equal(traces, 3 + 1);
});

test('inputSignature with null dims: one trace for every batch size; mismatches are typed errors', () => {
  const tf = nb.function((x: nb.Tensor) => nb.mean(nb.square(x), 1), { inputSignature: [{ shape: [null, 2] }] });
  assertClose(tf(nb.tensor([[1, 2]])), [2.5]);
  assertClose(tf(nb.tensor([[1, 2], [3, 4], [0, 0]])), [2.5, 12.5, 0]);
  assert.equal(tf.tracingCount, 1);
  assert.throws(() => tf(nb.tensor([[1, 2, 3]])), nb.ShapeError);
  assert.throws(() => tf(nb.tensor([[1, 2]], undefined, 'int32')), nb.DTypeError);
});

test('a GradientTape inside nb.function gives the eager gradients; an outer tape sees the traced ops', () => {
  const w = nb.variable(nb.tensor([[0.1, -0.2], [0.3, 0.4]]), { name: 'gw' });
  const b = nb.variable(nb.tensor([0.05, -0.05]), { name: 'gb' });
  const step = (x: nb.Tensor, y: nb.Tensor) => {
    const tape = new nb.GradientTape();
    const loss = tape.record(() => nb.mean(nb.softmaxCrossEntropyWithLogits({ labels: y, logits: nb.add(nb.matMul(x, w), b) })));
    const [gw, gb] = tape.gradient(loss, [w, b]);
    return [loss, gw!, gb!];
  };
  const x = nb.tensor([[1, 2], [0.5, -1], [0, 1]]);
  const y = nb.tensor([[1, 0], [0, 1], [1, 0]]);
  const traced = nb.function(step)(x, y);
  const eager = step(x, y);
  for (let i = 0; i < 3; i++) assertClose(traced[i]!, eager[i]!.arraySync() as number[], 1e-6);
  const f = nb.function((a: nb.Tensor) => nb.sum(nb.mul(a, a)));
  const a = nb.tensor([1, 2, 3]);
  const tape = new nb.GradientTape();
  tape.watch(a);
  const s = tape.record(() => f(a));
  assertClose(tape.gradient(s, a)!, [2, 4, 6]);
});

test('passes: constant folding, CSE and dead-code elimination change the graph, not the result', () => {
  const c = nb.tensor([1, 2, 3]);
  const fn = (x: nb.Tensor) => {
    const k = nb.mul(nb.exp(c), 2); // constants only: folded
    const e1 = nb.tanh(x);
    const e2 = nb.tanh(x); // same op, input and attrs: merged
    nb.matMul(nb.reshape(x, [3, 1]), nb.reshape(x, [1, 3])); // unused: removed
    return nb.add(nb.mul(e1, e2), k);
  };
  const x = nb.tensor([0.5, -1, 2]);
  const opt = nb.function(fn);
  const none = nb.function(fn, { constantFolding: false, cse: false });
  const st = opt.getConcreteFunction(x).stats;
  assert.equal(st.folded, 2);
  assert.equal(st.merged, 1);
  assert.ok(st.removed >= 3, `removed ${st.removed}`);
  assert.equal(st.opsAfter, 3);
  const st0 = none.getConcreteFunction(x).stats;
  assert.equal(st0.folded + st0.merged, 0);
  assert.equal(st0.opsAfter, 6);
  const want = fn(x).arraySync() as number[];
  assertClose(opt(x), want);
  assertClose(none(x), want);
});

test('random ops are neither folded nor merged: each call draws new numbers', () => {
  const f = nb.function(() => [nb.randomUniform([4]), nb.randomUniform([4])]);
  const [a, b] = f();
  const [c] = f();
  assert.notDeepEqual([...a!.dataSync()], [...b!.dataSync()]);
  assert.notDeepEqual([...a!.dataSync()], [...c!.dataSync()]);
});

test('assigning a traced value to an eager variable inside nb.function is a clear error and leaves it intact', () => {
  const v = nb.variable(nb.tensor([1, 2]), { name: 'keep' });
  const f = nb.function((x: nb.Tensor) => v.assign(nb.add(v, x)));
  assert.throws(() => f(nb.tensor([1, 1])), (e: Error) => e instanceof nb.FailedPreconditionError && /Variable\.assign/.test(e.message));
  assert.deepEqual([...v.dataSync()], [1, 2]);
});

test('a Keras model called inside nb.function gives the eager output', () => {
  const model = nb.keras.sequential([nb.keras.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), nb.keras.layers.dense({ units: 3 })]);
  const x = nb.randomNormal([5, 4]);
  const eager = model.apply(x) as nb.Tensor;
  const f = nb.function((t: nb.Tensor) => model.apply(t) as nb.Tensor);
  assertClose(f(x), eager.arraySync() as number[][], 1e-6);
  assertClose(f(x), eager.arraySync() as number[][], 1e-6);
  assert.equal(f.tracingCount, 1);
});

test('a whole training step traced, variable updates included, matches the eager step', () => {
  const make = () => ({ w: nb.variable(nb.tensor([[0.1, -0.2], [0.3, 0.4]]), { name: 'tw' }), b: nb.variable(nb.tensor([0.05, -0.05]), { name: 'tb' }) });
  const x = nb.tensor([[1, 2], [0.5, -1], [0, 1]]);
  const y = nb.tensor([[1, 0], [0, 1], [1, 0]]);
  const stepOf = (m: ReturnType<typeof make>) => (xs: nb.Tensor, ys: nb.Tensor) => {
    const tape = new nb.GradientTape();
    const loss = tape.record(() => nb.mean(nb.softmaxCrossEntropyWithLogits({ labels: ys, logits: nb.add(nb.matMul(xs, m.w), m.b) })));
    const [gw, gb] = tape.gradient(loss, [m.w, m.b]);
    nb.v1.assignSub(m.w, nb.mul(gw!, 0.5));
    nb.v1.assignSub(m.b, nb.mul(gb!, 0.5));
    return loss;
  };
  const me = make();
  const mt = make();
  const eager = stepOf(me);
  const traced = nb.function(stepOf(mt));
  for (let i = 0; i < 5; i++) assertClose(traced(x, y), eager(x, y).item(), 1e-6);
  assertClose(mt.w, me.w.arraySync() as number[][], 1e-6);
  assertClose(mt.b, me.b.arraySync() as number[], 1e-6);
  assert.equal(traced.tracingCount, 1);
});

test('nb.dropout inside nb.function draws a new mask at every call, the same masks as eager calls', () => {
  const x = nb.ones([64]);
  const f = nb.function((t: nb.Tensor) => nb.dropout(t, 0.5));
  nb.setSeed(8);
  const eager = [0, 1, 2].map(() => [...nb.dropout(x, 0.5).dataSync()]);
  nb.setSeed(8);
  f.getConcreteFunction(x); // tracing draws nothing
  const traced = [0, 1, 2].map(() => [...f(x).dataSync()]);
  assert.deepEqual(traced, eager);
  assert.notDeepEqual(traced[0], traced[1]);
  assert.equal(f.tracingCount, 1);
});

test('nb.v1.assignAdd/assignSub on an eager float32 variable (backend kernel), eager and traced; mismatches still name the variable', () => {
  const n = 5000;
  const start = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
  const delta = Float32Array.from({ length: n }, (_, i) => Math.sin(i) / 4);
  const v = nb.variable(nb.tensor(start, [n]));
  const before = nb.identity(v);
  nb.v1.assignSub(v, nb.tensor(delta, [n]));
  const traced = nb.function((d: nb.Tensor) => nb.v1.assignAdd(v, nb.mul(d, 2)));
  traced(nb.tensor(delta, [n]));
  const got = v.dataSync() as Float32Array;
  for (let i = 0; i < n; i += 101) assert.ok(Math.abs(got[i]! - (start[i]! + delta[i]!)) < 1e-6, `element ${i}`);
  assert.equal((before.dataSync() as Float32Array)[7], start[7]);
  assert.throws(() => nb.v1.assignSub(v, nb.ones([3])), (e: unknown) => e instanceof nb.ShapeError && /\[5000\]/.test((e as Error).message));
});

test('variable updates write in place unless a view or an escaped output shares the buffer (copy-on-write)', () => {
  const v = nb.variable(nb.fill([4], 10));
  const own = v.values;
  nb.v1.assignSub(v, nb.ones([4]));
  assert.equal(v.values, own, 'no view: the update reuses the buffer');
  assert.deepEqual(Array.from(v.dataSync()), [9, 9, 9, 9]);
  // Views made before an update keep the old value, whatever the view op.
  const views = [nb.reshape(v, [2, 2]), nb.identity(v), nb.stopGradient(v)];
  nb.v1.assignAdd(v, nb.ones([4]));
  assert.notEqual(v.values, own, 'a view shares the buffer: the update writes a fresh one');
  for (const t of views) assert.deepEqual(Array.from(t.dataSync()), [9, 9, 9, 9]);
  assert.deepEqual(Array.from(v.dataSync()), [10, 10, 10, 10]);
  // Traced: an update's returned output is a snapshot; a read before the update stays old.
  const w = nb.variable(nb.zeros([3]));
  const inc = nb.function(() => nb.v1.assignAdd(w, nb.ones([3])));
  const first = inc();
  const second = inc();
  assert.deepEqual([Array.from(first.dataSync()), Array.from(second.dataSync())], [[1, 1, 1], [2, 2, 2]]);
  const delta = nb.function(() => {
    const old = nb.identity(w);
    nb.v1.assignSub(w, nb.fill([3], 0.5));
    return nb.sub(old, w);
  });
  for (let k = 0; k < 3; k++) assert.deepEqual(Array.from(delta().dataSync()), [0.5, 0.5, 0.5]);
  assert.deepEqual(Array.from(w.dataSync()), [0.5, 0.5, 0.5]);
});

test('a traced training step whose updates nobody reads allocates nothing for them after the first call', () => {
  nb.setSeed(3);
  const w = nb.variable(nb.mul(nb.randomNormal([64, 32]), 0.1));
  const x = nb.randomNormal([16, 64]);
  const step = nb.function((xb: nb.Tensor) => {
    const tape = new nb.GradientTape();
    const loss = tape.record(() => nb.mean(nb.square(nb.relu(nb.matMul(xb, w)))));
    const [g] = tape.gradient(loss, [w]);
    nb.v1.assignSub(w, nb.mul(g!, 0.1));
    return loss;
  });
  const eagerW = nb.variable(w.read());
  const buffer = w.values;
  step(x);
  const after1 = step.getConcreteFunction(x).memoryStats.allocatedBytes;
  const losses = [step(x).item(), step(x).item()];
  assert.equal(w.values, buffer, 'the variable keeps its buffer');
  // Only the returned scalar loss is fresh at each later call.
  assert.equal(step.getConcreteFunction(x).memoryStats.allocatedBytes - after1, 2 * 4);
  // The same three steps eagerly give the same values.
  for (let k = 0; k < 3; k++) {
    const tape = new nb.GradientTape();
    const loss = tape.record(() => nb.mean(nb.square(nb.relu(nb.matMul(x, eagerW)))));
    const [g] = tape.gradient(loss, [eagerW]);
    nb.v1.assignSub(eagerW, nb.mul(g!, 0.1));
    if (k > 0) assert.ok(Math.abs(loss.item() - losses[k - 1]!) < 1e-6);
  }
  assertClose(w, eagerW, 1e-6);
});
