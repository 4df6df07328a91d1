import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { dot, matMul, outer } from '../../src/ops/linalg.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

/** Plain triple loop over one [m,k]·[k,n] pair, as the oracle. */
function naiveMatMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((acc, v, p) => acc + v * b[p]![j]!, 0)));
}

const A = [[1, 2, 3], [4, 5, 6]];
const B = [[7, 8], [9, 10], [11, 12]];

test('matMul: 2-D product against a hand-checked result', () => {
  assertClose(matMul(nb.tensor(A), nb.tensor(B)), [[58, 64], [139, 154]]);
  assertClose(matMul(nb.tensor(A), nb.tensor(B)), naiveMatMul(A, B));
});

test('matMul: transposeA / transposeB', () => {
  const at = nb.tensor([[1, 4], [2, 5], [3, 6]]); // Aᵀ
  const bt = nb.tensor([[7, 9, 11], [8, 10, 12]]); // Bᵀ
  const expected = [[58, 64], [139, 154]];
  assertClose(matMul(at, nb.tensor(B), true, false), expected);
  assertClose(matMul(nb.tensor(A), bt, false, true), expected);
  assertClose(matMul(at, bt, true, true), expected);
});

test('matMul: batched with broadcast batch dims', () => {
  const a = rand([2, 1, 3, 4], -1, 1, 1);
  const b = rand([5, 4, 2], -1, 1, 2);
  const c = matMul(a, b);
  assert.deepEqual(c.shape, [2, 5, 3, 2]);
  const av = a.arraySync() as number[][][][];
  const bv = b.arraySync() as number[][][];
  const cv = c.arraySync() as number[][][][];
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 5; j++) {
      const expected = naiveMatMul(av[i]![0]!, bv[j]!);
      assertClose(nb.tensor(cv[i]![j]!), expected, 1e-5, `batch ${i},${j}`);
    }
  }
  assert.deepEqual(matMul(nb.ones([3, 2]), nb.ones([4, 2, 5])).shape, [4, 3, 5]);
});

test('matMul: int32 and zero-size dims', () => {
  const c = matMul(nb.tensor(A, undefined, 'int32'), nb.tensor(B, undefined, 'int32'));
  assert.equal(c.dtype, 'int32');
  assert.deepEqual(c.arraySync(), [[58, 64], [139, 154]]);
  assertClose(matMul(nb.zeros([2, 0]), nb.zeros([0, 3])), [[0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(matMul(nb.zeros([0, 4]), nb.zeros([4, 3])).shape, [0, 3]);
});

test('matMul: gradients for every transpose combination', () => {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const a = rand(tA ? [3, 2] : [2, 3], -1, 1, 3);
      const b = rand(tB ? [4, 3] : [3, 4], -1, 1, 4);
      gradCheck((x, y) => matMul(x, y, tA, tB), [a, b]);
    }
  }
});

test('matMul: Gram matrices (one tensor on both sides) get the summed gradient, eager and in graphs', () => {
  const a = rand([5, 3], -1, 1, 21);
  const w = rand([3, 3], -1, 1, 22), w2 = rand([5, 5], -1, 1, 23);
  gradCheck((x) => nb.mul(matMul(x, x, true, false), w), [a]);
  gradCheck((x) => nb.mul(matMul(x, x, false, true), w2), [a]);
  // The same tensor as operand and through an identity on one side must agree (the general rule).
  const viaTape = (same: boolean) => {
    const tape = new nb.GradientTape();
    tape.watch(a);
    const y = tape.record(() => nb.sum(nb.mul(matMul(a, same ? a : nb.identity(a), true, false), w)));
    return tape.gradient(y, a)!;
  };
  assertClose(viaTape(true), viaTape(false).arraySync() as number[][], 1e-5);
  // Traced: nb.function builds the same gradient symbolically.
  const traced = nb.function((x: nb.Tensor) => {
    const tape = new nb.GradientTape();
    tape.watch(x);
    const y = tape.record(() => nb.sum(nb.mul(matMul(x, x, true, false), w)));
    return tape.gradient(y, x)!;
  });
  assertClose(traced(a), viaTape(false).arraySync() as number[][], 1e-5);
});

test('matMul: gradients sum over broadcast batch dims', () => {
  gradCheck((x, y) => matMul(x, y), [rand([2, 3], -1, 1, 5), rand([4, 3, 2], -1, 1, 6)]);
  gradCheck((x, y) => matMul(x, y, true, false), [rand([2, 1, 3, 2], -1, 1, 7), rand([3, 3, 2], -1, 1, 8)]);
});

test('matMul: second-order gradient (nested tapes) matches central differences', () => {
  // f(A, B) = Σ W ⊙ (A·B)²; its gradient wrt A is itself differentiated against numeric values.
  const w = rand([2, 2], -1, 1, 9);
  const gradA = (a: nb.Tensor, b: nb.Tensor): nb.Tensor => {
    const tape = new nb.GradientTape();
    tape.watch(a);
    const y = tape.record(() => nb.sum(nb.mul(w, nb.square(matMul(a, b)))));
    return tape.gradient(y, a)!;
  };
  gradCheck(gradA, [rand([2, 3], -1, 1, 10), rand([3, 2], -1, 1, 11)]);
});

test('matMul: second-order gradient of a bilinear form is the other operand', () => {
  // y = Σ A·B, so dy/dA = 1·Bᵀ (row sums of B) and d/dB of Σ(dy/dA) = all ones.
  const a = nb.tensor([[1, 2], [3, 4]]);
  const b = nb.tensor([[5, 6], [7, 8]]);
  const outerTape = new nb.GradientTape();
  outerTape.watch(b);
  const ga = outerTape.record(() => {
    const inner = new nb.GradientTape();
    inner.watch(a);
    const y = inner.record(() => nb.sum(matMul(a, b)));
    return inner.gradient(y, a)!;
  });
  assertClose(ga, [[11, 15], [11, 15]]);
  assertClose(outerTape.gradient(ga, b)!, [[2, 2], [2, 2]]);
});

test('matMul: shape errors name both shapes and the dims that must match', () => {
  assert.throws(
    () => matMul(nb.zeros([2, 3]), nb.zeros([4, 5])),
    (e: unknown) =>
      e instanceof nb.ShapeError &&
      e.message.includes('matMul') &&
      e.message.includes('[2,3]') &&
      e.message.includes('[4,5]') &&
      /dimension 1 of a \(3\) must equal dimension 0 of b \(4\)/.test(e.message),
  );
  assert.throws(() => matMul(nb.zeros([3]), nb.zeros([3, 2])), (e: unknown) => e instanceof nb.ShapeError && /rank >= 2/.test(e.message));
  assert.throws(
    () => matMul(nb.zeros([2, 2, 3]), nb.zeros([3, 3, 4])),
    (e: unknown) => e instanceof nb.ShapeError && /batch/.test(e.message) && e.message.includes('[2,2,3]'),
  );
  assert.throws(() => matMul(nb.zeros([2, 2]), nb.zeros([2, 2], 'int32')), nb.DTypeError);
  assert.throws(() => matMul(nb.zeros([2, 2], 'bool'), nb.zeros([2, 2], 'bool')), nb.DTypeError);
});

test('dot: vector·vector, matrix·vector, vector·matrix, matrix·matrix', () => {
  const v = nb.tensor([1, 2, 3]);
  const s = dot(v, nb.tensor([4, 5, 6]));
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), 32);
  assertClose(dot(nb.tensor(A), v), [14, 32]);
  assertClose(dot(nb.tensor([1, 1]), nb.tensor(A)), [5, 7, 9]);
  assertClose(dot(nb.tensor(A), nb.tensor(B)), [[58, 64], [139, 154]]);
  gradCheck(dot, [rand([3], -1, 1, 12), rand([3], -1, 1, 13)]);
  gradCheck(dot, [rand([2, 3], -1, 1, 14), rand([3], -1, 1, 15)]);
});

test('dot: errors for mismatched or unsupported ranks', () => {
  assert.throws(() => dot(nb.zeros([3]), nb.zeros([4])), (e: unknown) => e instanceof nb.ShapeError && /dot/.test(e.message) && /\(3\).*\(4\)/.test(e.message));
  assert.throws(() => dot(nb.zeros([2, 2, 2]), nb.zeros([2])), (e: unknown) => e instanceof nb.ShapeError && /rank 1 or 2/.test(e.message));
});

test('outer: values, gradients and errors', () => {
  assertClose(outer(nb.tensor([1, 2]), nb.tensor([3, 4, 5])), [[3, 4, 5], [6, 8, 10]]);
  gradCheck(outer, [rand([2], -1, 1, 16), rand([3], -1, 1, 17)]);
  assert.throws(() => outer(nb.zeros([2, 2]), nb.zeros([2])), (e: unknown) => e instanceof nb.ShapeError && /outer/.test(e.message));
});
