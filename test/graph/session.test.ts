import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nb from '../../src/index.js';
import { assertClose } from '../util/gradcheck.js';

const v1 = nb.v1;

test('the TF1 example: a + b with placeholders gives 7', () => {
  const g = new v1.Graph();
  const y = g.asDefault(() => {
    const a = v1.placeholder('int32', [], 'a');
    const b = v1.placeholder('int32', [], 'b');
    return nb.add(a, b);
  });
  assert.ok(y instanceof v1.SymbolicTensor);
  assert.equal(y.dtype, 'int32');
  const sess = new v1.Session(g);
  assert.equal(sess.run(y, { a: 3, b: 4 }).item(), 7);
  assert.equal(nb.add(nb.scalar(1), 2).item(), 3, 'eager mode is back after asDefault');
});

test('shape inference keeps unknown dims; nested fetches; only the needed subgraph runs', () => {
  const g = new v1.Graph();
  const t = g.asDefault(() => {
    const x = v1.placeholder('float32', [null, 3], 'x');
    const unused = v1.placeholder('float32', [2], 'unused');
    const w = nb.tensor([[1], [2], [3]]);
    const y = nb.matMul(x, w);
    return { x, y, s: nb.sum(y), z: nb.add(unused, 1) };
  });
  assert.deepEqual((t.y as nb.v1.SymbolicTensor).shapeWithNulls, [null, 1]);
  assert.deepEqual(t.s.shape, []);
  const sess = new v1.Session(g);
  const out = sess.run({ y: t.y, both: [t.s, t.y] }, { x: [[1, 1, 1], [0, 1, 0]] });
  assertClose(out.y, [[6], [2]]);
  assertClose(out.both[0], 8);
  assert.throws(() => t.y.dataSync(), /symbolic/);
});

test('errors: missing feed names the placeholder; wrong shape/dtype name both; other graph; uninitialised variable', () => {
  const g = new v1.Graph();
  const { x, y, v } = g.asDefault(() => {
    const x = v1.placeholder('float32', [null, 2], 'inputs');
    const v = new v1.Variable(nb.zeros([2]), { name: 'w' });
    return { x, y: nb.mul(x, 2), v };
  });
  const sess = new v1.Session(g);
  assert.throws(() => sess.run(y), (e: Error) => e instanceof v1.MissingFeedError && /'inputs'/.test(e.message));
  assert.throws(() => sess.run(y, { inputs: [1, 2, 3] }), (e: Error) => e instanceof nb.ShapeError && /\[\?,2\]/.test(e.message) && /\[3\]/.test(e.message));
  assert.throws(() => sess.run(y, new Map([[x, nb.tensor([[1, 2]], undefined, 'int32')]])), (e: Error) => e instanceof nb.DTypeError && /float32/.test(e.message) && /int32/.test(e.message));
  const other = new v1.Graph();
  const z = other.asDefault(() => nb.add(v1.placeholder('float32', [], 'q'), 1));
  assert.throws(() => sess.run(z), v1.GraphMismatchError);
  assert.throws(() => g.asDefault(() => nb.add(x, z)), v1.GraphMismatchError);
  assert.throws(() => sess.run(v), (e: Error) => e instanceof v1.UninitializedVariableError && /'w'/.test(e.message));
});

test('variables: initializer, assign ops, name scopes, disableEagerExecution', () => {
  v1.disableEagerExecution();
  try {
    v1.resetDefaultGraph();
    const w = v1.nameScope('layer', () => new v1.Variable(nb.ones([3]), { name: 'w' }));
    assert.equal(w.opName, 'layer/w');
    const inc = w.assignAdd(nb.ones([3]));
    const sess = new v1.Session();
    sess.run(v1.globalVariablesInitializer());
    assertClose(sess.run(w), [1, 1, 1]);
    sess.run(inc);
    assertClose(sess.run(inc), [3, 3, 3]);
    assertClose(sess.run(w.assign(nb.zeros([3]))), [0, 0, 0]);
    assert.equal(new v1.Session().variables.size, 0, 'each session has its own variable values');
  } finally {
    v1.enableEagerExecution();
  }
  assert.ok(v1.executingEagerly());
});

test('gradients equal GradientTape gradients, first and second order', () => {
  const xv = nb.tensor([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]]);
  const wv = nb.tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]]);
  const f = (x: nb.Tensor, w: nb.Tensor): nb.Tensor => nb.mean(nb.square(nb.tanh(nb.matMul(x, w))));
  const g = new v1.Graph();
  const r = g.asDefault(() => {
    const x = v1.placeholder('float32', [null, 3], 'x');
    const w = v1.placeholder('float32', [3, 2], 'w');
    const y = f(x, w);
    const [dx, dw] = v1.gradients(y, [x, w]);
    const [ddx] = v1.gradients(nb.sum(nb.square(dx!)), [x]);
    return { y, dx: dx!, dw: dw!, ddx: ddx! };
  });
  const out = new v1.Session(g).run(r, { x: xv, w: wv });
  const outer = new nb.GradientTape({ persistent: true });
  const inner = new nb.GradientTape({ persistent: true });
  outer.watch(xv);
  inner.watch(xv, wv);
  outer.start();
  inner.start();
  const y = f(xv, wv);
  inner.stop();
  const [dx, dw] = inner.gradient(y, [xv, wv]);
  const s = nb.sum(nb.square(dx!));
  outer.stop();
  const ddx = outer.gradient(s, xv)!;
  assertClose(out.y, y.arraySync() as number, 1e-6);
  assertClose(out.dx, dx!.arraySync() as number[][], 1e-6);
  assertClose(out.dw, dw!.arraySync() as number[][], 1e-6);
  assertClose(out.ddx, ddx.arraySync() as number[][], 1e-5);
});

function iris(): { x: nb.Tensor; y: nb.Tensor; labels: number[] } {
  const rows = readFileSync(new URL('../../data/iris.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const feats: number[][] = [];
  const labels: number[] = [];
  for (const r of rows) {
    const c = r.split(',').map(Number);
    feats.push(c.slice(0, 4));
    labels.push(c[4]!);
  }
  const x = nb.tensor(feats);
  const { mean, variance } = nb.moments(x, 0);
  return { x: nb.div(nb.sub(x, mean), nb.sqrt(variance)), y: nb.oneHot(nb.tensor(labels, undefined, 'int32'), 3), labels };
}

test('TF1 softmax regression on iris with placeholders + Session + optimizers reaches >= 90% accuracy', () => {
  const data = iris();
  for (const make of [
    () => new v1.train.GradientDescentOptimizer(0.5),
    () => new v1.train.MomentumOptimizer(0.1, 0.9),
    () => new v1.train.AdamOptimizer(0.05),
    () => new v1.train.RMSPropOptimizer(0.05),
  ]) {
    const g = new v1.Graph();
    const m = g.asDefault(() => {
      const x = v1.placeholder('float32', [null, 4], 'x');
      const y = v1.placeholder('float32', [null, 3], 'y');
      const w = new v1.Variable(nb.zeros([4, 3]), { name: 'w' });
      const b = new v1.Variable(nb.zeros([3]), { name: 'b' });
      const logits = nb.add(nb.matMul(x, w), b);
      const loss = nb.mean(nb.softmaxCrossEntropyWithLogits({ labels: y, logits }));
      const opt = make();
      const step = v1.train.getOrCreateGlobalStep();
      const train = opt.minimize(loss, { globalStep: step });
      return { x, y, loss, train, pred: nb.argMax(logits, 1), step };
    });
    const sess = new v1.Session(g);
    sess.run(v1.globalVariablesInitializer(g));
    let first = 0;
    let last = 0;
    for (let i = 0; i < 100; i++) {
      const l = sess.run({ l: m.loss, t: m.train }, { x: data.x, y: data.y }).l;
      if (i === 0) first = l.item();
      last = l.item();
    }
    const pred = sess.run(m.pred, { x: data.x }).dataSync();
    const acc = data.labels.filter((l, i) => pred[i] === l).length / data.labels.length;
    assert.ok(last < first, `loss decreased (${first} -> ${last})`);
    assert.ok(acc >= 0.9, `accuracy ${acc}`);
    assert.equal(sess.run(m.step).item(), 100);
  }
});

test('linear regression in a Session matches the same model trained eagerly', () => {
  const xs = nb.tensor([[1], [2], [3], [4], [5]]);
  const ys = nb.tensor([[3.1], [4.9], [7.2], [8.8], [11.1]]);
  const g = new v1.Graph();
  const m = g.asDefault(() => {
    const x = v1.placeholder('float32', [null, 1], 'x');
    const y = v1.placeholder('float32', [null, 1], 'y');
    const w = new v1.Variable(nb.tensor([[0.5]]), { name: 'w' });
    const b = new v1.Variable(nb.tensor([0.1]), { name: 'b' });
    const loss = nb.mean(nb.square(nb.sub(nb.add(nb.matMul(x, w), b), y)));
    return { loss, w, b, train: new v1.train.GradientDescentOptimizer(0.02).minimize(loss) };
  });
  const sess = new v1.Session(g);
  sess.run(v1.globalVariablesInitializer(g));
  for (let i = 0; i < 50; i++) sess.run(m.train, { x: xs, y: ys });
  const w = nb.variable(nb.tensor([[0.5]]));
  const b = nb.variable(nb.tensor([0.1]));
  for (let i = 0; i < 50; i++) {
    const tape = new nb.GradientTape();
    const loss = tape.record(() => nb.mean(nb.square(nb.sub(nb.add(nb.matMul(xs, w), b), ys))));
    const [gw, gb] = tape.gradient(loss, [w, b]);
    w.assignSub(nb.mul(gw!, 0.02));
    b.assignSub(nb.mul(gb!, 0.02));
  }
  assertClose(sess.run(m.w), w.arraySync() as number[][], 1e-5);
  assertClose(sess.run(m.b), b.arraySync() as number[], 1e-5);
});

test('a convnet with an unknown batch dim: graph gradients equal tape gradients (deferred rules)', () => {
  nb.setSeed(3);
  const xv = nb.randomNormal([5, 8, 8, 1]);
  const kv = nb.mul(nb.randomNormal([3, 3, 1, 4]), 0.3);
  const wv = nb.mul(nb.randomNormal([36, 2]), 0.3);
  const f = (x: nb.Tensor, k: nb.Tensor, w: nb.Tensor) => {
    const h = nb.maxPool(nb.relu(nb.conv2d(x, k, 1, 'valid')), 2, 2, 'valid');
    return nb.mean(nb.square(nb.matMul(nb.reshape(h, [-1, 36]), w)));
  };
  const g = new v1.Graph();
  const r = g.asDefault(() => {
    const x = v1.placeholder('float32', [null, 8, 8, 1], 'x');
    const k = v1.placeholder('float32', [3, 3, 1, 4], 'k');
    const w = v1.placeholder('float32', [36, 2], 'w');
    return v1.gradients(f(x, k, w), [x, k, w]) as nb.Tensor[];
  });
  const out = new v1.Session(g).run(r, { x: xv, k: kv, w: wv });
  const tape = new nb.GradientTape();
  tape.watch(xv, kv, wv);
  const y = tape.record(() => f(xv, kv, wv));
  const e = tape.gradient(y, [xv, kv, wv]);
  out.forEach((o, i) => assertClose(o, e[i]!.arraySync() as number[], 1e-6));
});
