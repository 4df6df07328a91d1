// 2-D convolution over NHWC input with an HWIO filter, lowered to sgemm over im2col tiles.
#pragma once

#include "conv_geometry.h"

namespace nabla {

// out[pixel, oc] = sum over (kh, kw, ic) of x[window, ic] * filter[kh, kw, ic, oc].
void conv2d(const ConvGeometry& g, const float* x, const float* filter, float* out);

// dx = col2im(dy * filter^T): the gradient with respect to the input.
void conv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

// dfilter = im2col(x)^T * dy: the gradient with respect to the filter.
void conv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dfilter);

}  // namespace nabla
