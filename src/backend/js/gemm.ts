// The reference backend's blocked GEMM, which its convolutions are lowered to (im2col tiles).

/** Depth of a k-block: A's 4 rows and B's panel for one block stay in L1/L2 cache. */
const KC = 256;
/** Width of a panel of B's columns. */
const NC = 64;

/**
 * C[m×n] += A[m×k] · B[k×n] with strided operands, so one routine serves A·B, Aᵀ·B and A·Bᵀ:
 * A(i,p) = a[aOff + i*aRow + p*aCol], B(p,j) = b[bOff + p*bRow + j*bCol], C row-major with `ldc`.
 * Blocked over k and n so a panel of B is reused from cache, with a 4×4 register tile inside.
 */
export function gemm(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = Math.min(NC, n - j0);
      gemmBlock(m, nc, kc, a, aOff + p0 * aCol, aRow, aCol, b, bOff + p0 * bRow + j0 * bCol, bRow, bCol, c, cOff + j0, ldc);
    }
  }
}

function gemmBlock(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const aI = aOff + i * aRow;
    const cI = cOff + i * ldc;
    for (let j = 0; j < n4; j += 4) tile4x4(k, a, aI, aRow, aCol, b, bOff + j * bCol, bRow, bCol, c, cI + j, ldc);
    if (n4 < n) gemmEdge(4, n - n4, k, a, aI, aRow, aCol, b, bOff + n4 * bCol, bRow, bCol, c, cI + n4, ldc);
  }
  if (m4 < m) gemmEdge(m - m4, n, k, a, aOff + m4 * aRow, aRow, aCol, b, bOff, bRow, bCol, c, cOff + m4 * ldc, ldc);
}

/** The register tile: 16 accumulators, 8 loads per 16 multiply-adds. */
function tile4x4(
  k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  const aRow2 = 2 * aRow, aRow3 = 3 * aRow, bCol2 = 2 * bCol, bCol3 = 3 * bCol;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = aOff, pb = bOff;
  for (let p = 0; p < k; p++) {
    const a0 = a[pa]!, a1 = a[pa + aRow]!, a2 = a[pa + aRow2]!, a3 = a[pa + aRow3]!;
    const b0 = b[pb]!, b1 = b[pb + bCol]!, b2 = b[pb + bCol2]!, b3 = b[pb + bCol3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    pa += aCol;
    pb += bRow;
  }
  let o = cOff;
  c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
  o += ldc;
  c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
  o += ldc;
  c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
  o += ldc;
  c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
}

/** Rows and columns left over by the 4×4 tiles: one dot product per element. */
function gemmEdge(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      let pa = aOff + i * aRow, pb = bOff + j * bCol;
      for (let p = 0; p < k; p++) {
        acc += a[pa]! * b[pb]!;
        pa += aCol;
        pb += bRow;
      }
      c[cOff + i * ldc + j] += acc;
    }
  }
}
