import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as nb from '../../src/index.js';
import * as O from '../../src/keras/optimizers/index.js';

const W0 = [0.5, -1.2, 2.0, 0.05];
/** The gradients fed at steps 1, 2, 3 (a fixed sequence, independent of the weights). */
const GRADS = [
  [0.3, -0.8, 1.5, -0.02],
  [-0.1, 0.4, 0.9, 0.5],
  [0.7, 0.05, -1.1, 0.2],
];

/** A reference step: mutates `w` and the state; all arithmetic in float64. */
type RefStep = (w: number[], g: number[], state: Record<string, number[]>, t: number) => void;

const zeros = () => W0.map(() => 0);

function runReference(step: RefStep): number[][] {
  const w = [...W0];
  const state: Record<string, number[]> = {};
  const out: number[][] = [];
  GRADS.forEach((g, i) => {
    step(w, g, state, i + 1);
    out.push([...w]);
  });
  return out;
}

function runOptimizer(opt: O.Optimizer): number[][] {
  const v = nb.variable(nb.tensor(W0));
  const out: number[][] = [];
  for (const g of GRADS) {
    opt.applyGradients([[nb.tensor(g), v]]);
    out.push(Array.from(v.values));
  }
  return out;
}

function assertTrajectory(name: string, actual: number[][], expected: number[][], tol = 2e-6): void {
  expected.forEach((row, s) =>
    row.forEach((e, i) => {
      const a = actual[s]![i]!;
      assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${name}: step ${s + 1}, element ${i}: ${a} vs ${e}`);
    }),
  );
}

// TF2 Keras (>= 2.11) update equations, written independently of the implementation.
const references: [string, () => O.Optimizer, RefStep][] = [
  ['SGD', () => new O.SGD({ learningRate: 0.1 }), (w, g) => g.forEach((gi, i) => (w[i] = w[i]! - 0.1 * gi))],
  [
    'SGD momentum',
    () => new O.SGD({ learningRate: 0.1, momentum: 0.9 }),
    (w, g, s) => {
      s.m ??= zeros();
      g.forEach((gi, i) => {
        s.m![i] = 0.9 * s.m![i]! - 0.1 * gi;
        w[i] = w[i]! + s.m![i]!;
      });
    },
  ],
  [
    'SGD nesterov',
    () => new O.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    (w, g, s) => {
      s.m ??= zeros();
      g.forEach((gi, i) => {
        s.m![i] = 0.9 * s.m![i]! - 0.1 * gi;
        w[i] = w[i]! + 0.9 * s.m![i]! - 0.1 * gi;
      });
    },
  ],
  [
    'Adam',
    () => new O.Adam({ learningRate: 0.01 }),
    (w, g, s, t) => {
      s.m ??= zeros();
      s.v ??= zeros();
      const [b1, b2, eps, lr] = [0.9, 0.999, 1e-7, 0.01];
      g.forEach((gi, i) => {
        s.m![i] = b1 * s.m![i]! + (1 - b1) * gi;
        s.v![i] = b2 * s.v![i]! + (1 - b2) * gi * gi;
        const mHat = s.m![i]! / (1 - b1 ** t);
        const vHat = s.v![i]! / (1 - b2 ** t);
        // Keras adds ε to sqrt(v) before the bias correction, i.e. ε̂ = ε·sqrt(1 − β2^t) in the paper's form.
        w[i] = w[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps / Math.sqrt(1 - b2 ** t));
      });
    },
  ],
  [
    'Adam amsgrad',
    () => new O.Adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.9, amsgrad: true }),
    (w, g, s, t) => {
      s.m ??= zeros();
      s.v ??= zeros();
      s.vh ??= zeros();
      const [b1, b2, eps, lr] = [0.8, 0.9, 1e-7, 0.01];
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      g.forEach((gi, i) => {
        s.m![i] = b1 * s.m![i]! + (1 - b1) * gi;
        s.v![i] = b2 * s.v![i]! + (1 - b2) * gi * gi;
        s.vh![i] = Math.max(s.vh![i]!, s.v![i]!);
        w[i] = w[i]! - (alpha * s.m![i]!) / (Math.sqrt(s.vh![i]!) + eps);
      });
    },
  ],
  [
    'AdamW',
    () => new O.AdamW({ learningRate: 0.01, weightDecay: 0.1 }),
    (w, g, s, t) => {
      s.m ??= zeros();
      s.v ??= zeros();
      const [b1, b2, eps, lr, wd] = [0.9, 0.999, 1e-7, 0.01, 0.1];
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      g.forEach((gi, i) => {
        w[i] = w[i]! - w[i]! * wd * lr;
        s.m![i] = b1 * s.m![i]! + (1 - b1) * gi;
        s.v![i] = b2 * s.v![i]! + (1 - b2) * gi * gi;
        w[i] = w[i]! - (alpha * s.m![i]!) / (Math.sqrt(s.v![i]!) + eps);
      });
    },
  ],
  [
    'RMSprop',
    () => new O.RMSprop({ learningRate: 0.01 }),
    (w, g, s) => {
      s.v ??= zeros();
      g.forEach((gi, i) => {
        s.v![i] = 0.9 * s.v![i]! + 0.1 * gi * gi;
        w[i] = w[i]! - (0.01 * gi) / Math.sqrt(s.v![i]! + 1e-7);
      });
    },
  ],
  [
    'RMSprop centered momentum',
    () => new O.RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true }),
    (w, g, s) => {
      s.v ??= zeros();
      s.a ??= zeros();
      s.mom ??= zeros();
      g.forEach((gi, i) => {
        s.v![i] = 0.8 * s.v![i]! + 0.2 * gi * gi;
        s.a![i] = 0.8 * s.a![i]! + 0.2 * gi;
        const inc = (0.01 * gi) / Math.sqrt(s.v![i]! - s.a![i]! ** 2 + 1e-7);
        s.mom![i] = 0.5 * s.mom![i]! + inc;
        w[i] = w[i]! - s.mom![i]!;
      });
    },
  ],
  [
    'Adagrad',
    () => new O.Adagrad({ learningRate: 0.1 }),
    (w, g, s) => {
      s.acc ??= W0.map(() => 0.1);
      g.forEach((gi, i) => {
        s.acc![i] = s.acc![i]! + gi * gi;
        w[i] = w[i]! - (0.1 * gi) / Math.sqrt(s.acc![i]! + 1e-7);
      });
    },
  ],
  [
    'Adadelta',
    () => new O.Adadelta({ learningRate: 1 }),
    (w, g, s) => {
      s.eg ??= zeros();
      s.ed ??= zeros();
      const rho = 0.95;
      const eps = 1e-7;
      g.forEach((gi, i) => {
        s.eg![i] = rho * s.eg![i]! + (1 - rho) * gi * gi;
        const delta = (-Math.sqrt(s.ed![i]! + eps) / Math.sqrt(s.eg![i]! + eps)) * gi;
        s.ed![i] = rho * s.ed![i]! + (1 - rho) * delta * delta;
        w[i] = w[i]! + delta;
      });
    },
  ],
  [
    'Adamax',
    () => new O.Adamax({ learningRate: 0.01 }),
    (w, g, s, t) => {
      s.m ??= zeros();
      s.u ??= zeros();
      g.forEach((gi, i) => {
        s.m![i] = 0.9 * s.m![i]! + 0.1 * gi;
        s.u![i] = Math.max(0.999 * s.u![i]!, Math.abs(gi));
        w[i] = w[i]! - (0.01 * s.m![i]!) / ((1 - 0.9 ** t) * (s.u![i]! + 1e-7));
      });
    },
  ],
  [
    'Nadam',
    () => new O.Nadam({ learningRate: 0.01 }),
    (w, g, s, t) => {
      s.m ??= zeros();
      s.v ??= zeros();
      s.prod ??= [1];
      const mu = (k: number) => 0.9 * (1 - 0.5 * 0.96 ** k);
      const uT = mu(t);
      const uT1 = mu(t + 1);
      s.prod[0] = s.prod[0]! * uT;
      const prodT = s.prod[0]!;
      const prodT1 = prodT * uT1;
      g.forEach((gi, i) => {
        s.m![i] = 0.9 * s.m![i]! + 0.1 * gi;
        s.v![i] = 0.999 * s.v![i]! + 0.001 * gi * gi;
        const mHat = (uT1 * s.m![i]!) / (1 - prodT1) + ((1 - uT) * gi) / (1 - prodT);
        const vHat = s.v![i]! / (1 - 0.999 ** t);
        w[i] = w[i]! - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-7);
      });
    },
  ],
];

test('first three updates match the TF2 Keras equations', () => {
  for (const [name, make, step] of references) {
    assertTrajectory(name, runOptimizer(make()), runReference(step));
  }
});

test('updates write in place unless a view shares the buffer; a view keeps the value it saw', () => {
  for (const [name, make, step] of references) {
    const opt = make();
    const free = nb.variable(nb.tensor(W0));
    const viewed = nb.variable(nb.tensor(W0));
    const own = free.values;
    const snapshots: number[][] = [];
    for (const g of GRADS) {
      const view = nb.reshape(viewed, [2, 2]);
      const before = Array.from(viewed.values);
      opt.applyGradients([[nb.tensor(g), free], [nb.tensor(g), viewed]]);
      assert.deepEqual(Array.from(view.dataSync()), before, `${name}: the view changed`);
      snapshots.push(Array.from(viewed.values));
    }
    assert.equal(free.values, own, `${name}: no view, yet the buffer was replaced`);
    assert.deepEqual(Array.from(free.values), snapshots[2], `${name}: in-place and copied updates differ`);
    assertTrajectory(name, snapshots, runReference(step));
  }
});

test('every optimizer minimises a convex quadratic', () => {
  const target = nb.tensor([1, -2, 0.5, 3]);
  const scales = nb.tensor([1, 2, 0.5, 1.5]);
  const f = (w: nb.Variable) => nb.sum(nb.mul(scales, nb.square(nb.sub(w, target))));
  const cases: [O.Optimizer, number, number][] = [
    [new O.SGD({ learningRate: 0.1 }), 200, 1e-6],
    [new O.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), 300, 1e-6],
    [new O.Adam({ learningRate: 0.1 }), 500, 1e-4],
    [new O.Adam({ learningRate: 0.1, amsgrad: true }), 500, 1e-3],
    [new O.AdamW({ learningRate: 0.1, weightDecay: 0 }), 500, 1e-4],
    [new O.RMSprop({ learningRate: 0.01 }), 800, 1e-3],
    [new O.RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }), 800, 1e-3],
    [new O.Adagrad({ learningRate: 0.5 }), 500, 1e-3],
    [new O.Adadelta({ learningRate: 50 }), 800, 1e-1],
    [new O.Adamax({ learningRate: 0.1 }), 500, 1e-3],
    [new O.Nadam({ learningRate: 0.1 }), 500, 1e-3],
  ];
  for (const [opt, steps, tol] of cases) {
    const w = nb.variable(nb.zeros([4]));
    const start = f(w).item();
    let last = start;
    for (let i = 0; i < steps; i++) last = opt.minimize(() => f(w), [w]).item();
    const end = f(w).item();
    assert.ok(end < tol, `${opt.getClassName()}(${JSON.stringify(opt.getConfig())}): loss ${start} → ${end} (last ${last})`);
    assert.equal(opt.iterations, steps);
  }
});

test('minimize without varList differentiates the trainable variables read', () => {
  const w = nb.variable(nb.tensor([3]));
  const frozen = nb.variable(nb.tensor([2]), { trainable: false });
  const opt = new O.SGD({ learningRate: 0.25 });
  const loss = opt.minimize(() => nb.sum(nb.mul(nb.square(w), frozen)));
  assert.equal(loss.item(), 18);
  assert.deepEqual(Array.from(w.values), [3 - 0.25 * 12]);
  assert.deepEqual(Array.from(frozen.values), [2]);
  assert.throws(() => opt.minimize(() => nb.sum(nb.mul(nb.tensor([1]), frozen))), nb.InvalidArgumentError);
});

test('gradient clipping: clipValue, clipNorm, globalClipNorm', () => {
  const g1 = [3, -4]; // norm 5
  const g2 = [0, 12]; // norm 12; global norm 13
  const run = (opt: O.Optimizer) => {
    const a = nb.variable(nb.zeros([2]));
    const b = nb.variable(nb.zeros([2]));
    opt.applyGradients([
      [nb.tensor(g1), a],
      [nb.tensor(g2), b],
    ]);
    return [Array.from(a.values), Array.from(b.values)];
  };
  const close = (actual: number[][], expected: number[][], msg: string) =>
    expected.flat().forEach((e, i) => assert.ok(Math.abs(actual.flat()[i]! - e) < 1e-6, `${msg}: ${actual.flat()} vs ${expected.flat()}`));
  close(run(new O.SGD({ learningRate: 1, clipValue: 3.5 })), [[-3, 3.5], [0, -3.5]], 'clipValue');
  close(run(new O.SGD({ learningRate: 1, clipNorm: 6 })), [[-3, 4], [0, -6]], 'clipNorm');
  close(run(new O.SGD({ learningRate: 1, globalClipNorm: 6.5 })), [[-1.5, 2], [0, -6]], 'globalClipNorm');
  close(run(new O.SGD({ learningRate: 1, globalClipNorm: 20 })), [[-3, 4], [0, -12]], 'globalClipNorm inactive');
  assert.throws(() => new O.SGD({ clipNorm: 1, clipValue: 1 }), nb.InvalidArgumentError);
});

test('schedules give the documented values, and optimizers use them per step', () => {
  const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-12 * Math.max(1, Math.abs(b)), `${msg}: ${a} vs ${b}`);
  const exp = new O.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  close(exp.call(0), 0.1, 'exp 0');
  close(exp.call(5), 0.1 * Math.SQRT1_2, 'exp 5');
  close(exp.call(20), 0.025, 'exp 20');
  const stair = new O.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
  close(stair.call(19), 0.05, 'staircase 19');
  const pw = new O.PiecewiseConstantDecay({ boundaries: [2, 4], values: [1, 0.5, 0.1] });
  assert.deepEqual([0, 1, 2, 3, 4, 5, 100].map((s) => pw.call(s)), [1, 1, 1, 0.5, 0.5, 0.1, 0.1]);
  assert.throws(() => new O.PiecewiseConstantDecay({ boundaries: [1], values: [1] }), nb.InvalidArgumentError);
  const cos = new O.CosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
  close(cos.call(0), 1, 'cos 0');
  close(cos.call(50), 0.1 + 0.9 * 0.5, 'cos 50');
  close(cos.call(100), 0.1, 'cos 100');
  close(cos.call(150), 0.1, 'cos past end');
  close(new O.InverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1 }).call(10), 0.5, 'inverse time');
  close(new O.PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, power: 2 }).call(5), 0.25, 'polynomial');

  // SGD with a piecewise schedule: the k-th update uses the rate at step k - 1.
  const opt = new O.SGD({ learningRate: pw });
  const v = nb.variable(nb.zeros([1]));
  const lrs: number[] = [];
  for (let i = 0; i < 6; i++) {
    lrs.push(opt.currentLearningRate());
    opt.applyGradients([[nb.tensor([-1]), v]]);
  }
  assert.deepEqual(lrs, [1, 1, 1, 0.5, 0.5, 0.1]);
  assert.ok(Math.abs(v.values[0]! - 4.1) < 1e-6, `${v.values[0]}`);
  // A number can replace the schedule (ReduceLROnPlateau does this).
  opt.learningRate = 0.01;
  assert.equal(opt.currentLearningRate(), 0.01);
  // Config round trip keeps the schedule.
  const re = O.deserializeOptimizer(O.serializeOptimizer(new O.Adam({ learningRate: exp, amsgrad: true })));
  assert.ok(re instanceof O.Adam && re.amsgrad);
  assert.equal(re.currentLearningRate(), 0.1);
  assert.ok(typeof re.learningRate !== 'number' && re.learningRate.className === 'ExponentialDecay');
  assert.deepEqual(re.getConfig(), new O.Adam({ learningRate: exp, amsgrad: true }).getConfig());
});

test('getWeights / setWeights: a restored optimizer continues bit-identically', () => {
  const makers: (() => O.Optimizer)[] = [
    () => new O.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    () => new O.Adam({ learningRate: 0.01, amsgrad: true }),
    () => new O.AdamW({ learningRate: 0.01 }),
    () => new O.RMSprop({ learningRate: 0.01, momentum: 0.3, centered: true }),
    () => new O.Adagrad({ learningRate: 0.05 }),
    () => new O.Adadelta({ learningRate: 1 }),
    () => new O.Adamax({ learningRate: 0.01 }),
    () => new O.Nadam({ learningRate: 0.01 }),
  ];
  const grad = (step: number, k: number, size: number) => nb.tensor(Array.from({ length: size }, (_, i) => Math.sin(step * 1.3 + i * 0.7 + k)));
  for (const make of makers) {
    const a = make();
    const va = [nb.variable(nb.tensor([[1, 2], [3, 4]])), nb.variable(nb.tensor([0.5, -0.5, 1]))];
    const stepA = (opt: O.Optimizer, vars: nb.Variable[], s: number) => opt.applyGradients(vars.map((v, k) => [nb.reshape(grad(s, k, v.size), v.shape), v] as const));
    for (let s = 0; s < 4; s++) stepA(a, va, s);
    const saved = a.getWeights();
    assert.equal(saved[0]!.item(), 4);
    assert.equal(saved.length, 1 + 2 * a.slotNames().length);
    const savedVars = va.map((v) => v.read());

    // A fresh optimizer from the config, built for copies of the variables, then restored.
    const b = O.deserializeOptimizer(O.serializeOptimizer(a));
    const vb = savedVars.map((t) => nb.variable(t));
    b.build(vb);
    b.setWeights(saved);
    assert.equal(b.iterations, 4);
    for (let s = 4; s < 8; s++) {
      stepA(a, va, s);
      stepA(b, vb, s);
    }
    va.forEach((v, k) => assert.deepEqual(Array.from(vb[k]!.values), Array.from(v.values), `${a.getClassName()}: variable ${k}`));
    a.getWeights().forEach((w, k) => assert.deepEqual(Array.from(b.getWeights()[k]!.values), Array.from(w.values), `${a.getClassName()}: weight ${k}`));
  }
  // Wrong count / shapes fail without changing state.
  const opt = new O.Adam();
  const v = nb.variable(nb.zeros([3]));
  assert.throws(() => opt.setWeights([nb.scalar(1, 'int32'), nb.zeros([3]), nb.zeros([3])]), nb.FailedPreconditionError);
  opt.build([v]);
  assert.throws(() => opt.setWeights([nb.scalar(5, 'int32'), nb.zeros([3]), nb.zeros([2])]), nb.ShapeError);
  assert.equal(opt.iterations, 0);
});

test('a view of a variable keeps its value across an update; null gradients are skipped; bad gradients are clear errors', () => {
  const v = nb.variable(nb.tensor([1, 2, 3]));
  const view = nb.reshape(v, [1, 3]);
  const before = Array.from(view.values);
  const other = nb.variable(nb.tensor([5]));
  const opt = new O.SGD({ learningRate: 1 });
  opt.applyGradients([
    [nb.tensor([1, 1, 1]), v],
    [null, other],
  ]);
  assert.deepEqual(Array.from(v.values), [0, 1, 2]);
  assert.deepEqual(Array.from(view.values), before, 'a tensor aliasing the old value is unchanged');
  assert.deepEqual(Array.from(other.values), [5]);
  assert.equal(opt.iterations, 1);
  assert.throws(
    () => opt.applyGradients([[nb.tensor([1, 1]), v]]),
    (e: Error) => e instanceof nb.ShapeError && e.message.includes('[2]') && e.message.includes('[3]') && e.message.includes(v.name),
  );
  assert.throws(() => opt.applyGradients([[nb.tensor([1, 1, 1], [3], 'int32'), v]]), nb.DTypeError);
  assert.equal(opt.iterations, 1, 'failed calls do not count');
  assert.deepEqual(Array.from(v.values), [0, 1, 2]);
});

test('getOptimizer resolves names; unknown names list the valid ones', () => {
  const cases: [string, string, number][] = [
    ['adam', 'Adam', 0.001],
    ['Adam', 'Adam', 0.001],
    ['sgd', 'SGD', 0.01],
    ['rmsprop', 'RMSprop', 0.001],
    ['RMSprop', 'RMSprop', 0.001],
    ['adagrad', 'Adagrad', 0.001],
    ['adadelta', 'Adadelta', 0.001],
    ['adamax', 'Adamax', 0.001],
    ['nadam', 'Nadam', 0.001],
    ['adamw', 'AdamW', 0.001],
  ];
  for (const [id, cls, lr] of cases) {
    const opt = O.getOptimizer(id);
    assert.equal(opt.getClassName(), cls, id);
    assert.equal(opt.currentLearningRate(), lr, id);
  }
  const a = new O.Adam();
  assert.equal(O.getOptimizer(a), a);
  assert.equal((O.getOptimizer('adamw') as O.AdamW).weightDecay, 0.004);
  assert.throws(
    () => O.getOptimizer('adamm', 'model.compile'),
    (e: Error) => e instanceof nb.InvalidArgumentError && /model\.compile/.test(e.message) && /adamm/.test(e.message) && /adam, /.test(e.message) && /rmsprop/.test(e.message),
  );
  assert.equal(O.adam({ learningRate: 0.5 }).currentLearningRate(), 0.5);
});
