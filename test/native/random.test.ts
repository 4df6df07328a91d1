import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { getBackend, listBackends, setBackend } from '../../src/backend/registry.js';
import { forEachConfiguration, native, reference } from './helpers.js';

// Counter-based Philox: the native fills must equal the reference bit for bit, for every length
// (partial last blocks, ranges split across threads) and key.
const SIZES = [0, 1, 3, 4, 5, 7, 13, 127, 1000, 40_000, 70_001];
const KEYS: [number, number][] = [[0, 0], [1, 2], [0xffffffff, 0x80000000], [0x12345678, 0x9abcdef0]];

const filled = (n: number, fill: (out: Float32Array) => void): Float32Array => {
  const out = new Float32Array(n).fill(NaN);
  fill(out);
  return out;
};

test('native philoxUniform equals the reference bit for bit (sizes, keys, bounds, the top clamp)', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const n of SIZES) {
      for (const [k0, k1] of KEYS) {
        for (const [minval, width, top] of [[0, 1, 0.99999994], [-3, 5, 1.9999999], [10, 1e-3, 10.000999]] as const) {
          const want = filled(n, (o) => reference.philoxUniform(o, k0, k1, minval, width, top));
          const got = filled(n, (o) => nat.kernels.philoxUniform!(o, k0, k1, minval, width, top));
          assert.deepEqual(got, want, `${label}, n=${n}, key ${k0},${k1}, [${minval}, +${width})`);
        }
      }
    }
  });
});

test('native philoxKeepMask equals the reference bit for bit', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const n of SIZES) {
      for (const [k0, k1] of KEYS) {
        for (const rate of [0.1, 0.5, 0.9]) {
          const want = filled(n, (o) => reference.philoxKeepMask(o, k0, k1, rate, 1 / (1 - rate)));
          const got = filled(n, (o) => nat.kernels.philoxKeepMask!(o, k0, k1, rate, 1 / (1 - rate)));
          assert.deepEqual(got, want, `${label}, n=${n}, key ${k0},${k1}, rate ${rate}`);
        }
      }
    }
  });
});

test('native random fills reject keys outside uint32 with a typed error', (t) => {
  const nat = native(t);
  if (!nat) return;
  const out = new Float32Array(8);
  assert.throws(() => nat.addon.philoxUniform(out, -1, 0, 0, 1, 1), (e: Error) => /philoxUniform: k0 must be an integer in \[0, 2\^32\)/.test(e.message));
  assert.throws(() => nat.kernels.philoxKeepMask!(new Float32Array(1000), 0, 2 ** 32, 0.5, 2), InvalidArgumentError);
  assert.throws(() => nat.kernels.philoxKeepMask!(new Float32Array(1000), 0.5, 1, 0.5, 2), InvalidArgumentError);
});

test('seeded randomUniform and dropout give identical values on the native and js backends', (t) => {
  if (!native(t)) return;
  if (!listBackends().includes('native')) {
    t.skip('the native backend is not registered in this run (NABLA_BACKEND=js); the kernel-level tests above compare it');
    return;
  }
  const before = getBackend();
  const draw = (backend: string) => {
    setBackend(backend);
    nb.setSeed(1234);
    const u = nb.randomUniform([3, 1001], -2, 2);
    const d = nb.dropout(nb.ones([70_001]), 0.3);
    return [u.dataSync(), d.dataSync()];
  };
  try {
    const [uJs, dJs] = draw('js');
    const [uNative, dNative] = draw('native');
    assert.deepEqual(uNative, uJs);
    assert.deepEqual(dNative, dJs);
    const kept = Array.from(dJs!).filter((v) => v !== 0).length / dJs!.length;
    assert.ok(Math.abs(kept - 0.7) < 0.01, `kept fraction ${kept}`);
  } finally {
    setBackend(before);
  }
});
