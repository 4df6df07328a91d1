import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReduceKind } from '../../src/backend/kernels.js';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, sizeOf, tensor, zerosLike } from './helpers.js';

const kinds: ReduceKind[] = ['sum', 'mean', 'max', 'min', 'prod'];

/** Every subset of [0, rank), sorted. */
function subsets(rank: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < 1 << rank; m++) out.push([...Array(rank).keys()].filter((d) => m & (1 << d)));
  return out;
}

const cases: [number[], number[][]][] = [
  [[], [[]]],
  [[7], subsets(1)],
  [[7, 13], subsets(2)],
  [[3, 4, 5], subsets(3)],
  [[2, 3, 4, 5], subsets(4)],
  [[4, 1, 3], subsets(3)],
  [[1, 1, 5], subsets(3)],
  [[1000], [[0]]],
  [[127, 13], [[0], [1]]],
  [[0, 3], subsets(2)],
  [[3, 0], subsets(2)],
  [[300, 400], [[0], [1], [0, 1]]],
  [[70000], [[0]]],
  [[8, 300, 40], subsets(3)],
];

test('native reduce matches the reference over every axis subset', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [shape, axesList] of cases) {
      // Values near 1 keep products finite; one NaN row checks propagation through max/min.
      const values = randomValues(sizeOf(shape), 0.9, 1.1).map((v, i) => (i % 2 ? -v : v));
      const x = tensor(shape, values);
      for (const axes of axesList) {
        const outShape = shape.filter((_, d) => !axes.includes(d));
        const count = axes.reduce((p, a) => p * shape[a]!, 1);
        for (const kind of kinds) {
          const got = zerosLike(outShape), want = zerosLike(outShape);
          nat.kernels.reduce!(kind, x, axes, got);
          reference.reduce(kind, x, axes, want);
          const atol = kind === 'sum' ? 1e-6 * Math.sqrt(count + 1) : 1e-6;
          assertClose(got.values, want.values, 1e-5, atol, `${label}: ${kind} [${shape}] axes [${axes}]`);
        }
      }
    }
  });
});

test('native reduce propagates NaN through max and min', (t) => {
  const nat = native(t);
  if (!nat) return;
  const values = randomValues(64);
  values[37] = NaN;
  const x = tensor([8, 8], values);
  for (const kind of ['max', 'min', 'sum'] as const) {
    for (const axes of [[0], [1], [0, 1]]) {
      const outShape = [8, 8].filter((_, d) => !axes.includes(d));
      const got = zerosLike(outShape), want = zerosLike(outShape);
      nat.kernels.reduce!(kind, x, axes, got);
      reference.reduce(kind, x, axes, want);
      assertClose(got.values, want.values, 1e-6, 1e-6, `${kind} axes [${axes}]`);
    }
  }
});

test('native reduce rejects bad axes and outputs with typed errors', (t) => {
  const nat = native(t);
  if (!nat) return;
  const x = tensor([3, 4]);
  assert.throws(() => nat.kernels.reduce!('sum', x, [0], zerosLike([5])), ShapeError);
  assert.throws(() => nat.kernels.reduce!('sum', x, [2], zerosLike([3])), InvalidArgumentError);
  assert.throws(() => nat.kernels.reduce!('sum', x, [1, 0], zerosLike([])), InvalidArgumentError);
  assert.throws(() => nat.kernels.reduce!('sum', x, [0, 0], zerosLike([4])), InvalidArgumentError);
});
