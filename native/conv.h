// 2-D convolution over NHWC input with an HWIO filter, on the GEMM micro-kernels: patches read in
// place (gather kernel), stride-1 gradients by bands and filter columns (conv_stride1.h), and
// im2col/col2im tiles for the remaining shapes.
#pragma once

#include "conv_geometry.h"

namespace nabla {

// out[pixel, oc] = sum over (kh, kw, ic) of x[window, ic] * filter[kh, kw, ic, oc].
void conv2d(const ConvGeometry& g, const float* x, const float* filter, float* out);

// dx = col2im(dy * filter^T), computed without col2im where it can: the gradient with respect to
// the input.
void conv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

// dfilter = im2col(x)^T * dy: the gradient with respect to the filter.
void conv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dfilter);

}  // namespace nabla
