// A whole GRU layer's time loop, forward and backward (Keras's reset_after form: sigmoid gates,
// tanh candidate, gate order z, r, h~). Shapes as RecurrentKernels in src/backend/kernels.ts:
// B = batch, T = time, H = units, W = 3H.
#pragma once

#include "lstm.h"

namespace nabla {

// xz [B,T,W], u [H,W], rb [W], h0 [B,H] -> hs [B,T,H], saved [T,B,4H] (z, r, h~, (h.u + rb)_h~).
void gruSequence(const LstmDims& d, const float* xz, const float* u, const float* rb, const float* h0, float* hs, float* saved);

// From dhs [B,T,H] -> dxz [B,T,W], du [H,W], drb [W], dh0 [B,H].
void gruSequenceGrad(const LstmDims& d, const float* u, const float* h0, const float* hs, const float* saved, const float* dhs,
                     float* dxz, float* du, float* drb, float* dh0);

}  // namespace nabla
