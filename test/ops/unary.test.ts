// Element-wise ops already in src/ops: unary.ts, arithmetic.ts and logical.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

const int = (values: number[]): nb.Tensor => nb.tensor(values, [values.length], 'int32');
const bool = (values: boolean[]): nb.Tensor => nb.tensor(values);

function gradients(f: (...xs: nb.Tensor[]) => nb.Tensor, inputs: nb.Tensor[]): (nb.Tensor | null)[] {
  const tape = new nb.GradientTape();
  tape.watch(inputs);
  const y = tape.record(() => f(...inputs));
  return tape.gradient(y, inputs);
}

/** x ↦ d/dx Σ w⊙f(x), computed with a tape: differentiating it again gives second derivatives. */
function firstGrad(f: (x: nb.Tensor) => nb.Tensor, w: nb.Tensor): (x: nb.Tensor) => nb.Tensor {
  return (x) => {
    const tape = new nb.GradientTape();
    tape.watch(x);
    const y = tape.record(() => nb.sum(nb.mul(w, f(x))));
    return tape.gradient(y, x, { unconnectedGradients: 'zero' })!;
  };
}

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const MIXED = nb.tensor([-1.3, -0.4, 0.3, 1.2]); // away from 0 and from integers/halves
const POSITIVE = nb.tensor([0.3, 0.9, 1.7, 2.6]);

interface UnaryCase {
  name: string;
  f: (x: nb.Tensor) => nb.Tensor;
  input: number[];
  expected: number[];
  /** Inputs for the gradient check (smooth there); default MIXED. */
  gradInput?: nb.Tensor;
}

const CASES: UnaryCase[] = [
  { name: 'neg', f: nb.neg, input: [1, -2, 0], expected: [-1, 2, -0] },
  { name: 'abs', f: nb.abs, input: [-1.5, 2, 0], expected: [1.5, 2, 0] },
  { name: 'exp', f: nb.exp, input: [0, 1, -1], expected: [1, Math.E, 1 / Math.E] },
  { name: 'expm1', f: nb.expm1, input: [0, 1e-6, 1], expected: [0, 1.0000005e-6, Math.E - 1] },
  { name: 'log', f: nb.log, input: [1, Math.E, 0, -1], expected: [0, 1, -Infinity, NaN], gradInput: POSITIVE },
  { name: 'log1p', f: nb.log1p, input: [0, 1e-7, Math.E - 1], expected: [0, 1e-7, 1], gradInput: nb.tensor([-0.5, 0.2, 1.1, 3]) },
  { name: 'sqrt', f: nb.sqrt, input: [4, 0, 2.25], expected: [2, 0, 1.5], gradInput: POSITIVE },
  { name: 'rsqrt', f: nb.rsqrt, input: [4, 0.25], expected: [0.5, 2], gradInput: POSITIVE },
  { name: 'square', f: nb.square, input: [-3, 0.5], expected: [9, 0.25] },
  { name: 'reciprocal', f: nb.reciprocal, input: [2, -0.5, 0], expected: [0.5, -2, Infinity], gradInput: POSITIVE },
  { name: 'sigmoid', f: nb.sigmoid, input: [0, 2, -100, 100], expected: [0.5, 0.88079708, 3.7200760e-44, 1] },
  { name: 'tanh', f: nb.tanh, input: [0, 0.5, -20], expected: [0, 0.46211716, -1] },
  { name: 'relu', f: nb.relu, input: [-2, 0, 3], expected: [0, 0, 3] },
  { name: 'relu6', f: nb.relu6, input: [-2, 3, 8], expected: [0, 3, 6], gradInput: nb.tensor([-1.3, 0.4, 5.2, 7.1]) },
  { name: 'elu', f: (x) => nb.elu(x), input: [-1, 2], expected: [Math.expm1(-1), 2] },
  { name: 'elu(alpha=0.5)', f: (x) => nb.elu(x, 0.5), input: [-1, 2], expected: [0.5 * Math.expm1(-1), 2] },
  { name: 'selu', f: nb.selu, input: [-1, 2], expected: [SELU_SCALE * SELU_ALPHA * Math.expm1(-1), 2 * SELU_SCALE] },
  { name: 'leakyRelu', f: (x) => nb.leakyRelu(x), input: [-1, 2], expected: [-0.2, 2] },
  { name: 'leakyRelu(alpha=0.01)', f: (x) => nb.leakyRelu(x, 0.01), input: [-3, 2], expected: [-0.03, 2] },
  { name: 'softplus', f: nb.softplus, input: [0, 1, -100, 100], expected: [Math.LN2, 1.31326169, 3.7200760e-44, 100] },
  { name: 'erf', f: nb.erf, input: [0, 0.5, 1, -1, 2], expected: [0, 0.52049988, 0.84270079, -0.84270079, 0.99532227] },
  { name: 'gelu', f: nb.gelu, input: [0, 1, -1, 2], expected: [0, 0.84134475, -0.15865525, 1.95449974] },
  { name: 'sin', f: nb.sin, input: [0, Math.PI / 2, -Math.PI / 6], expected: [0, 1, -0.5] },
  { name: 'cos', f: nb.cos, input: [0, Math.PI, Math.PI / 3], expected: [1, -1, 0.5] },
  { name: 'sign', f: nb.sign, input: [-2, 0, 3, NaN], expected: [-1, 0, 1, NaN] },
  { name: 'floor', f: nb.floor, input: [1.7, -1.2, 2], expected: [1, -2, 2] },
  { name: 'ceil', f: nb.ceil, input: [1.2, -1.7, 2], expected: [2, -1, 2] },
  { name: 'round', f: nb.round, input: [0.5, 1.5, 2.5, -0.5, -1.5, 1.4, -1.6], expected: [0, 2, 2, -0, -2, 1, -2] },
  { name: 'clipByValue', f: (x) => nb.clipByValue(x, -1, 0.5), input: [-3, 0.2, 4], expected: [-1, 0.2, 0.5] },
];

for (const c of CASES) {
  test(`${c.name}: hand-checked values`, () => {
    assertClose(c.f(nb.tensor(c.input)), c.expected, 1e-6, c.name);
  });
  test(`${c.name}: gradient matches central differences`, () => {
    gradCheck(c.f, [c.gradInput ?? MIXED]);
    gradCheck(c.f, [nb.reshape(c.gradInput ?? MIXED, [2, 2])]);
  });
}

test('step-like ops (sign, floor, ceil, round) have zero gradient', () => {
  for (const f of [nb.sign, nb.floor, nb.ceil, nb.round]) {
    const [g] = gradients(f, [MIXED]);
    assertClose(g!, [0, 0, 0, 0]);
  }
});

test('relu / abs / clipByValue: gradient at the kinks follows TensorFlow', () => {
  const x = nb.tensor([-1, 0, 1]);
  assertClose(gradients(nb.relu, [x])[0]!, [0, 0, 1]);
  assertClose(gradients(nb.abs, [x])[0]!, [-1, 0, 1]);
  // clipByValue passes the gradient on the bounds themselves, blocks it outside.
  assertClose(gradients((t) => nb.clipByValue(t, -1, 0), [nb.tensor([-2, -1, 0, 1, -0.5])])[0]!, [0, 1, 1, 0, 1]);
  assertClose(gradients(nb.relu6, [nb.tensor([-1, 3, 6, 7])])[0]!, [0, 1, 0, 0]);
});

test('unary ops: int32 support and dtype errors', () => {
  assert.deepEqual([...nb.abs(int([-3, 2])).values], [3, 2]);
  assert.deepEqual([...nb.relu(int([-3, 2])).values], [0, 2]);
  assert.deepEqual([...nb.square(int([-3, 2])).values], [9, 4]);
  assert.deepEqual([...nb.sign(int([-3, 0, 2])).values], [-1, 0, 1]);
  assert.deepEqual([...nb.neg(int([-3, 2])).values], [3, -2]);
  assert.deepEqual([...nb.clipByValue(int([-3, 2, 9]), 0, 5).values], [0, 2, 5]);
  assert.throws(() => nb.exp(int([1])), (e: unknown) => e instanceof nb.DTypeError && /exp/.test(e.message) && /float32/.test(e.message));
  assert.throws(() => nb.sigmoid(bool([true])), nb.DTypeError);
  assert.throws(() => nb.clipByValue(nb.tensor([1]), 2, 1), (e: unknown) => e instanceof nb.InvalidArgumentError && /clipValueMin/.test(e.message));
});

test('second order: tanh matches the hand-derived second derivative', () => {
  // tanh'' = −2·tanh·(1 − tanh²)
  const x = nb.tensor([-1.2, -0.3, 0, 0.7, 2]);
  const outerTape = new nb.GradientTape();
  outerTape.watch(x);
  const g = outerTape.record(() => {
    const inner = new nb.GradientTape();
    inner.watch(x);
    const y = inner.record(() => nb.tanh(x));
    return inner.gradient(y, x)!;
  });
  const t = [...x.values].map(Math.tanh);
  assertClose(g, t.map((v) => 1 - v * v));
  assertClose(outerTape.gradient(g, x)!, t.map((v) => -2 * v * (1 - v * v)));
});

test('second order: mul — d²(xy)/dxdy = 1 and d²(x·x)/dx² = 2', () => {
  const x = nb.tensor([1.5, -2]);
  const y = nb.tensor([3, 0.5]);
  const outerTape = new nb.GradientTape({ persistent: true });
  outerTape.watch(x, y);
  const [gx, gxx] = outerTape.record(() => {
    const inner = new nb.GradientTape({ persistent: true });
    inner.watch(x);
    const p = inner.record(() => nb.mul(x, y));
    const sq = inner.record(() => nb.mul(x, x));
    return [inner.gradient(p, x)!, inner.gradient(sq, x)!];
  });
  assertClose(gx!, [3, 0.5]);
  assertClose(outerTape.gradient(gx!, y)!, [1, 1]);
  assertClose(outerTape.gradient(gx!, x, { unconnectedGradients: 'zero' })!, [0, 0]);
  assertClose(gxx!, [3, -4]);
  assertClose(outerTape.gradient(gxx!, x)!, [2, 2]);
});

test('second order: smooth unary ops and arithmetic against central differences', () => {
  const w = rand([4], -1, 1, 3);
  const smooth: [string, (x: nb.Tensor) => nb.Tensor, nb.Tensor][] = [
    ['tanh', nb.tanh, MIXED],
    ['sigmoid', nb.sigmoid, MIXED],
    ['exp', nb.exp, MIXED],
    ['log', nb.log, POSITIVE],
    ['sqrt', nb.sqrt, POSITIVE],
    ['rsqrt', nb.rsqrt, POSITIVE],
    ['reciprocal', nb.reciprocal, POSITIVE],
    ['softplus', nb.softplus, MIXED],
    ['elu', (x) => nb.elu(x), MIXED],
    ['selu', nb.selu, MIXED],
    ['erf', nb.erf, MIXED],
    ['gelu', nb.gelu, MIXED],
    ['sin', nb.sin, MIXED],
    ['cos', nb.cos, MIXED],
    ['square', nb.square, MIXED],
    ['log1p', nb.log1p, POSITIVE],
    ['expm1', nb.expm1, MIXED],
  ];
  for (const [name, f, x] of smooth) {
    assert.doesNotThrow(() => gradCheck(firstGrad(f, w), [x]), name);
  }
  const v = rand([2, 3], -1, 1, 4);
  const pairs: ((a: nb.Tensor, b: nb.Tensor) => nb.Tensor)[] = [nb.mul, nb.div, (a, b) => nb.mul(nb.add(a, b), nb.sub(a, b))];
  for (const f of pairs) {
    const gradA = (a: nb.Tensor, b: nb.Tensor): nb.Tensor => {
      const tape = new nb.GradientTape();
      tape.watch(a);
      const y = tape.record(() => nb.sum(nb.mul(v, f(a, b))));
      return tape.gradient(y, a)!;
    };
    gradCheck(gradA, [rand([2, 3], 0.5, 1.5, 5), rand([3], 0.5, 1.5, 6)]);
  }
});

test('add / sub / mul / div: values with broadcasting', () => {
  const a = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  assertClose(nb.add(a, nb.tensor([10, 20, 30])), [[11, 22, 33], [14, 25, 36]]);
  assertClose(nb.sub(a, nb.tensor([[1], [2]])), [[0, 1, 2], [2, 3, 4]]);
  assertClose(nb.mul(nb.tensor([[1], [2]]), nb.tensor([1, 2, 3])), [[1, 2, 3], [2, 4, 6]]);
  assertClose(nb.div(a, 2), [[0.5, 1, 1.5], [2, 2.5, 3]]);
  assertClose(nb.sub(10, nb.tensor([1, 2])), [9, 8]);
  assertClose(nb.div(1, nb.tensor([0, -0.5])), [Infinity, -2]);
});

test('add / sub / mul / div: int32 semantics', () => {
  assert.deepEqual([...nb.add(int([1, 2]), 3).values], [4, 5]);
  assert.deepEqual([...nb.mul(int([65536, -3]), int([65536, 4])).values], [0, -12]); // wraps like int32
  assert.deepEqual([...nb.div(int([7, -7, 6]), int([2, 2, -4])).values], [3, -4, -2]); // floor division
  assert.equal(nb.sub(int([1]), int([3])).dtype, 'int32');
});

test('add / sub / mul / div: gradients with broadcasting', () => {
  for (const f of [nb.add, nb.sub, nb.mul, nb.div]) {
    gradCheck(f, [rand([2, 3], 0.5, 1.5, 7), rand([3], 0.5, 1.5, 8)]);
    gradCheck(f, [rand([2, 1], 0.5, 1.5, 9), rand([1, 3], 0.5, 1.5, 10)]);
    gradCheck(f, [rand([], 0.5, 1.5, 11), rand([2, 2], 0.5, 1.5, 12)]);
    gradCheck(f, [rand([4, 1, 2], 0.5, 1.5, 13), rand([3, 1], 0.5, 1.5, 14)]);
  }
});

test('arithmetic: dtype and shape errors name the op and both operands', () => {
  assert.throws(() => nb.add(nb.tensor([1]), int([1])), (e: unknown) => e instanceof nb.DTypeError && /add/.test(e.message) && /int32/.test(e.message));
  assert.throws(
    () => nb.mul(nb.zeros([2, 3]), nb.zeros([2])),
    (e: unknown) => e instanceof nb.ShapeError && /mul/.test(e.message) && e.message.includes('[2,3]') && e.message.includes('[2]'),
  );
  assert.throws(() => nb.add(int([1]), 0.5), nb.DTypeError);
  assert.throws(() => nb.add(bool([true]), bool([true])), nb.DTypeError);
});

test('comparisons and logical ops: values, bool output, broadcasting', () => {
  const a = nb.tensor([1, 2, 3]);
  const b = nb.tensor([3, 2, 1]);
  assert.deepEqual(nb.equal(a, b).arraySync(), [false, true, false]);
  assert.deepEqual(nb.notEqual(a, b).arraySync(), [true, false, true]);
  assert.deepEqual(nb.less(a, b).arraySync(), [true, false, false]);
  assert.deepEqual(nb.lessEqual(a, b).arraySync(), [true, true, false]);
  assert.deepEqual(nb.greater(a, b).arraySync(), [false, false, true]);
  assert.deepEqual(nb.greaterEqual(a, b).arraySync(), [false, true, true]);
  assert.deepEqual(nb.greater(nb.tensor([[1], [3]]), nb.tensor([2, 0])).arraySync(), [[false, true], [true, true]]);
  assert.deepEqual(nb.equal(nb.tensor([NaN]), nb.tensor([NaN])).arraySync(), [false]);
  const p = bool([true, true, false, false]);
  const q = bool([true, false, true, false]);
  assert.deepEqual(nb.logicalAnd(p, q).arraySync(), [true, false, false, false]);
  assert.deepEqual(nb.logicalOr(p, q).arraySync(), [true, true, true, false]);
  assert.deepEqual(nb.logicalXor(p, q).arraySync(), [false, true, true, false]);
  assert.deepEqual(nb.logicalNot(p).arraySync(), [false, false, true, true]);
  assert.equal(nb.equal(a, b).dtype, 'bool');
  assert.throws(() => nb.logicalAnd(a, b), nb.DTypeError);
  assert.throws(() => nb.less(bool([true]), bool([false])), nb.DTypeError);
});

test('comparisons are not differentiable', () => {
  const x = nb.tensor([1, 2]);
  const [g] = gradients((t) => nb.cast(nb.greater(t, 1.5), 'float32'), [x]);
  assert.equal(g, null);
});

test('where: values with broadcasting, and gradients to the chosen branch', () => {
  const cond = bool([true, false, true]);
  assertClose(nb.where(cond, nb.tensor([1, 2, 3]), nb.tensor([10, 20, 30])), [1, 20, 3]);
  assertClose(nb.where(nb.tensor([[true], [false]]), nb.tensor([1, 2]), 0), [[1, 2], [0, 0]]);
  const [ga, gb] = gradients((a, b) => nb.where(cond, a, b), [nb.tensor([1, 2, 3]), nb.scalar(5)]);
  assertClose(ga!, [1, 0, 1]);
  assertClose(gb!, 1);
  gradCheck((a, b) => nb.where(nb.tensor([[true, false, true], [false, false, true]]), a, b), [rand([3], -1, 1, 15), rand([2, 1], -1, 1, 16)]);
  assert.throws(() => nb.where(nb.tensor([1]), nb.tensor([1]), nb.tensor([2])), (e: unknown) => e instanceof nb.DTypeError && /where/.test(e.message));
  assert.throws(() => nb.where(cond, nb.tensor([1, 2, 3]), int([1, 2, 3])), nb.DTypeError);
});

test('cast: conversions, and gradients only through float-to-float paths', () => {
  assert.deepEqual([...nb.cast(nb.tensor([1.7, -1.7, 0.2]), 'int32').values], [1, -1, 0]);
  assert.deepEqual(nb.cast(nb.tensor([0, 2, -0.5]), 'bool').arraySync(), [false, true, true]);
  assertClose(nb.cast(int([3, -2]), 'float32'), [3, -2]);
  assert.deepEqual([...nb.cast(bool([true, false]), 'int32').values], [1, 0]);
  const x = nb.tensor([1.5, 2.5]);
  assert.equal(nb.cast(x, 'float32'), x);
  const [g] = gradients((t) => nb.cast(nb.cast(t, 'int32'), 'float32'), [x]);
  assert.equal(g, null); // no gradient through integers, as in TensorFlow
  assert.throws(() => nb.cast(x, 'float64' as never), nb.DTypeError);
  gradCheck((t) => nb.mul(nb.cast(t, 'float32'), 2), [x]);
});

test('stopGradient and identity', () => {
  const x = nb.tensor([1, 2]);
  assert.equal(gradients((t) => nb.mul(nb.stopGradient(t), t), [x])[0]!.values[1], 2);
  gradCheck((t) => nb.identity(t), [x]);
});
