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

test('native sparseSoftmaxCrossEntropy matches the reference (loss and probabilities), rejects bad labels', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (config) => {
    for (const [rows, cols] of [[1, 1], [3, 7], [13, 3], [128, 10], [7, 1000], [0, 5], [1000, 13]] as const) {
      const logits = tensor([rows, cols], randomValues(rows * cols, -20, 20));
      const labels = tensor([rows], Int32Array.from({ length: rows }, (_, i) => (i * 7) % cols), 'int32');
      const want = [zerosLike([rows]), zerosLike([rows, cols])];
      const got = [zerosLike([rows]), zerosLike([rows, cols])];
      reference.sparseSoftmaxCrossEntropy(logits, labels, want[0]!, want[1]!);
      nat.kernels.sparseSoftmaxCrossEntropy!(logits, labels, got[0]!, got[1]!);
      assertClose(got[0]!.values, want[0]!.values, 1e-5, 1e-5, `${config}: [${rows},${cols}] loss`);
      assertClose(got[1]!.values, want[1]!.values, 1e-5, 1e-7, `${config}: [${rows},${cols}] probs`);
    }
  });
  const bad = tensor([2], Int32Array.from([0, 5]), 'int32');
  assert.throws(() => nat.addon.sparseSoftmaxCrossEntropy(new Float32Array(10), bad.values as Int32Array, new Float32Array(2), new Float32Array(10), 5), /label 5 at row 1 is outside \[0, 5\)/);
  assert.throws(() => nat.addon.sparseSoftmaxCrossEntropy(new Float32Array(9), Int32Array.from([0, 1]), new Float32Array(2), new Float32Array(10), 5), /expected logits and probs of 2 x 5/);
});
