import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DTypeError, InvalidArgumentError, ShapeError } from '../../src/core/errors.js';
import { createNativeKernels } from '../../src/backend/native/kernels.js';
import { assertClose, forEachConfiguration, native, reference, tensor, zerosLike, type Native } from './helpers.js';

interface Case {
  aBatch: number[];
  bBatch: number[];
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

function broadcast(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1, db = b[b.length - rank + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Runs one case on the native kernel and the reference and compares (rtol 1e-4, scaled atol). */
function check(nat: Native, c: Case, label: string): void {
  const aShape = [...c.aBatch, ...(c.transA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...c.bBatch, ...(c.transB ? [c.n, c.k] : [c.k, c.n])];
  const outShape = [...broadcast(c.aBatch, c.bBatch), c.m, c.n];
  const a = tensor(aShape), b = tensor(bShape);
  const got = zerosLike(outShape), want = zerosLike(outShape);
  nat.kernels.matMul!(a, b, got, c.transA, c.transB);
  reference.matMul(a, b, want, c.transA, c.transB);
  const name = `${label}: a [${aShape}]${c.transA ? 'T' : ''} b [${bShape}]${c.transB ? 'T' : ''}`;
  assertClose(got.values, want.values, 1e-4, 2e-6 * Math.sqrt(c.k + 1) * 10, name);
}

function transposes(): [boolean, boolean][] {
  return [[false, false], [true, false], [false, true], [true, true]];
}

test('native matMul matches the reference on odd, square and non-square sizes, all transposes', (t) => {
  const nat = native(t);
  if (!nat) return;
  const sizes = [1, 3, 7, 13, 127];
  forEachConfiguration(nat.addon, (label) => {
    for (const [transA, transB] of transposes()) {
      for (const m of sizes) for (const k of [1, 7, 127]) for (const n of sizes) {
        check(nat, { aBatch: [], bBatch: [], m, k, n, transA, transB }, label);
      }
      check(nat, { aBatch: [], bBatch: [], m: 1000, k: 13, n: 7, transA, transB }, label);
      check(nat, { aBatch: [], bBatch: [], m: 7, k: 1000, n: 13, transA, transB }, label);
      check(nat, { aBatch: [], bBatch: [], m: 13, k: 7, n: 1000, transA, transB }, label);
      check(nat, { aBatch: [], bBatch: [], m: 200, k: 300, n: 170, transA, transB }, label);
    }
  });
});

test('native matMul spans several cache blocks (long K, wide N) within 1e-4', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    check(nat, { aBatch: [], bBatch: [], m: 150, k: 1100, n: 40, transA: false, transB: false }, label);
    check(nat, { aBatch: [], bBatch: [], m: 20, k: 300, n: 3200, transA: true, transB: true }, label);
  });
});

test('native matMul matches the reference on the MLP training-step products (x.W, dy.W^T, x^T.dy)', (t) => {
  const nat = native(t);
  if (!nat) return;
  // 784-512-256-10 at batch 128: few rows (column groups over shared packed A, K in several
  // blocks), many rows (row bands), and N = 10 (A read in place).
  forEachConfiguration(nat.addon, (label) => {
    for (const [inp, outp] of [[784, 512], [512, 256], [256, 10]] as const) {
      check(nat, { aBatch: [], bBatch: [], m: 128, k: inp, n: outp, transA: false, transB: false }, `${label} fwd`);
      check(nat, { aBatch: [], bBatch: [], m: 128, k: outp, n: inp, transA: false, transB: true }, `${label} dx`);
      check(nat, { aBatch: [], bBatch: [], m: inp, k: 128, n: outp, transA: true, transB: false }, `${label} dw`);
    }
  });
});

test('native matMul parallel paths: small M by column groups, large M by row bands, edges', (t) => {
  const nat = native(t);
  if (!nat) return;
  forEachConfiguration(nat.addon, (label) => {
    for (const [transA, transB] of transposes()) {
      // Few rows, wide N: every partial row panel height (1..5) and a full one, one A pass.
      for (const m of [1, 2, 5, 6, 7, 11]) check(nat, { aBatch: [], bBatch: [], m, k: 300, n: 500, transA, transB }, label);
      // Tiny A (each column task packs it itself).
      check(nat, { aBatch: [], bBatch: [], m: 128, k: 10, n: 256, transA, transB }, label);
      // Few rows, K long enough for several passes over a shared A (and a partial last block).
      check(nat, { aBatch: [], bBatch: [], m: 280, k: 1100, n: 100, transA, transB }, label);
      // Many rows, N within one panel: A read in place by each band.
      check(nat, { aBatch: [], bBatch: [], m: 1000, k: 300, n: 10, transA, transB }, label);
      // Many rows, several nc blocks of B.
      check(nat, { aBatch: [], bBatch: [], m: 300, k: 20, n: 3100, transA, transB }, label);
    }
  });
});

test('native matMul large products use shared packed B and dynamic row tasks within 1e-4', (t) => {
  const nat = native(t);
  if (!nat) return;
  // Above ~256 MFLOP the row scheme packs B once per (nc, kc) block for all threads.
  forEachConfiguration(nat.addon, (label) => {
    if (label.endsWith(' 1 threads')) return;
    check(nat, { aBatch: [], bBatch: [], m: 700, k: 600, n: 333, transA: false, transB: false }, label);
    check(nat, { aBatch: [], bBatch: [], m: 701, k: 530, n: 347, transA: true, transB: true }, label);
  });
});

test('native matMul handles zero-size dims (k = 0 gives zeros)', (t) => {
  const nat = native(t);
  if (!nat) return;
  for (const [m, k, n] of [[0, 5, 3], [5, 0, 3], [5, 3, 0], [0, 0, 0]] as const) {
    for (const [transA, transB] of transposes()) {
      check(nat, { aBatch: [], bBatch: [], m, k, n, transA, transB }, 'zero-size');
    }
  }
  check(nat, { aBatch: [0], bBatch: [], m: 3, k: 4, n: 5, transA: false, transB: false }, 'zero batch');
});

test('native matMul broadcasts batch dims like the reference', (t) => {
  const nat = native(t);
  if (!nat) return;
  const batches: [number[], number[]][] = [
    [[2, 3], [3]],
    [[1, 4], [3, 1]],
    [[5], []],
    [[], [5]],
    [[2, 1, 3], [4, 1]],
    [[4, 5], []],
    [[17], [17]],
    [[40], [40]],
  ];
  forEachConfiguration(nat.addon, (label) => {
    for (const [aBatch, bBatch] of batches) {
      for (const [transA, transB] of transposes()) {
        check(nat, { aBatch, bBatch, m: 13, k: 7, n: 19, transA, transB }, label);
      }
      check(nat, { aBatch, bBatch, m: 64, k: 64, n: 64, transA: false, transB: false }, label);
    }
  });
});

test('native matMul passes int32 to the reference kernel', (t) => {
  const nat = native(t);
  if (!nat) return;
  const a = tensor([2, 3], Int32Array.from([1, 2, 3, 4, 5, 6]), 'int32');
  const b = tensor([3, 2], Int32Array.from([7, 8, 9, 10, 11, 12]), 'int32');
  const out = zerosLike([2, 2], 'int32');
  nat.kernels.matMul!(a, b, out, false, false);
  assert.deepEqual([...out.values], [58, 64, 139, 154]);
});

test('native matMul rejects bad input with typed errors, never a crash', (t) => {
  const nat = native(t);
  if (!nat) return;
  const mm = nat.kernels.matMul!;
  const good = () => ({ a: tensor([2, 3]), b: tensor([3, 4]), out: zerosLike([2, 4]) });
  let g = good();
  assert.throws(() => mm({ ...g.a, values: new Float32Array(5) }, g.b, g.out, false, false), ShapeError);
  assert.throws(() => mm(g.a, tensor([4, 4]), g.out, false, false), ShapeError);
  assert.throws(() => mm(g.a, g.b, zerosLike([2, 5]), false, false), ShapeError);
  assert.throws(() => mm(g.a, g.b, g.out, true, false), ShapeError);
  assert.throws(() => mm(tensor([3, 2, 3]), tensor([2, 3, 4]), zerosLike([3, 2, 4]), false, false), ShapeError);
  assert.throws(() => mm(tensor([3]), g.b, g.out, false, false), ShapeError);
  assert.throws(() => mm({ ...g.a, values: new Int32Array(6) }, g.b, g.out, false, false), DTypeError);
  const square = tensor([3, 3]);
  assert.throws(() => mm(square, tensor([3, 3]), square, false, false), InvalidArgumentError);
  g = good();
  const raw = nat.addon.matMul as unknown as (...args: unknown[]) => void;
  assert.throws(() => raw(), /expected 8 arguments/);
  assert.throws(() => raw(g.a.values, 'x', g.b.values, [3, 4], g.out.values, [2, 4], false, false), /aShape/);
  assert.throws(() => raw(g.a.values, [2, 3], g.b.values, [3, 4], g.out.values, [2, 4], 0, false), /boolean/);
  assert.throws(() => raw(g.a.values, [2, -3], g.b.values, [3, 4], g.out.values, [2, 4], false, false), /dims/);
  assert.throws(() => raw(g.a.values, [2, 1.5], g.b.values, [3, 4], g.out.values, [2, 4], false, false), /dims/);
  assert.throws(() => raw(g.a.values, [2, 3], g.b.values, [3, 4], new Float64Array(8), [2, 4], false, false), /Float32Array/);
  assert.throws(() => raw(g.a.values, [2, 3], g.b.values, [3, 4], g.out.values, [1e300, 4], false, false), /dims|values/);
  const big = 2 ** 27;
  assert.throws(() => raw(g.a.values, [big, big, 0], g.b.values, [3, 4], g.out.values, [2, 4], false, false), /too many/);
  // Still works after all that.
  g = good();
  mm(g.a, g.b, g.out, false, false);
  const want = zerosLike([2, 4]);
  reference.matMul(g.a, g.b, want, false, false);
  assertClose(g.out.values, want.values, 1e-5, 1e-6, 'after errors');
});

test('default native kernels send tiny products to the reference and still agree', (t) => {
  const nat = native(t);
  if (!nat) return;
  const kernels = createNativeKernels(nat.addon);
  for (const [m, k, n] of [[2, 3, 4], [1, 1, 1], [8, 8, 8], [9, 9, 9]] as const) {
    const a = tensor([m, k]), b = tensor([k, n]);
    const got = zerosLike([m, n]), want = zerosLike([m, n]);
    kernels.matMul!(a, b, got, false, false);
    reference.matMul(a, b, want, false, false);
    assertClose(got.values, want.values, 1e-5, 1e-6, `${m}x${k}x${n}`);
  }
});
