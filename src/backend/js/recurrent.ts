// Reference kernels of the fused LSTM time loop (see RecurrentKernels in ../kernels.ts): plain
// loops in float64 arithmetic over float32 storage, written for clarity; the native backend's
// version (native/lstm.cc) is checked against these.
import type { RecurrentKernels, TensorData } from '../kernels.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** [B, H] of an LSTM kernel call, from xz [B, T, 4H] or dxz. */
function dims(x: TensorData): [number, number, number] {
  const [b, t, w] = x.shape as [number, number, number];
  return [b, t, w / 4];
}

/** out[b, :] (+)= a[b, :]·m for a row-major a [rows, k] (row stride lda) and m [k, n]. */
function rowTimesMatrix(a: ArrayLike<number>, aOffset: number, lda: number, rows: number, k: number, m: ArrayLike<number>, n: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < k; p++) {
      const av = a[aOffset + r * lda + p]!;
      if (av === 0) continue;
      for (let j = 0; j < n; j++) out[r * n + j]! += av * m[p * n + j]!;
    }
  }
}

/** out[rows, n] += a[rows, k] · mᵀ for a row-major m [n, k] (a with row stride lda). */
function rowTimesTransposed(a: ArrayLike<number>, aOffset: number, lda: number, rows: number, k: number, m: ArrayLike<number>, n: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[aOffset + r * lda + p]! * m[j * k + p]!;
      out[r * n + j]! += acc;
    }
  }
}

export const recurrentKernels: RecurrentKernels = {
  gruSequence(xz, u, rb, h0, hs, saved) {
    const [B, T, W] = xz.shape as [number, number, number];
    const H = W / 3;
    const x = xz.values, h = hs.values, s = saved.values;
    const inner = new Float64Array(B * W);
    for (let t = 0; t < T; t++) {
      inner.fill(0);
      for (let b = 0; b < B; b++) for (let j = 0; j < W; j++) inner[b * W + j] = rb.values[j]!;
      if (t === 0) rowTimesMatrix(h0.values, 0, H, B, H, u.values, W, inner);
      else rowTimesMatrix(h, (t - 1) * H, T * H, B, H, u.values, W, inner);
      for (let b = 0; b < B; b++) {
        const xo = (b * T + t) * W;
        const so = (t * B + b) * 4 * H;
        for (let j = 0; j < H; j++) {
          const z = sigmoid(x[xo + j]! + inner[b * W + j]!);
          const r = sigmoid(x[xo + H + j]! + inner[b * W + H + j]!);
          const ih = Math.fround(inner[b * W + 2 * H + j]!);
          const hh = Math.tanh(x[xo + 2 * H + j]! + r * ih);
          const hPrev = t === 0 ? h0.values[b * H + j]! : h[(b * T + t - 1) * H + j]!;
          s[so + j] = z;
          s[so + H + j] = r;
          s[so + 2 * H + j] = hh;
          s[so + 3 * H + j] = ih;
          h[(b * T + t) * H + j] = hh + z * (hPrev - hh);
        }
      }
    }
  },

  gruSequenceGrad(u, h0, hs, saved, dhs, dxz, du, drb, dh0) {
    const [B, T, W] = dxz.shape as [number, number, number];
    const H = W / 3;
    const s = saved.values, dx = dxz.values;
    const dh = new Float64Array(B * H);
    const dInner = new Float64Array(B * W);
    const duAcc = new Float64Array(H * W);
    const drbAcc = new Float64Array(W);
    for (let t = T - 1; t >= 0; t--) {
      const carried = Float64Array.from(dh);
      dh.fill(0);
      for (let b = 0; b < B; b++) {
        const so = (t * B + b) * 4 * H;
        const xo = (b * T + t) * W;
        for (let j = 0; j < H; j++) {
          const z = s[so + j]!, r = s[so + H + j]!, hh = s[so + 2 * H + j]!, ih = s[so + 3 * H + j]!;
          const hPrev = t === 0 ? h0.values[b * H + j]! : hs.values[(b * T + t - 1) * H + j]!;
          const g = dhs.values[(b * T + t) * H + j]! + carried[b * H + j]!;
          const dA = g * (1 - z) * (1 - hh * hh);
          const dZ = g * (hPrev - hh) * z * (1 - z);
          const dR = dA * ih * r * (1 - r);
          dx[xo + j] = dZ;
          dx[xo + H + j] = dR;
          dx[xo + 2 * H + j] = dA;
          dInner[b * W + j] = dZ;
          dInner[b * W + H + j] = dR;
          dInner[b * W + 2 * H + j] = dA * r;
          dh[b * H + j] = g * z;
        }
      }
      // dh_{t-1} += dInner·uᵀ; du += h_{t-1}ᵀ·dInner; drb += Σ_b dInner.
      rowTimesTransposed(dInner, 0, W, B, W, u.values, H, dh);
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < H; k++) {
          const hk = t === 0 ? h0.values[b * H + k]! : hs.values[(b * T + t - 1) * H + k]!;
          if (hk !== 0) for (let j = 0; j < W; j++) duAcc[k * W + j]! += hk * dInner[b * W + j]!;
        }
        for (let j = 0; j < W; j++) drbAcc[j]! += dInner[b * W + j]!;
      }
    }
    du.values.set(duAcc);
    drb.values.set(drbAcc);
    dh0.values.set(dh);
  },

  lstmSequence(xz, u, h0, c0, hs, cT, saved) {
    const [B, T, H] = dims(xz);
    const W = 4 * H;
    const x = xz.values, uv = u.values, h = hs.values, s = saved.values, c = cT.values;
    const z = new Float64Array(B * W);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) for (let j = 0; j < W; j++) z[b * W + j] = x[(b * T + t) * W + j]!;
      if (t === 0) rowTimesMatrix(h0.values, 0, H, B, H, uv, W, z);
      else rowTimesMatrix(h, (t - 1) * H, T * H, B, H, uv, W, z);
      for (let b = 0; b < B; b++) {
        const so = (t * B + b) * 6 * H;
        for (let j = 0; j < H; j++) {
          const i = sigmoid(z[b * W + j]!);
          const f = sigmoid(z[b * W + H + j]!);
          const g = Math.tanh(z[b * W + 2 * H + j]!);
          const o = sigmoid(z[b * W + 3 * H + j]!);
          const cPrev = t === 0 ? c0.values[b * H + j]! : s[((t - 1) * B + b) * 6 * H + 5 * H + j]!;
          const cNew = Math.fround(f * cPrev + i * g);
          const tc = Math.tanh(cNew);
          s[so + j] = i;
          s[so + H + j] = f;
          s[so + 2 * H + j] = g;
          s[so + 3 * H + j] = o;
          s[so + 4 * H + j] = tc;
          s[so + 5 * H + j] = cNew;
          h[(b * T + t) * H + j] = o * tc;
          if (t === T - 1) c[b * H + j] = cNew;
        }
      }
    }
  },

  lstmSequenceGrad(u, h0, c0, hs, saved, dhs, dcT, dxz, du, dh0, dc0) {
    const [B, T, H] = dims(dxz);
    const W = 4 * H;
    const uv = u.values, s = saved.values, dz = dxz.values, dhv = dhs.values;
    const dhNext = new Float64Array(B * H);
    const dcNext = Float64Array.from(dcT.values);
    const duAcc = new Float64Array(H * W);
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        const so = (t * B + b) * 6 * H;
        const zo = (b * T + t) * W;
        for (let j = 0; j < H; j++) {
          const i = s[so + j]!, f = s[so + H + j]!, g = s[so + 2 * H + j]!, o = s[so + 3 * H + j]!, tc = s[so + 4 * H + j]!;
          const cPrev = t === 0 ? c0.values[b * H + j]! : s[((t - 1) * B + b) * 6 * H + 5 * H + j]!;
          const dh = dhv[(b * T + t) * H + j]! + dhNext[b * H + j]!;
          const dc = dcNext[b * H + j]! + dh * o * (1 - tc * tc);
          dz[zo + j] = dc * g * i * (1 - i);
          dz[zo + H + j] = dc * cPrev * f * (1 - f);
          dz[zo + 2 * H + j] = dc * i * (1 - g * g);
          dz[zo + 3 * H + j] = dh * tc * o * (1 - o);
          dcNext[b * H + j] = dc * f;
        }
      }
      // dh_{t-1} = dz_t·uᵀ; du += h_{t-1}ᵀ·dz_t.
      dhNext.fill(0);
      for (let b = 0; b < B; b++) {
        const zo = (b * T + t) * W;
        const hPrev = (j: number): number => (t === 0 ? h0.values[b * H + j]! : hs.values[(b * T + t - 1) * H + j]!);
        for (let k = 0; k < H; k++) {
          let acc = 0;
          for (let j = 0; j < W; j++) acc += dz[zo + j]! * uv[k * W + j]!;
          dhNext[b * H + k] = acc;
          const hk = hPrev(k);
          if (hk !== 0) for (let j = 0; j < W; j++) duAcc[k * W + j]! += hk * dz[zo + j]!;
        }
      }
    }
    du.values.set(duAcc);
    dh0.values.set(dhNext);
    dc0.values.set(dcNext);
  },
};
