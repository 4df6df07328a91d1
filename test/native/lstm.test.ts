import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, InvalidArgumentError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference, tensor, zerosLike } from './helpers.js';
import type { TensorData } from '../../src/backend/kernels.js';

// [batch, time, units]: sizes 1, 3, 7, 13, a units count that is not a multiple of the 8-wide
// vector (so the scalar tail runs), a zero-size batch and a larger case that splits the gate pass
// across threads.
const DIMS: [number, number, number][] = [
  [1, 1, 1], [3, 7, 13], [7, 3, 5], [13, 1, 8], [2, 13, 3], [0, 4, 5], [64, 3, 130],
];

function forwardInputs(b: number, t: number, h: number) {
  return {
    xz: tensor([b, t, 4 * h], randomValues(b * t * 4 * h, -3, 3)),
    u: tensor([h, 4 * h], randomValues(h * 4 * h, -0.6, 0.6)),
    h0: tensor([b, h]),
    c0: tensor([b, h], randomValues(b * h, -2, 2)),
  };
}

function forwardOutputs(b: number, t: number, h: number) {
  return { hs: zerosLike([b, t, h]), cT: zerosLike([b, h]), saved: zerosLike([t, b, 6 * h]) };
}

test('native lstmSequence matches the reference (h of every step, last c, saved activations)', (tc) => {
  const nat = native(tc);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [b, t, h] of DIMS) {
      const i = forwardInputs(b, t, h);
      const want = forwardOutputs(b, t, h);
      const got = forwardOutputs(b, t, h);
      reference.lstmSequence(i.xz, i.u, i.h0, i.c0, want.hs, want.cT, want.saved);
      nat.kernels.lstmSequence!(i.xz, i.u, i.h0, i.c0, got.hs, got.cT, got.saved);
      const tag = `${label}, [${b},${t},${h}]`;
      assertClose(got.hs.values, want.hs.values, 1e-4, 1e-5, `${tag}: hs`);
      assertClose(got.cT.values, want.cT.values, 1e-4, 1e-5, `${tag}: cT`);
      assertClose(got.saved.values, want.saved.values, 1e-4, 1e-5, `${tag}: saved`);
    }
  });
});

test('native lstmSequenceGrad matches the reference (dxz, du, dh0, dc0)', (tc) => {
  const nat = native(tc);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [b, t, h] of DIMS) {
      const i = forwardInputs(b, t, h);
      const f = forwardOutputs(b, t, h);
      reference.lstmSequence(i.xz, i.u, i.h0, i.c0, f.hs, f.cT, f.saved);
      const dhs = tensor([b, t, h]);
      const dcT = tensor([b, h]);
      const outs = (): TensorData[] => [zerosLike([b, t, 4 * h]), zerosLike([h, 4 * h]), zerosLike([b, h]), zerosLike([b, h])];
      const want = outs();
      const got = outs();
      reference.lstmSequenceGrad(i.u, i.h0, i.c0, f.hs, f.saved, dhs, dcT, want[0]!, want[1]!, want[2]!, want[3]!);
      nat.kernels.lstmSequenceGrad!(i.u, i.h0, i.c0, f.hs, f.saved, dhs, dcT, got[0]!, got[1]!, got[2]!, got[3]!);
      ['dxz', 'du', 'dh0', 'dc0'].forEach((name, k) =>
        assertClose(got[k]!.values, want[k]!.values, 1e-4, 1e-5, `${label}, [${b},${t},${h}]: ${name}`),
      );
    }
  });
});

test('native lstmSequence saturates cleanly on extreme pre-activations (no NaN)', (tc) => {
  const nat = native(tc);
  if (!nat) return;
  const [b, t, h] = [2, 3, 9];
  const i = forwardInputs(b, t, h);
  i.xz.values.forEach((_, k) => ((i.xz.values as Float32Array)[k] = k % 3 === 0 ? 500 : k % 3 === 1 ? -500 : 0));
  const got = forwardOutputs(b, t, h);
  const want = forwardOutputs(b, t, h);
  reference.lstmSequence(i.xz, i.u, i.h0, i.c0, want.hs, want.cT, want.saved);
  nat.kernels.lstmSequence!(i.xz, i.u, i.h0, i.c0, got.hs, got.cT, got.saved);
  assertClose(got.hs.values, want.hs.values, 1e-5, 1e-6, 'hs');
  assertClose(got.saved.values, want.saved.values, 1e-5, 1e-6, 'saved');
});

test('native lstm kernels reject wrong lengths, bad dims and outputs aliasing inputs with typed errors', (tc) => {
  const nat = native(tc);
  if (!nat) return;
  const [b, t, h] = [2, 3, 4];
  const i = forwardInputs(b, t, h);
  const o = forwardOutputs(b, t, h);
  const f32 = (x: TensorData) => x.values as Float32Array;
  const call = (xz: Float32Array, hs: Float32Array, dims: [number, number, number] = [b, t, h]) =>
    nat.addon.lstmSequence(xz, f32(i.u), f32(i.h0), f32(i.c0), hs, f32(o.cT), f32(o.saved), ...dims);
  assert.throws(() => call(f32(i.xz).subarray(1), f32(o.hs)), (e: Error) => /lstmSequence: xz has 95 values .* need 96/.test(e.message));
  assert.throws(() => call(f32(i.xz), f32(o.hs), [b, t, 5]), (e: Error) => /xz has 96 values/.test(e.message));
  assert.throws(() => call(f32(i.xz), f32(o.hs), [b, -1, h]), (e: Error) => /non-negative integers/.test(e.message));
  assert.throws(() => call(f32(i.xz), f32(i.xz).subarray(0, b * t * h)), (e: Error) => /xz/.test(e.message));
  // Through the kernel table the same errors arrive as nabla's typed classes.
  assert.throws(() => nat.kernels.lstmSequence!(i.xz, i.u, i.h0, i.c0, { ...o.hs, shape: [b, t, h + 1] }, o.cT, o.saved), ShapeError);
  assert.throws(() => nat.kernels.lstmSequence!(i.xz, i.u, i.h0, i.c0, { ...i.xz, shape: [b, t, h], values: f32(i.xz).subarray(0, b * t * h) }, o.cT, o.saved), InvalidArgumentError);
  const g = [zerosLike([b, t, 4 * h]), zerosLike([h, 4 * h]), zerosLike([b, h]), zerosLike([b, h])];
  assert.throws(() => nat.kernels.lstmSequenceGrad!(i.u, i.h0, i.c0, o.hs, o.saved, tensor([b, t, h]), tensor([b, h + 1]), g[0]!, g[1]!, g[2]!, g[3]!), ShapeError);
});
