// 3x3 stride-1 convolutions by Winograd's minimal filtering F(m x m, 3x3) (Lavin & Gray, 2015),
// m = 2 or 4: each m x m block of outputs costs (m + 2)^2 multiply-adds per (input, output
// channel) pair instead of 9 m^2. The work becomes (m + 2)^2 GEMMs over transformed input tiles
// and transformed filters, run on the GEMM micro-kernels; the transforms are additions and
// constant multiples (conv_winograd_transforms.h).
#pragma once

#include "conv_geometry.h"

namespace nabla {

// Whether conv2dWinograd computes this convolution and pays: a 3x3 filter, stride and dilation 1,
// enough channels on both sides for the GEMMs to run at speed (>= 16), and not so many that the
// transformed filter grows past 64 MB (in x out <= 1024 x 1024).
bool winogradSuits(const ConvGeometry& g);

// out = the convolution of x with `filter` (HWIO) for a geometry winogradSuits accepts; out is
// overwritten. With `turned`, `filter` belongs to the convolution whose input gradient this one
// is (g = transposedGeometry of it): tap (kh, kw), input channel i, output channel o reads
// filter[2 - kh][2 - kw][o][i].
void conv2dWinograd(const ConvGeometry& g, const float* x, const float* filter, bool turned, float* out);

// dx (overwritten) = the input gradient of the convolution g for output gradient dy (`filter` is
// g's HWIO filter): by the adjoint of g's own tiles where they are fewer (a 'valid'
// convolution), else as the forward of dy with the turned filter.
void conv2dBackpropInputWinograd(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

// dfilter (overwritten) = the filter gradient of that convolution for output gradient dy: the
// adjoint of the transforms, dfilter = G^T (sum over tiles of V * Z) G with Z = A dY A^T.
void conv2dBackpropFilterWinograd(const ConvGeometry& g, const float* x, const float* dy, float* dfilter);

}  // namespace nabla
