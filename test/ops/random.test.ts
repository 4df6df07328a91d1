import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { categorical, multinomial, randomNormal, randomShuffle, randomUniform, truncatedNormal } from '../../src/ops/random.js';
import { variable } from '../../src/ops/variable.js';

function stats(t: nb.Tensor): { mean: number; std: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (const v of t.values) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / t.size;
  return { mean, std: Math.sqrt(s2 / t.size - mean * mean), min, max };
}

test('randomUniform: shape, dtype, range and moments', () => {
  const u = randomUniform([200, 500], -2, 3, 'float32', 1);
  assert.deepEqual(u.shape, [200, 500]);
  assert.equal(u.dtype, 'float32');
  const s = stats(u);
  assert.ok(s.min >= -2 && s.max < 3, `range [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.mean - 0.5) < 0.02, `mean ${s.mean}`);
  assert.ok(Math.abs(s.std - 5 / Math.sqrt(12)) < 0.02, `std ${s.std}`);
  const unit = stats(randomUniform([10000]));
  assert.ok(unit.min >= 0 && unit.max < 1);
});

test('randomUniform: float samples never reach a maxval that float32 cannot represent', () => {
  const u = randomUniform([100000], -0.05, 0.05, 'float32', 2);
  for (const v of u.values) assert.ok(v >= Math.fround(-0.05) && v < 0.05, `sample ${v}`);
});

test('randomUniform: int32 covers [minval, maxval) evenly', () => {
  const r = randomUniform([60000], -2, 4, 'int32', 3);
  assert.equal(r.dtype, 'int32');
  const counts = new Map<number, number>();
  for (const v of r.values) counts.set(v, (counts.get(v) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2, 3]);
  for (const c of counts.values()) assert.ok(Math.abs(c / 60000 - 1 / 6) < 0.01);
});

test('randomUniform: validation', () => {
  assert.throws(() => randomUniform([2], 0, 1.5, 'int32'), (e: unknown) => e instanceof nb.InvalidArgumentError && /integer bounds/.test(e.message));
  assert.throws(() => randomUniform([2], 3, 3, 'int32'), nb.InvalidArgumentError);
  assert.throws(() => randomUniform([2], 2, 1), (e: unknown) => e instanceof nb.InvalidArgumentError && /minval/.test(e.message));
  assert.throws(() => randomUniform([2], 0, Infinity), nb.InvalidArgumentError);
  assert.throws(() => randomUniform([2], 0, 1, 'bool'), nb.DTypeError);
  assert.throws(() => randomUniform([2, -1]), nb.InvalidArgumentError);
  assert.deepEqual(randomUniform([0, 3]).shape, [0, 3]);
});

test('randomNormal: mean and standard deviation on a large sample', () => {
  const n = randomNormal([100000], 3, 2, 'float32', 4);
  const s = stats(n);
  assert.ok(Math.abs(s.mean - 3) < 0.03, `mean ${s.mean}`);
  assert.ok(Math.abs(s.std - 2) < 0.03, `std ${s.std}`);
  assert.throws(() => randomNormal([2], 0, 1, 'int32'), nb.DTypeError);
  assert.throws(() => randomNormal([2], 0, -1), (e: unknown) => e instanceof nb.InvalidArgumentError && /stddev/.test(e.message));
});

test('truncatedNormal: every sample within two standard deviations, with the truncated std', () => {
  const t = truncatedNormal([100000], 1, 0.5, 'float32', 5);
  const s = stats(t);
  assert.ok(s.min >= 0 && s.max <= 2, `range [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.mean - 1) < 0.01, `mean ${s.mean}`);
  // The standard normal truncated to [-2, 2] has std 0.8796.
  assert.ok(Math.abs(s.std - 0.5 * 0.8796) < 0.01, `std ${s.std}`);
});

test('random ops: setSeed makes them bit-identical; op seeds fix them; different seeds differ', () => {
  const draw = (): nb.Tensor[] => [
    randomUniform([20]),
    randomUniform([20], 0, 10, 'int32'),
    randomNormal([20]),
    truncatedNormal([20]),
    randomShuffle(nb.range(20)),
    multinomial(nb.tensor([0, 1, 2]), 20),
  ];
  nb.setSeed(123);
  const a = draw();
  nb.setSeed(123);
  const b = draw();
  a.forEach((t, i) => assert.deepEqual(t.values, b[i]!.values, `op ${i}`));
  nb.setSeed(124);
  const c = draw();
  a.forEach((t, i) => assert.notDeepEqual(t.values, c[i]!.values, `op ${i}`));
  assert.deepEqual(randomNormal([10], 0, 1, 'float32', 7).values, randomNormal([10], 0, 1, 'float32', 7).values);
  assert.notDeepEqual(randomNormal([10], 0, 1, 'float32', 7).values, randomNormal([10], 0, 1, 'float32', 8).values);
  // consecutive unseeded calls give different values
  assert.notDeepEqual(randomNormal([10]).values, randomNormal([10]).values);
});

test('randomShuffle: a permutation of the rows, rows kept intact', () => {
  const x = nb.reshape(nb.range(30), [10, 3]);
  const y = randomShuffle(x, 1);
  assert.deepEqual(y.shape, [10, 3]);
  const rows = y.arraySync() as number[][];
  for (const row of rows) assert.deepEqual(row, [row[0]!, row[0]! + 1, row[0]! + 2]);
  assert.deepEqual(rows.map((r) => r[0]! / 3).sort((a, b) => a - b), [...Array(10).keys()]);
  assert.notDeepEqual(rows.map((r) => r[0]), [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
  assert.equal(randomShuffle(nb.scalar(5)).item(), 5);
  assert.deepEqual(randomShuffle(nb.zeros([0, 2])).shape, [0, 2]);
});

test('randomShuffle: every permutation of three items is about equally likely', () => {
  const counts = new Map<string, number>();
  nb.setSeed(9);
  for (let i = 0; i < 6000; i++) {
    const key = [...randomShuffle(nb.tensor([0, 1, 2], [3], 'int32')).values].join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  for (const c of counts.values()) assert.ok(Math.abs(c / 6000 - 1 / 6) < 0.025, `count ${c}`);
});

test('multinomial: frequencies match the probabilities (logits and normalized)', () => {
  const probs = [0.1, 0.2, 0.7];
  const logits = nb.tensor([probs.map(Math.log), [0, -Infinity, 0]]);
  const s = multinomial(logits, 20000, 11);
  assert.equal(s.dtype, 'int32');
  assert.deepEqual(s.shape, [2, 20000]);
  const rows = s.arraySync() as number[][];
  const freq = (row: number[], k: number): number => row.filter((v) => v === k).length / row.length;
  probs.forEach((p, k) => assert.ok(Math.abs(freq(rows[0]!, k) - p) < 0.015, `class ${k}: ${freq(rows[0]!, k)}`));
  assert.equal(freq(rows[1]!, 1), 0); // a -Infinity logit is never drawn
  assert.ok(Math.abs(freq(rows[1]!, 0) - 0.5) < 0.015);

  const n = multinomial(nb.tensor([0.25, 0, 0.75]), 20000, 12, true);
  assert.deepEqual(n.shape, [20000]);
  const nv = [...n.values];
  assert.equal(freq(nv, 1), 0);
  assert.ok(Math.abs(freq(nv, 2) - 0.75) < 0.015);
  assert.deepEqual(categorical(nb.tensor([[0, 0]]), 3, 1).values, multinomial(nb.tensor([[0, 0]]), 3, 1).values);
});

test('multinomial: validation', () => {
  assert.throws(() => multinomial(nb.zeros([2, 2, 2]), 1), (e: unknown) => e instanceof nb.ShapeError && /\[2,2,2\]/.test(e.message));
  assert.throws(() => multinomial(nb.zeros([2]), -1), nb.InvalidArgumentError);
  assert.throws(() => multinomial(nb.zeros([2]), 1.5), nb.InvalidArgumentError);
  assert.throws(() => multinomial(nb.zeros([2, 0]), 1), nb.InvalidArgumentError);
  assert.throws(() => multinomial(nb.tensor([0.5, -0.1]), 1, undefined, true), (e: unknown) => e instanceof nb.InvalidArgumentError && /probabilit/.test(e.message));
  assert.throws(() => multinomial(nb.tensor([0, 0]), 1, undefined, true), /probability 0/);
  assert.throws(() => multinomial(nb.tensor([-Infinity, -Infinity]), 1), nb.InvalidArgumentError);
  assert.throws(() => multinomial(nb.tensor([1, 2], [2], 'int32'), 1), nb.DTypeError);
});

test('variable: wraps a value, with trainable, name and dtype options', () => {
  const w = variable(nb.tensor([1.5, 2]), { name: 'w' });
  assert.ok(w instanceof nb.Variable);
  assert.equal(w.trainable, true);
  assert.ok(w.name.startsWith('w'));
  const step = variable(0, { trainable: false, dtype: 'int32', name: 'step' });
  assert.equal(step.dtype, 'int32');
  assert.equal(step.trainable, false);
  assert.equal(variable([[1, 2]]).shape.length, 2);
  const tape = new nb.GradientTape();
  const y = tape.record(() => nb.sum(nb.mul(w, w)));
  assert.deepEqual([...tape.gradient(y, w)!.values], [3, 4]);
  assert.throws(() => variable(1, { dtype: 'float64' as never }), nb.DTypeError);
});
