import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinaryKind, UnaryKind } from '../../src/backend/kernels.js';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, sizeOf, tensor, zerosLike } from './helpers.js';

const arithmetic: BinaryKind[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'floorDiv', 'mod', 'reluGrad'];
const comparisons: BinaryKind[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

const broadcastPairs: [number[], number[], number[]][] = [
  [[7, 13], [7, 13], [7, 13]],
  [[7, 13], [], [7, 13]],
  [[], [7, 13], [7, 13]],
  [[3, 1], [1, 4], [3, 4]],
  [[2, 3, 4], [4], [2, 3, 4]],
  [[2, 1, 4], [3, 1], [2, 3, 4]],
  [[1000], [1000], [1000]],
  [[127, 13], [13], [127, 13]],
  [[13], [127, 13], [127, 13]],
  [[127, 1], [127, 13], [127, 13]],
  [[0, 3], [3], [0, 3]],
  [[5], [1], [5]],
  [[1, 1], [1], [1, 1]],
  [[300, 400], [300, 400], [300, 400]],
  [[300, 400], [400], [300, 400]],
  [[300, 1, 20], [1, 40, 20], [300, 40, 20]],
];

/** Random values with a few NaNs, infinities, zeros and repeats mixed in. */
function withSpecials(n: number): Float32Array {
  const v = randomValues(n, -3, 3);
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1, 2];
  for (let i = 0; i < n; i += 17) v[i] = specials[(i / 17) % specials.length]!;
  return v;
}

test('native binary kinds match the reference with broadcasting and special values', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [aShape, bShape, outShape] of broadcastPairs) {
      const a = tensor(aShape, withSpecials(sizeOf(aShape)));
      const b = tensor(bShape, withSpecials(sizeOf(bShape)).map((x, i) => (i % 5 === 0 ? x : x + 0.25)));
      for (const kind of [...arithmetic, ...comparisons]) {
        const dtype = comparisons.includes(kind) ? 'bool' : 'float32';
        const got = zerosLike(outShape, dtype), want = zerosLike(outShape, dtype);
        nat.kernels.binary!(kind, a, b, got);
        reference.binary(kind, a, b, want);
        const rtol = kind === 'pow' ? 1e-5 : 1e-6;
        assertClose(got.values, want.values, rtol, 1e-6, `${label}: ${kind} [${aShape}] [${bShape}]`);
      }
    }
  });
});

test('native binary writes in place into a full-size input', (t) => {
  const nat = native(t);
  if (!nat) return;
  const a = tensor([100]), b = tensor([100]);
  const want = zerosLike([100]);
  reference.binary('mul', a, b, want);
  nat.kernels.binary!('mul', a, b, a);
  assertClose(a.values, want.values, 0, 0, 'in place');
});

test('native binary passes int32 and logical kinds to the reference', (t) => {
  const nat = native(t);
  if (!nat) return;
  const a = tensor([4], Int32Array.from([7, -7, 9, 0]), 'int32');
  const b = tensor([4], Int32Array.from([2, 2, -4, 3]), 'int32');
  const out = zerosLike([4], 'int32');
  nat.kernels.binary!('floorDiv', a, b, out);
  assert.deepEqual([...out.values], [3, -4, -3, 0]);
  const p = tensor([3], Uint8Array.from([1, 0, 1]), 'bool'), q = tensor([3], Uint8Array.from([1, 1, 0]), 'bool');
  const o = zerosLike([3], 'bool');
  nat.kernels.binary!('logicalAnd', p, q, o);
  assert.deepEqual([...o.values], [1, 0, 0]);
});

const unaryKinds: UnaryKind[] = [
  'neg', 'abs', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sigmoid', 'tanh',
  'relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'softplus', 'gelu', 'erf', 'sin', 'cos', 'sign', 'floor',
  'ceil', 'round', 'clip', 'step', 'identity',
];

test('native unary kinds match the reference (sizes 0 to 100000, special values)', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const n of [0, 1, 3, 7, 13, 127, 1000, 100000]) {
      const wide = withSpecials(n).map((x, i) => (i % 3 === 0 ? x * 30 : x));
      wide[Math.min(5, n - 1)] = 2.5; // round half to even
      for (const kind of unaryKinds) {
        const x = tensor([n], wide);
        const got = zerosLike([n]), want = zerosLike([n]);
        const [alpha, beta] = kind === 'clip' ? [-0.5, 1.5] : [0.2, 0];
        nat.kernels.unary!(kind, x, got, alpha, beta);
        reference.unary(kind, x, want, alpha, beta);
        // erf and gelu: the reference uses a 1.2e-7 approximation of erf.
        const atol = kind === 'erf' || kind === 'gelu' ? 5e-7 : 1e-6;
        assertClose(got.values, want.values, 2e-6, atol, `${label}: ${kind} n=${n}`);
      }
    }
  });
});

test('native element-wise kernels reject bad input with typed errors', (t) => {
  const nat = native(t);
  if (!nat) return;
  const k = nat.kernels;
  assert.throws(() => k.binary!('add', tensor([2, 3]), tensor([4]), zerosLike([2, 3])), ShapeError);
  assert.throws(() => k.binary!('add', tensor([2, 3]), tensor([3]), zerosLike([3, 3])), ShapeError);
  assert.throws(() => k.binary!('add', { ...tensor([2, 3]), values: new Float32Array(2) }, tensor([3]), zerosLike([2, 3])), ShapeError);
  assert.throws(() => k.unary!('exp', tensor([5]), zerosLike([4]), 0, 0), ShapeError);
  const shared = new Float32Array(10);
  assert.throws(
    () => k.unary!('exp', tensor([8], shared.subarray(0, 8)), tensor([8], shared.subarray(2, 10)), 0, 0),
    InvalidArgumentError,
  );
  const raw = nat.addon as unknown as Record<string, (...args: unknown[]) => void>;
  assert.throws(() => raw['binary']!('frobnicate', new Float32Array(1), [1], new Float32Array(1), [1], new Float32Array(1), [1]), /unsupported kind/);
  assert.throws(() => raw['binary']!('less', new Float32Array(1), [1], new Float32Array(1), [1], new Float32Array(1), [1]), /Uint8Array/);
  assert.throws(() => raw['unary']!('exp', new Float32Array(1), new Float32Array(1), 'a', 0), /number/);
});
