// Depthwise 2-D convolution over NHWC input with a [fh, fw, inChannels, multiplier] filter:
// out[pixel, c*M + m] = sum over (kh, kw) of x[window(pixel, kh, kw), c] * filter[kh, kw, c, m].
#pragma once

#include "conv_geometry.h"

namespace nabla {

void depthwiseConv2d(const ConvGeometry& g, const float* x, const float* filter, float* out);
void depthwiseConv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);
void depthwiseConv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dfilter);

}  // namespace nabla
