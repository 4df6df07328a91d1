// 3x3 stride-1 convolutions by Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray, 2015):
// each 2x2 block of outputs costs 16 multiply-adds per (input, output channel) pair instead of
// 36. The work becomes 16 GEMMs over transformed 4x4 input tiles and transformed filters, run on
// the GEMM micro-kernels; the transforms themselves are only additions.
#pragma once

#include "conv_geometry.h"

namespace nabla {

// Whether conv2dWinograd computes this convolution and pays: a 3x3 filter, stride and dilation 1,
// and enough channels on both sides for the 16 GEMMs to run at speed.
bool winogradSuits(const ConvGeometry& g);

// out = the convolution of x with `filter` (HWIO) for a geometry winogradSuits accepts; out is
// overwritten. With `turned`, `filter` belongs to the convolution whose input gradient this one
// is (g = transposedGeometry of it): tap (kh, kw), input channel i, output channel o reads
// filter[2 - kh][2 - kw][o][i].
void conv2dWinograd(const ConvGeometry& g, const float* x, const float* filter, bool turned, float* out);

// dfilter (overwritten) = the filter gradient of that convolution for output gradient dy: the
// adjoint of the transforms, dfilter = G^T (sum over tiles of V * Z) G with Z = A dY A^T.
void conv2dBackpropFilterWinograd(const ConvGeometry& g, const float* x, const float* dy, float* dfilter);

}  // namespace nabla
