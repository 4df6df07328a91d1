import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, tensor, zerosLike } from './helpers.js';

// [rows, channels]: channel counts around the vector width, a single channel, zero rows, and a
// size large enough to split across threads.
const SHAPES: [number, number][] = [[1, 1], [3, 7], [13, 3], [7, 13], [127, 8], [1000, 16], [0, 5], [2048, 64], [5, 1000]];

test('native biasActivation matches the reference: relu and linear, with and without bias, separate and in place', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [rows, channels] of SHAPES) {
      for (const activation of ['relu', 'linear'] as const) {
        for (const withBias of [true, false]) {
          const x = tensor([rows, channels], randomValues(rows * channels, -2, 2));
          const bias = withBias ? tensor([channels]) : null;
          const want = zerosLike([rows, channels]);
          reference.biasActivation(x, bias, activation, want);
          const got = zerosLike([rows, channels]);
          nat.kernels.biasActivation!(x, bias, activation, got);
          const tag = `${label}, [${rows},${channels}], ${activation}, bias ${withBias}`;
          assertClose(got.values, want.values, 0, 0, tag);
          const inPlace = tensor([rows, channels], (x.values as Float32Array).slice());
          nat.kernels.biasActivation!(inPlace, bias, activation, inPlace);
          assertClose(inPlace.values, want.values, 0, 0, `${tag}, in place`);
        }
      }
    }
  });
});

test('native biasActivation rejects a bias that does not divide x and a short out', (t) => {
  const nat = native(t);
  if (!nat) return;
  const x = tensor([4, 6]);
  assert.throws(() => nat.addon.biasActivation(x.values as Float32Array, new Float32Array(5), true, new Float32Array(24)), (e: Error) => /not a whole number of rows of the bias's 5 channels/.test(e.message));
  assert.throws(() => nat.kernels.biasActivation!(x, tensor([6]), 'relu', { shape: [4, 5], dtype: 'float32', values: new Float32Array(20) }), ShapeError);
});
