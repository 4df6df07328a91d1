import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, forEachConfiguration, native, randomValues, reference, tensor, zerosLike } from './helpers.js';
import type { TensorData } from '../../src/backend/kernels.js';

// [batch, time, units] as for the LSTM kernels: sizes 1, 3, 7, 13, a zero batch, and a step large
// enough to split the gate pass across threads.
const DIMS: [number, number, number][] = [[1, 1, 1], [3, 7, 13], [7, 3, 5], [13, 1, 8], [2, 13, 3], [0, 4, 5], [64, 3, 130]];

function inputs(b: number, t: number, h: number) {
  return {
    xz: tensor([b, t, 3 * h], randomValues(b * t * 3 * h, -3, 3)),
    u: tensor([h, 3 * h], randomValues(h * 3 * h, -0.6, 0.6)),
    rb: tensor([3 * h], randomValues(3 * h, -0.5, 0.5)),
    h0: tensor([b, h]),
  };
}

test('native gruSequence and gruSequenceGrad match the reference', (tc) => {
  const nat = native(tc);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [b, t, h] of DIMS) {
      const i = inputs(b, t, h);
      const fwd = () => ({ hs: zerosLike([b, t, h]), saved: zerosLike([t, b, 4 * h]) });
      const want = fwd();
      const got = fwd();
      reference.gruSequence(i.xz, i.u, i.rb, i.h0, want.hs, want.saved);
      nat.kernels.gruSequence!(i.xz, i.u, i.rb, i.h0, got.hs, got.saved);
      const tag = `${label}, [${b},${t},${h}]`;
      assertClose(got.hs.values, want.hs.values, 1e-4, 1e-5, `${tag}: hs`);
      assertClose(got.saved.values, want.saved.values, 1e-4, 1e-5, `${tag}: saved`);
      const dhs = tensor([b, t, h]);
      const outs = (): TensorData[] => [zerosLike([b, t, 3 * h]), zerosLike([h, 3 * h]), zerosLike([3 * h]), zerosLike([b, h])];
      const wantG = outs();
      const gotG = outs();
      reference.gruSequenceGrad(i.u, i.h0, want.hs, want.saved, dhs, wantG[0]!, wantG[1]!, wantG[2]!, wantG[3]!);
      nat.kernels.gruSequenceGrad!(i.u, i.h0, want.hs, want.saved, dhs, gotG[0]!, gotG[1]!, gotG[2]!, gotG[3]!);
      ['dxz', 'du', 'drb', 'dh0'].forEach((name, k) => assertClose(gotG[k]!.values, wantG[k]!.values, 1e-4, 1e-4, `${tag}: ${name}`));
    }
  });
});

test('native gru kernels reject wrong lengths and aliased outputs', (tc) => {
  const nat = native(tc);
  if (!nat) return;
  const [b, t, h] = [2, 3, 4];
  const i = inputs(b, t, h);
  const hs = zerosLike([b, t, h]);
  const saved = zerosLike([t, b, 4 * h]);
  const f32 = (x: TensorData) => x.values as Float32Array;
  assert.throws(() => nat.addon.gruSequence(f32(i.xz), f32(i.u), f32(i.rb).subarray(1), f32(i.h0), f32(hs), f32(saved), b, t, h), /gruSequence: rb has 11 values .* need 12/);
  assert.throws(() => nat.addon.gruSequence(f32(i.xz), f32(i.u), f32(i.rb), f32(i.h0), f32(i.xz).subarray(0, b * t * h), f32(saved), b, t, h), /xz/);
});
