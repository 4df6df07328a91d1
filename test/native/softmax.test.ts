import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TensorData } from '../../src/backend/kernels.js';
import { ShapeError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, sizeOf, tensor, zerosLike } from './helpers.js';

/** Softmax over the last axis in double precision: the expected values. */
function expected(x: TensorData, log: boolean): Float32Array {
  const cols = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(x.values.length);
  for (let r = 0; r * cols < x.values.length; r++) {
    const row = Array.from(x.values.subarray(r * cols, (r + 1) * cols));
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    row.forEach((v, j) => (out[r * cols + j] = log ? v - max - Math.log(sum) : Math.exp(v - max) / sum));
  }
  return out;
}

/** The reference kernel's result, or undefined while it is not written yet. */
function referenceResult(x: TensorData, log: boolean): Float32Array | undefined {
  const out = zerosLike([...x.shape]);
  try {
    (log ? reference.logSoftmax : reference.softmax)(x, out);
  } catch (e) {
    if (/being written/.test((e as Error).message)) return undefined;
    throw e;
  }
  return out.values as Float32Array;
}

test('native softmax and logSoftmax match double-precision values and the reference', (t) => {
  const nat = native(t);
  if (!nat) return;
  const shapes = [[1], [7], [3, 13], [127, 10], [4, 1000], [2, 3, 7], [1000, 127], [5, 0], [0, 4]];
  forEachConfiguration(nat.addon, (label) => {
    for (const shape of shapes) {
      const x = tensor(shape, randomValues(sizeOf(shape), -20, 20));
      for (const log of [false, true]) {
        const got = zerosLike(shape);
        (log ? nat.kernels.logSoftmax! : nat.kernels.softmax!)(x, got);
        const name = `${label}: ${log ? 'logSoftmax' : 'softmax'} [${shape}]`;
        assertClose(got.values, expected(x, log), 1e-5, 1e-6, name);
        const ref = referenceResult(x, log);
        if (ref) assertClose(got.values, ref, 1e-5, 1e-6, `${name} vs reference`);
      }
    }
  });
});

test('native softmax rejects mismatched outputs', (t) => {
  const nat = native(t);
  if (!nat) return;
  assert.throws(() => nat.kernels.softmax!(tensor([2, 3]), zerosLike([5])), ShapeError);
});
