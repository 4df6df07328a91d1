import type { Conv2DInfo, NNKernels, TensorData } from '../kernels.js';

/**
 * Reference kernels for convolution, pooling and resizing over NHWC images.
 *
 * Every loop nest keeps the channel dimension innermost, where memory is contiguous, and computes
 * the window bounds once per output row/column so that inner loops carry no bounds checks.
 * Regular convolutions are lowered to a blocked GEMM over im2col tiles.
 */

/** Kernel names provided here; the rest of NNKernels (softmax, logSoftmax) lives in nn.ts. */
export type ConvKernelName = Exclude<keyof NNKernels, 'softmax' | 'logSoftmax' | 'sparseSoftmaxCrossEntropy' | 'biasActivation' | 'batchNormTrain' | 'batchNormTrainGrad'>;

// ---------------------------------------------------------------------------------------------
// GEMM

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

// ---------------------------------------------------------------------------------------------
// Window bounds

/** First filter tap k with start + k*dilation >= 0. */
function tapLo(start: number, dilation: number): number {
  return start >= 0 ? 0 : Math.ceil(-start / dilation);
}

/** One past the last filter tap k (at most `filter`) with start + k*dilation < size. */
function tapHi(start: number, size: number, filter: number, dilation: number): number {
  return Math.max(0, Math.min(filter, Math.ceil((size - start) / dilation)));
}

/**
 * Walks output pixels of a window op in NHWC order, from `first` for `count` pixels. After each
 * `next()` that returns true, the fields describe the current pixel: where its output starts
 * (`outOff`, pixels `outPixelStride` elements apart), its image's first input row (`xImage`), the
 * input position of its window's top-left tap (`ih0`, `iw0`, possibly in the padding), and the
 * filter taps inside the input: rows [khLo, khHi) and columns [kwLo, kwHi).
 * A class rather than a callback so the kernels' loops stay inline and monomorphic.
 */
class WindowCursor {
  outOff = 0;
  xImage = 0;
  ih0 = 0;
  iw0 = 0;
  khLo = 0;
  khHi = 0;
  kwLo = 0;
  kwHi = 0;
  private n = 0;
  private oh = 0;
  private ow = 0;
  private remaining: number;

  constructor(private readonly info: Conv2DInfo, private readonly outPixelStride: number, first = 0, count = pixelCount(info) - first) {
    this.remaining = count;
    if (count <= 0) return;
    const { outHeight: OH, outWidth: OW } = info;
    const ow = first % OW;
    const row = (first - ow) / OW;
    this.oh = row % OH;
    this.n = (row - this.oh) / OH;
    this.ow = ow - 1;
    this.outOff = (first - 1) * outPixelStride;
    this.enterRow();
  }

  next(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining--;
    const info = this.info;
    this.outOff += this.outPixelStride;
    if (++this.ow === info.outWidth) {
      this.ow = 0;
      if (++this.oh === info.outHeight) {
        this.oh = 0;
        this.n++;
      }
      this.enterRow();
    }
    const iw0 = this.ow * info.strideWidth - info.padLeft;
    this.iw0 = iw0;
    this.kwLo = tapLo(iw0, info.dilationWidth);
    this.kwHi = tapHi(iw0, info.inWidth, info.filterWidth, info.dilationWidth);
    return true;
  }

  private enterRow(): void {
    const info = this.info;
    const ih0 = this.oh * info.strideHeight - info.padTop;
    this.ih0 = ih0;
    this.xImage = this.n * info.inHeight;
    this.khLo = tapLo(ih0, info.dilationHeight);
    this.khHi = tapHi(ih0, info.inHeight, info.filterHeight, info.dilationHeight);
  }
}

/** Output pixels: batch * outHeight * outWidth. */
function pixelCount(info: Conv2DInfo): number {
  return info.batch * info.outHeight * info.outWidth;
}

// ---------------------------------------------------------------------------------------------
// im2col

/** Patch length of one output pixel: fh * fw * inChannels. */
function patchSize(info: Conv2DInfo): number {
  return info.filterHeight * info.filterWidth * info.inChannels;
}

/** Output pixels (rows of the im2col matrix) per tile, so a tile of patches is about 128 KiB. */
function tileRows(k: number, total: number): number {
  const rows = Math.max(16, Math.min(1024, Math.floor(32768 / Math.max(k, 1))));
  return Math.max(1, Math.min(total, rows - (rows % 4)));
}

/** A 1×1 window with stride 1 and no padding: the input itself is the im2col matrix. */
function isPointwise(info: Conv2DInfo): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padTop === 0 && info.padLeft === 0 && info.outHeight === info.inHeight && info.outWidth === info.inWidth;
}

/** Copies the patches of output pixels [row0, row0 + rows) into `col` (rows × patchSize), zeros for padding. */
function im2col(x: Float32Array, info: Conv2DInfo, row0: number, rows: number, col: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW, dilationHeight: dh, dilationWidth: dw } = info;
  const rowLen = FW * C;
  let d = 0;
  for (const px = new WindowCursor(info, 0, row0, rows); px.next();) {
    const ih0 = px.ih0, iw0 = px.iw0, image = px.xImage;
    for (let kh = 0; kh < FH; kh++) {
      const ih = ih0 + kh * dh;
      if (ih < 0 || ih >= H) {
        col.fill(0, d, d + rowLen);
        d += rowLen;
        continue;
      }
      const xRow = (image + ih) * W;
      for (let kw = 0; kw < FW; kw++) {
        const iw = iw0 + kw * dw;
        if (iw < 0 || iw >= W) {
          col.fill(0, d, d + C);
          d += C;
          continue;
        }
        let s = (xRow + iw) * C;
        for (let c = 0; c < C; c++) col[d++] = x[s++]!;
      }
    }
  }
}

/** Adds the patches in `col` back onto the input positions they came from (the adjoint of im2col). */
function col2im(col: Float32Array, info: Conv2DInfo, row0: number, rows: number, dx: Float32Array): void {
  const { inWidth: W, inChannels: C, filterWidth: FW, dilationHeight: dh, dilationWidth: dw } = info;
  const k = patchSize(info);
  let patch = 0;
  for (const px = new WindowCursor(info, 0, row0, rows); px.next(); patch += k) {
    const ih0 = px.ih0, iw0 = px.iw0, image = px.xImage;
    for (let kh = px.khLo; kh < px.khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = px.kwLo; kw < px.kwHi; kw++) {
        let s = patch + (kh * FW + kw) * C;
        let t = (xRow + iw0 + kw * dw) * C;
        for (let c = 0; c < C; c++) dx[t++] += col[s++]!;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Convolution: out[pixel, oc] = Σ_{kh,kw,ic} x[window(pixel, kh, kw), ic] · filter[kh, kw, ic, oc]

function f32(t: TensorData): Float32Array {
  return t.values as Float32Array;
}

function conv2d(x: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = f32(x), fv = f32(filter), ov = f32(out);
  const k = patchSize(info), oc = info.outChannels;
  const total = pixelCount(info);
  ov.fill(0);
  if (isPointwise(info)) {
    gemm(total, oc, k, xv, 0, k, 1, fv, 0, oc, 1, ov, 0, oc);
    return;
  }
  const tile = tileRows(k, total);
  const col = new Float32Array(tile * k);
  for (let row0 = 0; row0 < total; row0 += tile) {
    const rows = Math.min(tile, total - row0);
    im2col(xv, info, row0, rows, col);
    gemm(rows, oc, k, col, 0, k, 1, fv, 0, oc, 1, ov, row0 * oc, oc);
  }
}

/** dx = col2im(dy · filterᵀ), with filter viewed as a [patchSize × outChannels] matrix. */
function conv2dBackpropInput(dy: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void {
  const dyv = f32(dy), fv = f32(filter), dx = f32(out);
  const k = patchSize(info), oc = info.outChannels;
  const total = pixelCount(info);
  dx.fill(0);
  if (isPointwise(info)) {
    gemm(total, k, oc, dyv, 0, oc, 1, fv, 0, 1, oc, dx, 0, k);
    return;
  }
  const tile = tileRows(k, total);
  const col = new Float32Array(tile * k);
  for (let row0 = 0; row0 < total; row0 += tile) {
    const rows = Math.min(tile, total - row0);
    col.fill(0, 0, rows * k);
    gemm(rows, k, oc, dyv, row0 * oc, oc, 1, fv, 0, 1, oc, col, 0, k);
    col2im(col, info, row0, rows, dx);
  }
}

/** dfilter = im2col(x)ᵀ · dy, accumulated over tiles of output pixels. */
function conv2dBackpropFilter(x: TensorData, dy: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = f32(x), dyv = f32(dy), df = f32(out);
  const k = patchSize(info), oc = info.outChannels;
  const total = pixelCount(info);
  df.fill(0);
  if (isPointwise(info)) {
    gemm(k, oc, total, xv, 0, 1, k, dyv, 0, oc, 1, df, 0, oc);
    return;
  }
  const tile = tileRows(k, total);
  const col = new Float32Array(tile * k);
  for (let row0 = 0; row0 < total; row0 += tile) {
    const rows = Math.min(tile, total - row0);
    im2col(xv, info, row0, rows, col);
    gemm(k, oc, rows, col, 0, 1, k, dyv, row0 * oc, oc, 1, df, 0, oc);
  }
}

// ---------------------------------------------------------------------------------------------
// Depthwise convolution: out[pixel, c*M + m] = Σ_{kh,kw} x[window(pixel, kh, kw), c] · filter[kh, kw, c, m]

function depthwiseConv2d(x: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = f32(x), fv = f32(filter), ov = f32(out);
  const { inWidth: W, inChannels: C, channelMultiplier: M, filterWidth: FW, dilationHeight: dh, dilationWidth: dw } = info;
  const OC = C * M;
  ov.fill(0);
  for (const w = new WindowCursor(info, OC); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C, fOff = (kh * FW + kw) * OC;
        if (M === 1) {
          for (let c = 0; c < C; c++) ov[oOff + c] += xv[xOff + c]! * fv[fOff + c]!;
          continue;
        }
        for (let c = 0, j = 0; c < C; c++) {
          const xc = xv[xOff + c]!;
          for (let m = 0; m < M; m++, j++) ov[oOff + j] += xc * fv[fOff + j]!;
        }
      }
    }
  }
}

function depthwiseConv2dBackpropInput(dy: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void {
  const dyv = f32(dy), fv = f32(filter), dx = f32(out);
  const { inWidth: W, inChannels: C, channelMultiplier: M, filterWidth: FW, dilationHeight: dh, dilationWidth: dw } = info;
  const OC = C * M;
  dx.fill(0);
  for (const w = new WindowCursor(info, OC); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C, fOff = (kh * FW + kw) * OC;
        if (M === 1) {
          for (let c = 0; c < C; c++) dx[xOff + c] += dyv[oOff + c]! * fv[fOff + c]!;
          continue;
        }
        for (let c = 0, j = 0; c < C; c++) {
          let acc = 0;
          for (let m = 0; m < M; m++, j++) acc += dyv[oOff + j]! * fv[fOff + j]!;
          dx[xOff + c] += acc;
        }
      }
    }
  }
}

function depthwiseConv2dBackpropFilter(x: TensorData, dy: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = f32(x), dyv = f32(dy), df = f32(out);
  const { inWidth: W, inChannels: C, channelMultiplier: M, filterWidth: FW, dilationHeight: dh, dilationWidth: dw } = info;
  const OC = C * M;
  df.fill(0);
  for (const w = new WindowCursor(info, OC); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C, fOff = (kh * FW + kw) * OC;
        if (M === 1) {
          for (let c = 0; c < C; c++) df[fOff + c] += xv[xOff + c]! * dyv[oOff + c]!;
          continue;
        }
        for (let c = 0, j = 0; c < C; c++) {
          const xc = xv[xOff + c]!;
          for (let m = 0; m < M; m++, j++) df[fOff + j] += xc * dyv[oOff + j]!;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pooling

function maxPool(x: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = x.values, ov = out.values;
  const { inWidth: W, inChannels: C, dilationHeight: dh, dilationWidth: dw } = info;
  const best = new Float64Array(C);
  for (const w = new WindowCursor(info, C); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    best.fill(-Infinity);
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C;
        for (let c = 0; c < C; c++) {
          const v = xv[xOff + c]!;
          if (v > best[c]!) best[c] = v;
        }
      }
    }
    const empty = khLo >= khHi || kwLo >= kwHi;
    for (let c = 0; c < C; c++) ov[oOff + c] = empty ? 0 : best[c]!;
  }
}

function maxPoolGrad(dy: TensorData, x: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = x.values, dyv = f32(dy), dx = f32(out);
  const { inWidth: W, inChannels: C, dilationHeight: dh, dilationWidth: dw } = info;
  const best = new Float64Array(C);
  const argBest = new Int32Array(C);
  dx.fill(0);
  for (const w = new WindowCursor(info, C); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    if (khLo >= khHi || kwLo >= kwHi) continue;
    best.fill(-Infinity);
    argBest.fill(-1);
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C;
        for (let c = 0; c < C; c++) {
          const v = xv[xOff + c]!;
          // Strictly greater keeps the first maximum; the -1 check routes windows of -Infinity or NaN somewhere.
          if (v > best[c]! || argBest[c] === -1) {
            best[c] = v;
            argBest[c] = xOff + c;
          }
        }
      }
    }
    for (let c = 0; c < C; c++) dx[argBest[c]!] += dyv[oOff + c]!;
  }
}

function avgPool(x: TensorData, out: TensorData, info: Conv2DInfo): void {
  const xv = f32(x), ov = f32(out);
  const { inWidth: W, inChannels: C, dilationHeight: dh, dilationWidth: dw } = info;
  const sum = new Float64Array(C);
  for (const w = new WindowCursor(info, C); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    sum.fill(0);
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C;
        for (let c = 0; c < C; c++) sum[c] += xv[xOff + c]!;
      }
    }
    const count = Math.max(0, khHi - khLo) * Math.max(0, kwHi - kwLo);
    for (let c = 0; c < C; c++) ov[oOff + c] = count > 0 ? sum[c]! / count : 0;
  }
}

function avgPoolGrad(dy: TensorData, out: TensorData, info: Conv2DInfo): void {
  const dyv = f32(dy), dx = f32(out);
  const { inWidth: W, inChannels: C, dilationHeight: dh, dilationWidth: dw } = info;
  const share = new Float64Array(C);
  dx.fill(0);
  for (const w = new WindowCursor(info, C); w.next();) {
    const oOff = w.outOff, image = w.xImage, ih0 = w.ih0, iw0 = w.iw0, khLo = w.khLo, khHi = w.khHi, kwLo = w.kwLo, kwHi = w.kwHi;
    const count = Math.max(0, khHi - khLo) * Math.max(0, kwHi - kwLo);
    if (count === 0) continue;
    for (let c = 0; c < C; c++) share[c] = dyv[oOff + c]! / count;
    for (let kh = khLo; kh < khHi; kh++) {
      const xRow = (image + ih0 + kh * dh) * W;
      for (let kw = kwLo; kw < kwHi; kw++) {
        const xOff = (xRow + iw0 + kw * dw) * C;
        for (let c = 0; c < C; c++) dx[xOff + c] += share[c]!;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Resizing. Source coordinates follow TensorFlow's float32 arithmetic (Math.fround) so that
// sampling positions match it exactly.

const fround = Math.fround;

/** TensorFlow's CalculateResizeScale. */
function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? fround((inSize - 1) / (outSize - 1)) : fround(inSize / outSize);
}

/** For each output index along one axis: the two source indices and the weight of the second. */
interface LinearTaps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

function linearTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): LinearTaps {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const taps: LinearTaps = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), frac: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const src = halfPixelCenters ? fround(fround((i + 0.5) * scale) - 0.5) : fround(i * scale);
    const floor = Math.floor(src);
    taps.lo[i] = Math.max(floor, 0);
    taps.hi[i] = Math.min(Math.ceil(src), inSize - 1);
    taps.frac[i] = fround(src - floor);
  }
  return taps;
}

function nearestTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    // TensorFlow's half-pixel scaler for nearest neighbour does not subtract 0.5.
    const src = halfPixelCenters ? fround((i + 0.5) * scale) : fround(i * scale);
    const nearest = Math.min(alignCorners ? Math.round(src) : Math.floor(src), inSize - 1);
    idx[i] = halfPixelCenters ? Math.max(0, nearest) : nearest;
  }
  return idx;
}

/** [batch, height, width, channels] of an NHWC tensor. */
function dims(t: TensorData): [number, number, number, number] {
  return t.shape as [number, number, number, number];
}

function resizeBilinear(x: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void {
  const [N, H, W, C] = dims(x);
  const [, OH, OW] = dims(out);
  const xv = x.values, ov = out.values;
  const ys = linearTaps(H, OH, alignCorners, halfPixelCenters);
  const xs = linearTaps(W, OW, alignCorners, halfPixelCenters);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < OH; y++) {
      const top = (n * H + ys.lo[y]!) * W, bottom = (n * H + ys.hi[y]!) * W, fy = ys.frac[y]!;
      for (let xo = 0; xo < OW; xo++) {
        const left = xs.lo[xo]! * C, right = xs.hi[xo]! * C, fx = xs.frac[xo]!;
        const tl = top * C + left, tr = top * C + right, bl = bottom * C + left, br = bottom * C + right;
        for (let c = 0; c < C; c++) {
          const t = xv[tl + c]! + (xv[tr + c]! - xv[tl + c]!) * fx;
          const b = xv[bl + c]! + (xv[br + c]! - xv[bl + c]!) * fx;
          ov[o++] = t + (b - t) * fy;
        }
      }
    }
  }
}

function resizeBilinearGrad(dy: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void {
  const [N, OH, OW, C] = dims(dy);
  const [, H, W] = dims(out);
  const dyv = f32(dy), dx = f32(out);
  const ys = linearTaps(H, OH, alignCorners, halfPixelCenters);
  const xs = linearTaps(W, OW, alignCorners, halfPixelCenters);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < OH; y++) {
      const top = (n * H + ys.lo[y]!) * W, bottom = (n * H + ys.hi[y]!) * W, fy = ys.frac[y]!;
      for (let xo = 0; xo < OW; xo++) {
        const left = xs.lo[xo]! * C, right = xs.hi[xo]! * C, fx = xs.frac[xo]!;
        const tl = top * C + left, tr = top * C + right, bl = bottom * C + left, br = bottom * C + right;
        const wtl = (1 - fy) * (1 - fx), wtr = (1 - fy) * fx, wbl = fy * (1 - fx), wbr = fy * fx;
        for (let c = 0; c < C; c++, o++) {
          const g = dyv[o]!;
          dx[tl + c] += g * wtl;
          dx[tr + c] += g * wtr;
          dx[bl + c] += g * wbl;
          dx[br + c] += g * wbr;
        }
      }
    }
  }
}

function resizeNearestNeighbor(x: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void {
  const [N, H, W, C] = dims(x);
  const [, OH, OW] = dims(out);
  const xv = x.values, ov = out.values;
  const ys = nearestTaps(H, OH, alignCorners, halfPixelCenters);
  const xs = nearestTaps(W, OW, alignCorners, halfPixelCenters);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < OH; y++) {
      const row = (n * H + ys[y]!) * W;
      for (let xo = 0; xo < OW; xo++) {
        const s = (row + xs[xo]!) * C;
        for (let c = 0; c < C; c++) ov[o++] = xv[s + c]!;
      }
    }
  }
}

function resizeNearestNeighborGrad(dy: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void {
  const [N, OH, OW, C] = dims(dy);
  const [, H, W] = dims(out);
  const dyv = f32(dy), dx = f32(out);
  const ys = nearestTaps(H, OH, alignCorners, halfPixelCenters);
  const xs = nearestTaps(W, OW, alignCorners, halfPixelCenters);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < OH; y++) {
      const row = (n * H + ys[y]!) * W;
      for (let xo = 0; xo < OW; xo++) {
        const t = (row + xs[xo]!) * C;
        for (let c = 0; c < C; c++) dx[t + c] += dyv[o++]!;
      }
    }
  }
}

/** The reference convolution, pooling and resize kernels. */
export const convKernels: Pick<NNKernels, ConvKernelName> = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  depthwiseConv2d,
  depthwiseConv2dBackpropInput,
  depthwiseConv2dBackpropFilter,
  maxPool,
  maxPoolGrad,
  avgPool,
  avgPoolGrad,
  resizeBilinear,
  resizeBilinearGrad,
  resizeNearestNeighbor,
  resizeNearestNeighborGrad,
};
