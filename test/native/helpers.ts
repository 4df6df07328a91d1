import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { DType, TypedArray } from '../../src/core/dtype.js';
import type { KernelTable, TensorData } from '../../src/backend/kernels.js';
import { referenceKernels } from '../../src/backend/registry.js';
import { loadAddon, type NativeAddon } from '../../src/backend/native/addon.js';
import { createNativeKernels } from '../../src/backend/native/kernels.js';

export interface Native {
  addon: NativeAddon;
  kernels: Partial<KernelTable>;
}

const load = loadAddon();

/** The addon and its kernel table, or undefined after skipping the test when it is not built. */
export function native(t: TestContext): Native | undefined {
  if ('reason' in load) {
    t.skip(`native addon not built: ${load.reason}`);
    return undefined;
  }
  // Every size goes to the addon here, tiny ones included (normally they go to the reference).
  return { addon: load.addon, kernels: createNativeKernels(load.addon, { smallToReference: false }) };
}

export const reference: KernelTable = referenceKernels();

/** SIMD levels to exercise (the portable fallback too when the CPU has AVX2) and thread counts. */
export function configurations(addon: NativeAddon): { simd: 'generic' | 'avx2-fma'; threads: number }[] {
  const simd = addon.info().detectedSimd === 'avx2-fma' ? (['avx2-fma', 'generic'] as const) : (['generic'] as const);
  return simd.flatMap((s) => [1, 3].map((threads) => ({ simd: s, threads })));
}

/** Runs `body` under every configuration, restoring the detected SIMD level and 2 threads after. */
export function forEachConfiguration(addon: NativeAddon, body: (label: string) => void): void {
  try {
    for (const c of configurations(addon)) {
      addon.setSimd(c.simd);
      addon.setNumThreads(c.threads);
      body(`${c.simd}, ${c.threads} threads`);
    }
  } finally {
    addon.setSimd('avx2-fma');
    addon.setNumThreads(2);
  }
}

let seed = 12345;
/** Deterministic uniform values in [lo, hi). */
export function randomValues(n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    a[i] = lo + (seed / 4294967296) * (hi - lo);
  }
  return a;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function tensor(shape: number[], values?: TypedArray, dtype: DType = 'float32'): TensorData {
  const v = values ?? (dtype === 'float32' ? randomValues(sizeOf(shape)) : dtype === 'int32' ? new Int32Array(sizeOf(shape)) : new Uint8Array(sizeOf(shape)));
  return { shape, dtype, values: v };
}

export function zerosLike(shape: number[], dtype: DType = 'float32'): TensorData {
  const n = sizeOf(shape);
  const values = dtype === 'float32' ? new Float32Array(n).fill(NaN) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  return { shape, dtype, values };
}

/**
 * Asserts |actual - expected| <= atol + rtol |expected| element-wise; NaNs and infinities must
 * match exactly.
 */
export function assertClose(actual: TypedArray, expected: TypedArray, rtol: number, atol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      assert.ok(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${label}: [${i}] is ${a}, expected ${e}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      assert.fail(`${label}: [${i}] is ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${atol + rtol * Math.abs(e)})`);
    }
  }
}
