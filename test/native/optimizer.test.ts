import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, InvalidArgumentError } from '../../src/core/errors.js';
import { assertClose, forEachConfiguration, native, randomValues, reference } from './helpers.js';

const SIZES = [0, 1, 3, 7, 13, 127, 1000, 40_000, 70_001];

function state(n: number) {
  return { p: randomValues(n), g: randomValues(n), m: randomValues(n, -0.1, 0.1), v: randomValues(n, 0, 0.1) };
}

test('native adamUpdate matches the reference (slots in place, parameters to out, out may alias p)', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const n of SIZES) {
      const a = state(n);
      const b = { p: a.p.slice(), g: a.g.slice(), m: a.m.slice(), v: a.v.slice() };
      const outA = new Float32Array(n);
      reference.adamUpdate(a.p, a.g, a.m, a.v, outA, 0.01, 0.9, 0.999, 1e-7);
      nat.kernels.adamUpdate!(b.p, b.g, b.m, b.v, b.p, 0.01, 0.9, 0.999, 1e-7);
      assertClose(b.m, a.m, 1e-6, 1e-7, `${label}, n=${n}: m`);
      assertClose(b.v, a.v, 1e-6, 1e-8, `${label}, n=${n}: v`);
      assertClose(b.p, outA, 1e-5, 1e-6, `${label}, n=${n}: params`);
    }
  });
});

test('native sgdUpdate matches the reference: plain, momentum, Nesterov', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const n of SIZES) {
      for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
        const a = state(n);
        const mB = a.m.slice();
        const outA = new Float32Array(n);
        const outB = new Float32Array(n);
        reference.sgdUpdate(a.p, a.g, momentum ? a.m : null, outA, 0.1, momentum, nesterov);
        nat.kernels.sgdUpdate!(a.p, a.g, momentum ? mB : null, outB, 0.1, momentum, nesterov);
        assertClose(outB, outA, 1e-6, 1e-7, `${label}, n=${n}, momentum ${momentum}, nesterov ${nesterov}`);
        if (momentum) assertClose(mB, a.m, 1e-6, 1e-7, `${label}, n=${n}: momentum slot`);
      }
    }
  });
});

test('native optimizer updates reject mismatched lengths and aliased slots with typed errors', (t) => {
  const nat = native(t);
  if (!nat) return;
  const { p, g, m, v } = state(8);
  assert.throws(() => nat.addon.adamUpdate(p, g.subarray(0, 7), m, v, new Float32Array(8), 0.1, 0.9, 0.999, 1e-7), (e: Error) => /grad has 7 values/.test(e.message));
  assert.throws(() => nat.kernels.adamUpdate!(p, g, m, m, new Float32Array(8), 0.1, 0.9, 0.999, 1e-7), InvalidArgumentError);
  assert.throws(() => nat.kernels.sgdUpdate!(p, g, null, g, 0.1, 0, false), InvalidArgumentError);
  assert.throws(() => nat.kernels.sgdUpdate!(p, g, new Float32Array(3), new Float32Array(8), 0.1, 0.9, false), ShapeError);
});
