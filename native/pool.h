// Max and average pooling over NHWC input, forward and backward.
#pragma once

#include "conv_geometry.h"

namespace nabla {

// Max over each window's taps inside the input (NaN is skipped, as in the reference); a window
// wholly in the padding gives 0.
void maxPool(const ConvGeometry& g, const float* x, float* out);

// dx: each window's dy goes to the first position of its maximum.
void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx);

// Mean over each window's taps inside the input (padding excluded from the count).
void avgPool(const ConvGeometry& g, const float* x, float* out);
void avgPoolGrad(const ConvGeometry& g, const float* dy, float* dx);

}  // namespace nabla
