import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { floorDiv, maximum, minimum, mod, pow, squaredDifference } from '../../src/ops/binary-math.js';
import { assertClose, gradCheck, rand } from '../util/gradcheck.js';

const int = (values: number[]): nb.Tensor => nb.tensor(values, [values.length], 'int32');

function gradients(f: (...xs: nb.Tensor[]) => nb.Tensor, inputs: nb.Tensor[]): (nb.Tensor | null)[] {
  const tape = new nb.GradientTape();
  tape.watch(inputs);
  const y = tape.record(() => f(...inputs));
  return tape.gradient(y, inputs);
}

test('pow: values, broadcasting and int32', () => {
  assertClose(pow(nb.tensor([2, 3, 4]), 2), [4, 9, 16]);
  assertClose(pow(2, nb.tensor([0, 1, 3, -1])), [1, 2, 8, 0.5]);
  assertClose(pow(nb.tensor([[1], [2]]), nb.tensor([1, 2, 3])), [[1, 1, 1], [2, 4, 8]]);
  assertClose(pow(nb.tensor([4, 9]), 0.5), [2, 3]);
  const p = pow(int([2, 3]), int([3, 2]));
  assert.equal(p.dtype, 'int32');
  assert.deepEqual([...p.values], [8, 9]);
});

test('pow: gradients wrt base and exponent match central differences', () => {
  gradCheck(pow, [rand([2, 3], 0.5, 2, 1), rand([2, 3], -1.5, 1.5, 2)]);
  gradCheck(pow, [rand([2, 3], 0.5, 2, 3), rand([3], 0.5, 2, 4)]); // broadcast exponent
  gradCheck(pow, [rand([1, 3], 0.5, 2, 5), rand([2, 1], 1, 2, 6)]); // both broadcast
});

test('pow: the exponent gradient is 0 where the base is <= 0 (no NaN)', () => {
  const [ga, gb] = gradients(pow, [nb.tensor([-2, 0, 3]), nb.tensor([2, 2, 2])]);
  assertClose(ga!, [-4, 0, 6]);
  assertClose(gb!, [0, 0, 9 * Math.log(3)]);
});

test('maximum / minimum: values, NaN propagation and int32', () => {
  assertClose(maximum(nb.tensor([1, 5, -2]), 0), [1, 5, 0]);
  assertClose(minimum(nb.tensor([1, 5, -2]), 2), [1, 2, -2]);
  assertClose(maximum(nb.tensor([[1], [4]]), nb.tensor([2, 3])), [[2, 3], [4, 4]]);
  assertClose(maximum(nb.tensor([NaN, 1]), nb.tensor([0, NaN])), [NaN, NaN]);
  assert.deepEqual([...minimum(int([3, -1]), int([2, 2])).values], [2, -1]);
});

test('maximum / minimum: the gradient goes to the winner, ties to the first operand', () => {
  const a = nb.tensor([1, 5, 3]);
  const b = nb.tensor([2, 4, 3]);
  const [gaMax, gbMax] = gradients(maximum, [a, b]);
  assertClose(gaMax!, [0, 1, 1]);
  assertClose(gbMax!, [1, 0, 0]);
  const [gaMin, gbMin] = gradients(minimum, [a, b]);
  assertClose(gaMin!, [1, 0, 1]);
  assertClose(gbMin!, [0, 1, 0]);
  // away from ties, against numeric gradients, with broadcasting
  gradCheck(maximum, [nb.tensor([[0.1, 0.9], [0.6, 0.2]]), nb.tensor([0.5, 0.4])]);
  gradCheck(minimum, [nb.tensor([[0.1, 0.9], [0.6, 0.2]]), nb.tensor([0.5, 0.4])]);
  const [gScalar] = gradients((x) => maximum(x, nb.tensor([[1, -1], [2, -3]])), [nb.scalar(0)]);
  assertClose(gScalar!, 2); // broadcast scalar collects the two positions it won
});

test('squaredDifference: values and gradients', () => {
  assertClose(squaredDifference(nb.tensor([1, 4]), nb.tensor([3, 1])), [4, 9]);
  gradCheck(squaredDifference, [rand([2, 3], -1, 1, 7), rand([3], -1, 1, 8)]);
  const [ga, gb] = gradients(squaredDifference, [nb.tensor([1, 4]), nb.tensor([3, 1])]);
  assertClose(ga!, [-4, 6]);
  assertClose(gb!, [4, -6]);
});

test('floorDiv: rounds toward -infinity for floats and ints; not differentiable', () => {
  assertClose(floorDiv(nb.tensor([7, -7, 7.5]), 2), [3, -4, 3]);
  assert.deepEqual([...floorDiv(int([7, -7, 7, -7]), int([2, 2, -2, -2])).values], [3, -4, -4, 3]);
  const x = nb.tensor([3]);
  const [g] = gradients((t) => floorDiv(t, 2), [x]);
  assert.equal(g, null);
});

test('mod: floor-mod has the sign of the divisor (floats and ints)', () => {
  assertClose(mod(nb.tensor([7, -7, 7, -7, 5.5]), nb.tensor([3, 3, -3, -3, 2])), [1, 2, -2, -1, 1.5]);
  assert.deepEqual([...mod(int([7, -7, 7, -7]), int([3, 3, -3, -3])).values], [1, 2, -2, -1]);
});

test('mod: gradient is dy for a and -dy*floor(a/b) for b', () => {
  const [ga, gb] = gradients(mod, [nb.tensor([7, -7.5]), nb.tensor([3, 2])]);
  assertClose(ga!, [1, 1]);
  assertClose(gb!, [-2, 4]);
  gradCheck(mod, [nb.tensor([[7.3, -2.2], [1.6, 5.1]]), nb.tensor([2.5, 1.5])]);
});

test('binary math: dtype and shape errors name the op', () => {
  assert.throws(() => pow(nb.tensor([1, 2]), int([1, 2])), (e: unknown) => e instanceof nb.DTypeError && /pow/.test(e.message));
  assert.throws(() => maximum(nb.tensor([1, 2, 3]), nb.tensor([1, 2])), (e: unknown) => e instanceof nb.ShapeError && /maximum/.test(e.message) && /\[3\]/.test(e.message));
  assert.throws(() => mod(nb.tensor([true]), nb.tensor([false])), nb.DTypeError);
  assert.throws(() => floorDiv(int([1]), 0.5), nb.DTypeError);
});
