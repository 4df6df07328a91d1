import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as nb from '../../src/index.js';
import * as O from '../../src/keras/optimizers/index.js';

interface Reg {
  lr: number;
  power?: number;
  init?: number;
  l1?: number;
  l2?: number;
  shrink?: number;
  beta?: number;
}

/**
 * FTRL-Proximal in float64, written from the algorithm's statement (n, sigma, z per coordinate) with
 * TF's conventions: shrinkage adds 2·s·w to the gradient used for z (not for n); the online L2 and
 * beta enter the denominator as beta/lr + 2·l2.
 */
function reference(w0: number[], grads: number[][], r: Reg): number[][] {
  const power = -(r.power ?? -0.5);
  const l1 = r.l1 ?? 0;
  const w = [...w0];
  const n = w0.map(() => r.init ?? 0.1);
  const z = w0.map(() => 0);
  return grads.map((g) => {
    for (let i = 0; i < w.length; i++) {
      const prev = n[i]!;
      n[i] = prev + g[i]! ** 2;
      const sigma = (n[i]! ** power - prev ** power) / r.lr;
      z[i] = z[i]! + g[i]! + 2 * (r.shrink ?? 0) * w[i]! - sigma * w[i]!;
      w[i] = Math.abs(z[i]!) <= l1 ? 0 : (Math.sign(z[i]!) * l1 - z[i]!) / (n[i]! ** power / r.lr + (r.beta ?? 0) / r.lr + 2 * (r.l2 ?? 0));
    }
    return [...w];
  });
}

function run(opt: O.Optimizer, w0: number[], grads: number[][]): number[][] {
  const v = nb.variable(nb.tensor(w0));
  return grads.map((g) => {
    opt.applyGradients([[nb.tensor(g), v]]);
    return Array.from(v.values);
  });
}

function close(actual: number[][], expected: number[][], what: string, tol = 2e-6): void {
  expected.forEach((row, s) =>
    row.forEach((e, i) => {
      const a = actual[s]![i]!;
      assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}: step ${s + 1}, element ${i}: ${a} vs ${e}`);
    }),
  );
}

const W0 = [0.5, -1.2, 2.0, 0.05];
const GRADS = [
  [0.3, -0.8, 1.5, -0.02],
  [-0.1, 0.4, 0.9, 0.5],
  [0.7, 0.05, -1.1, 0.2],
];

test('Ftrl: one step matches a hand computation (float64), without and with l1/l2', () => {
  // w = 0.5, g = 0.3, lr = 0.1, n0 = 0.1: n1 = 0.19, z = 0.3 − (√0.19 − √0.1)/0.1 · 0.5 = −0.29831064,
  // w1 = −z / (√0.19 / 0.1) = 0.06843715; with l1 = 0.1, l2 = 0.2: (−0.1 − z) / (√0.19/0.1 + 0.4) = 0.04167154.
  const plain = run(new O.Ftrl({ learningRate: 0.1 }), [0.5], [[0.3]]);
  assert.ok(Math.abs(plain[0]![0]! - 0.06843715478382559) < 1e-7, `${plain[0]![0]}`);
  const reg = run(new O.Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.1, l2RegularizationStrength: 0.2 }), [0.5], [[0.3]]);
  assert.ok(Math.abs(reg[0]![0]! - 0.041671538740135884) < 1e-7, `${reg[0]![0]}`);
});

test('Ftrl: three steps match the float64 reference for each regularisation setting', () => {
  const cases: Reg[] = [
    { lr: 0.1 },
    { lr: 0.2, l1: 0.05 },
    { lr: 0.2, l2: 0.3 },
    { lr: 0.05, l1: 0.01, l2: 0.1, shrink: 0.2 },
    { lr: 0.1, beta: 0.5, power: -0.3, init: 0.5 },
    { lr: 0.1, power: 0, init: 0 },
  ];
  for (const r of cases) {
    const opt = new O.Ftrl({
      learningRate: r.lr,
      ...(r.power !== undefined ? { learningRatePower: r.power } : {}),
      ...(r.init !== undefined ? { initialAccumulatorValue: r.init } : {}),
      ...(r.l1 !== undefined ? { l1RegularizationStrength: r.l1 } : {}),
      ...(r.l2 !== undefined ? { l2RegularizationStrength: r.l2 } : {}),
      ...(r.shrink !== undefined ? { l2ShrinkageRegularizationStrength: r.shrink } : {}),
      ...(r.beta !== undefined ? { beta: r.beta } : {}),
    });
    close(run(opt, W0, GRADS), reference(W0, GRADS, r), JSON.stringify(r));
  }
});

test('Ftrl: l1 drives weights with little gradient signal to exactly zero', () => {
  // Loss Σ (w − t)² with t = [2, −3, 0.01, −0.02]. FTRL's λ1 acts against the summed gradients
  // (|z| <= λ1 gives w = 0), so over 100 steps the small targets cannot beat λ1 = 5; the large can.
  const target = nb.tensor([2, -3, 0.01, -0.02]);
  const w = nb.variable(nb.tensor([0.3, 0.3, 0.3, 0.3]));
  const opt = new O.Ftrl({ learningRate: 0.5, l1RegularizationStrength: 5 });
  for (let i = 0; i < 100; i++) opt.minimize(() => nb.sum(nb.square(nb.sub(w, target))), [w]);
  const v = Array.from(w.values);
  assert.equal(v[2], 0, `small weight ${v[2]}`);
  assert.equal(v[3], 0, `small weight ${v[3]}`);
  assert.ok(Math.abs(v[0]! - 2) < 0.1 && Math.abs(v[1]! + 3) < 0.1, `large weights ${v.slice(0, 2)}`);
  // Without l1 the same run leaves them non-zero.
  const w2 = nb.variable(nb.tensor([0.3, 0.3, 0.3, 0.3]));
  const opt2 = new O.Ftrl({ learningRate: 0.5 });
  for (let i = 0; i < 100; i++) opt2.minimize(() => nb.sum(nb.square(nb.sub(w2, target))), [w2]);
  assert.ok(w2.values[2] !== 0 && w2.values[3] !== 0);
});

test('Ftrl: by name, Keras defaults, config round trip, slot state restores bit-identically, bad args', () => {
  const d = O.getOptimizer('ftrl') as O.Ftrl;
  assert.ok(d instanceof O.Ftrl);
  assert.deepEqual(
    [d.currentLearningRate(), d.learningRatePower, d.initialAccumulatorValue, d.l1RegularizationStrength, d.l2RegularizationStrength, d.l2ShrinkageRegularizationStrength, d.beta],
    [0.001, -0.5, 0.1, 0, 0, 0, 0],
  );
  assert.equal(O.ftrl({ learningRate: 0.3 }).currentLearningRate(), 0.3);
  const a = new O.Ftrl({ learningRate: 0.2, learningRatePower: -0.4, initialAccumulatorValue: 0.3, l1RegularizationStrength: 0.01, l2RegularizationStrength: 0.02, l2ShrinkageRegularizationStrength: 0.03, beta: 0.1 });
  const b = O.deserializeOptimizer(O.serializeOptimizer(a));
  assert.ok(b instanceof O.Ftrl);
  assert.deepEqual(b.getConfig(), a.getConfig());
  assert.equal(O.serializeOptimizer(a).className, 'Ftrl');
  assert.deepEqual(a.slotNames(), ['accumulator', 'linear']);

  const va = nb.variable(nb.tensor(W0));
  for (const g of GRADS) a.applyGradients([[nb.tensor(g), va]]);
  const saved = a.getWeights();
  assert.equal(saved.length, 3);
  const vb = nb.variable(va.read());
  b.build([vb]);
  b.setWeights(saved);
  for (const g of [[0.2, -0.1, 0.3, 0.4], [-0.5, 0.6, 0.1, -0.2]]) {
    a.applyGradients([[nb.tensor(g), va]]);
    b.applyGradients([[nb.tensor(g), vb]]);
  }
  assert.deepEqual(Array.from(vb.values), Array.from(va.values));

  assert.throws(() => new O.Ftrl({ learningRatePower: 0.5 }), (e: Error) => e instanceof nb.InvalidArgumentError && /learningRatePower must be a number <= 0/.test(e.message));
  assert.throws(() => new O.Ftrl({ l1RegularizationStrength: -1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /l1RegularizationStrength/.test(e.message));
  assert.throws(() => new O.Ftrl({ initialAccumulatorValue: -0.1 }), /initialAccumulatorValue/);
});
