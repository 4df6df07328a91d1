import type { NNKernels, TensorData } from '../kernels.js';

// Reference kernels for resizing NHWC images. Source coordinates follow TensorFlow's float32
// arithmetic (Math.fround) so that sampling positions match it exactly.

const fround = Math.fround;
const f32 = (t: TensorData): Float32Array => t.values as Float32Array;

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

export const resizeKernels: Pick<NNKernels, 'resizeBilinear' | 'resizeBilinearGrad' | 'resizeNearestNeighbor' | 'resizeNearestNeighborGrad'> = {
  resizeBilinear,
  resizeBilinearGrad,
  resizeNearestNeighbor,
  resizeNearestNeighborGrad,
};
