import type { LinalgKernels } from '../kernels.js';
import { broadcastStrides } from './broadcast.js';

/**
 * C[m,n] += sum_k A[m,k] B[k,n] for one matrix pair, with optional transposes, as an i-k-j loop
 * over rows of B (cache friendly for the reference backend).
 */
function gemm(
  a: Float32Array | Int32Array | Uint8Array, aOff: number,
  b: Float32Array | Int32Array | Uint8Array, bOff: number,
  c: Float32Array | Int32Array | Uint8Array, cOff: number,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
  row: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n);
    for (let p = 0; p < k; p++) {
      const av = transA ? a[aOff + p * m + i]! : a[aOff + i * k + p]!;
      if (av === 0) continue;
      if (transB) {
        for (let j = 0; j < n; j++) row[j]! += av * b[bOff + j * k + p]!;
      } else {
        const bRow = bOff + p * n;
        for (let j = 0; j < n; j++) row[j]! += av * b[bRow + j]!;
      }
    }
    const cRow = cOff + i * n;
    for (let j = 0; j < n; j++) c[cRow + j] = row[j]!;
  }
}

export const linalgKernels: LinalgKernels = {
  matMul(a, b, out, transposeA, transposeB) {
    const ra = a.shape.length, rb = b.shape.length, ro = out.shape.length;
    const m = out.shape[ro - 2]!;
    const n = out.shape[ro - 1]!;
    const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const batchShape = out.shape.slice(0, ro - 2);
    const aStrides = broadcastStrides(a.shape.slice(0, ra - 2), batchShape);
    const bStrides = broadcastStrides(b.shape.slice(0, rb - 2), batchShape);
    let batch = 1;
    for (const d of batchShape) batch *= d;
    const row = new Float64Array(n);
    const idx = new Array<number>(batchShape.length).fill(0);
    let aBatch = 0, bBatch = 0;
    for (let t = 0; t < batch; t++) {
      gemm(a.values, aBatch * m * k, b.values, bBatch * k * n, out.values, t * m * n, m, n, k, transposeA, transposeB, row);
      for (let d = batchShape.length - 1; d >= 0; d--) {
        idx[d]!++;
        aBatch += aStrides[d]!;
        bBatch += bStrides[d]!;
        if (idx[d]! < batchShape[d]!) break;
        aBatch -= aStrides[d]! * batchShape[d]!;
        bBatch -= bStrides[d]! * batchShape[d]!;
        idx[d] = 0;
      }
    }
  },
};
