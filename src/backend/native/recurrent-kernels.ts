import type { RecurrentKernels, TensorData } from '../kernels.js';
import { jsKernels } from '../js/index.js';
import type { NativeAddon } from './addon.js';
import { callNative, checkTensor, isFloat32 } from './checks.js';

/** The fused LSTM and GRU loops on the addon (native/lstm.cc, gru.cc); non-float32 tensors go to the reference. */
export function createRecurrentKernels(addon: NativeAddon): RecurrentKernels {
  const allFloat32 = (op: string, named: Record<string, TensorData>): boolean => {
    for (const [name, t] of Object.entries(named)) checkTensor(op, name, t);
    return Object.values(named).every(isFloat32);
  };
  const f32 = (t: TensorData): Float32Array => t.values as Float32Array;
  return {
    gruSequence(xz, u, rb, h0, hs, saved) {
      if (!allFloat32('gruSequence', { xz, u, rb, h0, hs, saved })) {
        jsKernels.gruSequence(xz, u, rb, h0, hs, saved);
        return;
      }
      const [batch, time, width] = xz.shape as [number, number, number];
      callNative(() => addon.gruSequence(f32(xz), f32(u), f32(rb), f32(h0), f32(hs), f32(saved), batch, time, width / 3));
    },
    gruSequenceGrad(u, h0, hs, saved, dhs, dxz, du, drb, dh0) {
      if (!allFloat32('gruSequenceGrad', { u, h0, hs, saved, dhs, dxz, du, drb, dh0 })) {
        jsKernels.gruSequenceGrad(u, h0, hs, saved, dhs, dxz, du, drb, dh0);
        return;
      }
      const [batch, time, width] = dxz.shape as [number, number, number];
      callNative(() => addon.gruSequenceGrad(f32(u), f32(h0), f32(hs), f32(saved), f32(dhs), f32(dxz), f32(du), f32(drb), f32(dh0), batch, time, width / 3));
    },
    lstmSequence(xz, u, h0, c0, hs, cT, saved) {
      if (!allFloat32('lstmSequence', { xz, u, h0, c0, hs, cT, saved })) {
        jsKernels.lstmSequence(xz, u, h0, c0, hs, cT, saved);
        return;
      }
      const [batch, time, width] = xz.shape as [number, number, number];
      callNative(() => addon.lstmSequence(f32(xz), f32(u), f32(h0), f32(c0), f32(hs), f32(cT), f32(saved), batch, time, width / 4));
    },
    lstmSequenceGrad(u, h0, c0, hs, saved, dhs, dcT, dxz, du, dh0, dc0) {
      if (!allFloat32('lstmSequenceGrad', { u, h0, c0, hs, saved, dhs, dcT, dxz, du, dh0, dc0 })) {
        jsKernels.lstmSequenceGrad(u, h0, c0, hs, saved, dhs, dcT, dxz, du, dh0, dc0);
        return;
      }
      const [batch, time, width] = dxz.shape as [number, number, number];
      callNative(() =>
        addon.lstmSequenceGrad(f32(u), f32(h0), f32(c0), f32(hs), f32(saved), f32(dhs), f32(dcT), f32(dxz), f32(du), f32(dh0), f32(dc0), batch, time, width / 4),
      );
    },
  };
}
