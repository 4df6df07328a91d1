import type { Conv2DInfo, NNKernels, TensorData } from '../kernels.js';
import { gemm } from './gemm.js';
import { resizeKernels } from './resize.js';

/**
 * Reference kernels for convolution and pooling over NHWC images (resizing: resize.ts).
 *
 * Every loop nest keeps the channel dimension innermost, where memory is contiguous, and computes
 * the window bounds once per output row/column so that inner loops carry no bounds checks.
 * Regular convolutions are lowered to a blocked GEMM over im2col tiles.
 */

/** Kernel names provided here; the rest of NNKernels (softmax, logSoftmax) lives in nn.ts. */
export type ConvKernelName = Exclude<keyof NNKernels, 'softmax' | 'logSoftmax' | 'sparseSoftmaxCrossEntropy' | 'biasActivation' | 'batchNormTrain' | 'batchNormTrainGrad'>;

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
  ...resizeKernels,
};
