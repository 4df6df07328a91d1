import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, tensor, zerosLike } from './helpers.js';

// [rows, channels]: one row, channel counts around the vector width, and sizes large enough to
// split the statistics into per-thread chunks.
const SHAPES: [number, number][] = [[1, 1], [3, 7], [13, 3], [7, 13], [127, 8], [1000, 16], [64, 127], [4096, 64], [5, 1000], [0, 4]];

test('native batchNormTrain and batchNormTrainGrad match the reference (with and without gamma/beta)', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [rows, C] of SHAPES) {
      for (const affine of [true, false]) {
        const x = tensor([rows, C], randomValues(rows * C, -3, 5));
        const gamma = affine ? tensor([C], randomValues(C, 0.5, 2)) : null;
        const beta = affine ? tensor([C]) : null;
        const fwd = () => [zerosLike([rows, C]), zerosLike([C]), zerosLike([C]), zerosLike([C])];
        const want = fwd();
        const got = fwd();
        reference.batchNormTrain(x, gamma, beta, 1e-3, want[0]!, want[1]!, want[2]!, want[3]!);
        nat.kernels.batchNormTrain!(x, gamma, beta, 1e-3, got[0]!, got[1]!, got[2]!, got[3]!);
        const tag = `${label}, [${rows},${C}], affine ${affine}`;
        ['y', 'mean', 'variance', 'invStd'].forEach((name, k) => assertClose(got[k]!.values, want[k]!.values, 1e-4, 1e-5, `${tag}: ${name}`));
        const dy = tensor([rows, C]);
        const bwd = () => [zerosLike([rows, C]), zerosLike([C]), zerosLike([C])];
        const wantG = bwd();
        const gotG = bwd();
        reference.batchNormTrainGrad(x, dy, want[1]!, want[3]!, gamma, wantG[0]!, wantG[1]!, wantG[2]!);
        nat.kernels.batchNormTrainGrad!(x, dy, want[1]!, want[3]!, gamma, gotG[0]!, gotG[1]!, gotG[2]!);
        ['dx', 'dgamma', 'dbeta'].forEach((name, k) => assertClose(gotG[k]!.values, wantG[k]!.values, 1e-4, 1e-4, `${tag}: ${name}`));
      }
    }
  });
});

test('native batch norm kernels reject inconsistent lengths with typed errors', (t) => {
  const nat = native(t);
  if (!nat) return;
  const x = tensor([4, 6]);
  const stat = () => zerosLike([6]);
  assert.throws(() => nat.kernels.batchNormTrain!(x, tensor([5]), null, 1e-3, zerosLike([4, 6]), stat(), stat(), stat()), ShapeError);
  assert.throws(() => nat.addon.batchNormTrain(new Float32Array(25), null, null, 1e-3, new Float32Array(25), new Float32Array(6), new Float32Array(6), new Float32Array(6)), /not rows of 6 channels/);
  assert.throws(() => nat.kernels.batchNormTrainGrad!(x, tensor([4, 5]), stat(), stat(), null, zerosLike([4, 6]), stat(), stat()), ShapeError);
});
