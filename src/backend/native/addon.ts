import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Conv2DInfo } from '../kernels.js';

/** The raw entry points of build/Release/nabla_native.node (see native/*_binding.cc). */
export interface NativeAddon {
  info(): { threads: number; simd: string; detectedSimd: string };
  setNumThreads(threads: number): void;
  /** Lowers the SIMD dispatch level (tests use 'generic' to exercise the portable kernels). */
  setSimd(level: 'generic' | 'avx2-fma'): string;
  matMul(
    a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[],
    out: Float32Array, outShape: readonly number[], transposeA: boolean, transposeB: boolean,
  ): void;
  /** Float32 inputs; `out` is a Uint8Array for the comparison kinds. */
  binary(
    kind: string, a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[],
    out: Float32Array | Uint8Array, outShape: readonly number[],
  ): void;
  unary(kind: string, x: Float32Array, out: Float32Array, alpha: number, beta: number): void;
  reduce(kind: string, x: Float32Array, xShape: readonly number[], axes: readonly number[], out: Float32Array): void;
  /** Softmax (or log-softmax) over the last axis. */
  softmax(x: Float32Array, xShape: readonly number[], out: Float32Array, log: boolean): void;
  sparseSoftmaxCrossEntropy(logits: Float32Array, labels: Int32Array, loss: Float32Array, probs: Float32Array, classes: number): void;
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  maxPool(x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  avgPool(x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  avgPoolGrad(dy: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  adamUpdate(
    p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array,
    alpha: number, beta1: number, beta2: number, epsilon: number,
  ): void;
  sgdUpdate(p: Float32Array, g: Float32Array, m: Float32Array | null, out: Float32Array, lr: number, momentum: number, nesterov: boolean): void;
  batchNormTrain(
    x: Float32Array, gamma: Float32Array | null, beta: Float32Array | null, epsilon: number,
    y: Float32Array, mean: Float32Array, variance: Float32Array, invStd: Float32Array,
  ): void;
  batchNormTrainGrad(
    x: Float32Array, dy: Float32Array, mean: Float32Array, invStd: Float32Array, gamma: Float32Array | null,
    dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
  ): void;
  biasActivation(x: Float32Array, bias: Float32Array | null, relu: boolean, out: Float32Array): void;
  /** A fused element-wise program: 5 ints per instruction in `code`, 2 floats in `params` (native/fused_binding.cc). */
  fusedElementwise(code: Int32Array, params: Float32Array, registers: number, inputs: readonly Float32Array[], out: Float32Array): void;
  /** The kind codes `code` uses. */
  fusedElementwiseKinds(): { unary: Record<string, number>; binary: Record<string, number> };
  philoxUniform(out: Float32Array, k0: number, k1: number, minval: number, width: number, top: number): void;
  philoxKeepMask(out: Float32Array, k0: number, k1: number, rate: number, kept: number): void;
  gruSequence(
    xz: Float32Array, u: Float32Array, rb: Float32Array, h0: Float32Array, hs: Float32Array, saved: Float32Array,
    batch: number, time: number, units: number,
  ): void;
  gruSequenceGrad(
    u: Float32Array, h0: Float32Array, hs: Float32Array, saved: Float32Array, dhs: Float32Array,
    dxz: Float32Array, du: Float32Array, drb: Float32Array, dh0: Float32Array, batch: number, time: number, units: number,
  ): void;
  lstmSequence(
    xz: Float32Array, u: Float32Array, h0: Float32Array, c0: Float32Array, hs: Float32Array, cT: Float32Array, saved: Float32Array,
    batch: number, time: number, units: number,
  ): void;
  lstmSequenceGrad(
    u: Float32Array, h0: Float32Array, c0: Float32Array, hs: Float32Array, saved: Float32Array, dhs: Float32Array, dcT: Float32Array,
    dxz: Float32Array, du: Float32Array, dh0: Float32Array, dc0: Float32Array, batch: number, time: number, units: number,
  ): void;
}

/** The package root: the nearest folder above this module whose package.json names nabla. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nabla') return dir;
      } catch {
        // unreadable manifest: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json of nabla not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export type AddonLoad = { addon: NativeAddon } | { reason: string };

/** Loads the compiled addon, or says why it cannot be loaded. Works from src/ (tsx) and dist/. */
export function loadAddon(): AddonLoad {
  let path: string;
  try {
    path = join(packageRoot(), 'build', 'Release', 'nabla_native.node');
  } catch (e) {
    return { reason: (e as Error).message };
  }
  if (!existsSync(path)) return { reason: `${path} is not built` };
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    if (typeof addon.matMul !== 'function') return { reason: `${path} is not a nabla addon` };
    return { addon };
  } catch (e) {
    return { reason: `${path} failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}
