// A whole LSTM layer's time loop, forward and backward (Keras equations: sigmoid gates, tanh
// candidate and output, gate order i, f, c~, o). Shapes as RecurrentKernels in
// src/backend/kernels.ts: B = batch, T = time, H = units, W = 4H.
#pragma once

#include <cstddef>

namespace nabla {

struct LstmDims {
  size_t batch, time, units;
};

// xz [B,T,W], u [H,W], h0/c0 [B,H] -> hs [B,T,H], cT [B,H], saved [T,B,6H] (i, f, c~, o, tanh c, c).
void lstmSequence(const LstmDims& d, const float* xz, const float* u, const float* h0, const float* c0, float* hs,
                  float* cT, float* saved);

// From dhs [B,T,H] and dcT [B,H] -> dxz [B,T,W], du [H,W], dh0/dc0 [B,H].
void lstmSequenceGrad(const LstmDims& d, const float* u, const float* h0, const float* c0, const float* hs,
                      const float* saved, const float* dhs, const float* dcT, float* dxz, float* du, float* dh0,
                      float* dc0);

}  // namespace nabla
